(function () {
  "use strict";
  // Report text never reaches innerHTML: rows are rendered (escaped) by gkcheck and the
  // script only reads data-* attributes and the JSON block, and sets hidden/textContent.
  var meta = JSON.parse(document.getElementById("gk-meta").textContent);
  var reps = Array.prototype.slice.call(document.querySelectorAll("tbody.rep"));
  var keys = ["verdict", "level", "year", "rule"];
  var selects = {};
  keys.forEach(function (k) { selects[k] = document.getElementById("f-" + k); });

  function parse(text) {
    var out = {};
    text.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i < 0) { return; }
      var k = decodeURIComponent(part.slice(0, i)), v = decodeURIComponent(part.slice(i + 1).replace(/\+/g, " "));
      if (keys.indexOf(k) >= 0) { out[k] = v; }
    });
    return out;
  }

  function wanted() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") >= 0) { return parse(hash); }
    return parse(location.search.replace(/^\?/, ""));
  }

  function has(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function apply() {
    var f = {}, shown = 0;
    keys.forEach(function (k) { f[k] = selects[k].value; });
    reps.forEach(function (tb) {
      var d = tb.dataset;
      var ok = (!f.verdict || d.verdict === f.verdict) && (!f.level || d.level === f.level) &&
               (!f.year || d.year === f.year) &&
               (!f.rule || (" " + d.rules + " ").indexOf(" " + f.rule + " ") >= 0);
      tb.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("shown").textContent = String(shown);
    document.body.setAttribute("data-shown", String(shown));
  }

  function fromUrl() {
    var hash = location.hash.replace(/^#/, "");
    if (hash && hash.indexOf("=") < 0) {  // an anchor to one report: make sure it can be seen
      var el = document.getElementById(hash);
      if (el && el.classList.contains("rep")) {
        el.hidden = false;
        var d = el.querySelector("details");
        if (d) { d.open = true; }
      }
      return;
    }
    var f = wanted();
    keys.forEach(function (k) { selects[k].value = f[k] && has(selects[k], f[k]) ? f[k] : ""; });
    apply();
  }

  function toUrl() {
    var parts = [];
    keys.forEach(function (k) {
      if (selects[k].value) { parts.push(k + "=" + encodeURIComponent(selects[k].value)); }
    });
    location.hash = parts.length ? parts.join("&") : "all";
    apply();
  }

  keys.forEach(function (k) { selects[k].addEventListener("change", toUrl); });
  document.getElementById("f-reset").addEventListener("click", function () {
    keys.forEach(function (k) { selects[k].value = ""; });
    toUrl();
  });
  Array.prototype.forEach.call(document.querySelectorAll("button.rulebtn"), function (b) {
    b.addEventListener("click", function () {
      selects.rule.value = b.getAttribute("data-rule");
      selects.verdict.value = "";
      toUrl();
      document.getElementById("reports").scrollIntoView();
    });
  });
  window.addEventListener("hashchange", fromUrl);

  // Print what is shown, with every finding (and the list of pairs) expanded.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    Array.prototype.forEach.call(document.querySelectorAll("details:not(.noprint)"), function (d) {
      var rep = d.closest("tbody.rep");
      if (!d.open && !(rep && rep.hidden)) { d.open = true; opened.push(d); }
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
  });

  document.getElementById("total").textContent = String(meta.reports);
  fromUrl();
  apply();
}());
