"""A draft 通报 for the supervising office (--format docx -o 通报.docx; python-docx).

关于{年度}年度政府信息公开工作年度报告检查情况的通报（草稿）: the overview (reports, on time,
pass / fail, average score), the most common problems (each with its legal basis, a count and
up to three examples with evidence, named or anonymised as the office chooses), a table of every
report by score, and the next steps left for the office to write. Laid out after GB/T 9704-2012
(公文格式): A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, title in 小标宋 二号, body in 仿宋 三号
with 22 lines a page, headings in 黑体 / 楷体, page numbers in 宋体 四号; the fonts are named,
not embedded (Word and WPS substitute what a machine lacks).

Streaming: a worker renders each report to one JSON line (its row of the table and its
failures, evidence clipped); the parent keeps the rows and, per rule, the first examples only.
"""

from __future__ import annotations

import json

from gkcheck.chinese.normalize import agency_key
from gkcheck.output.stream import writable
from gkcheck.output.summary import Tally, rate
from gkcheck.output.text import STATUS
from gkcheck.ruleset.model import KIND_LABELS, LEVEL_LABELS
from gkcheck.util.xmltext import xml_text

TOP_PROBLEMS = 5
EXAMPLES = 3
CLIP = 80
DEADLINE_PREFIX = "deadline."  # the rule packs' publication-deadline rules (按时发布)
FONT_TITLE, FONT_BODY, FONT_H1, FONT_H2, FONT_PAGE = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
PT_TITLE, PT_BODY, PT_TABLE, PT_PAGE = 22, 16, 12, 14  # 二号, 三号, 小四, 四号
LINE = 28.95  # points: 225 mm of 版心 over 22 lines
CN_NUMBERS = "一二三四五六七八九十"


def _clip(text) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= CLIP else text[:CLIP] + "…"


def timeliness(entry: dict) -> str:
    """on_time, late, or unknown (no deadline rule could be applied, e.g. no publication date)."""
    states = [r["status"] for r in entry.get("results") or [] if r["rule"].startswith(DEADLINE_PREFIX)
              and r["status"] != "not_applicable"]
    if not states:
        return "unknown"
    return "late" if any(s in ("fail", "waived") for s in states) else "on_time"


def piece(entry: dict, index: int = 0, **_options) -> str:
    info = entry.get("report") or {}
    agency = info.get("agency") or {}
    # hints (info) are for the workbook; the 通报 names errors and warnings
    failed = [r for r in entry.get("results") or [] if r["status"] == "fail" and r["severity"] != "info"]
    failed.sort(key=lambda r: r["severity"] != "error")
    row = {"index": index, "source": entry["source"], "agency": agency.get("name"), "kind": agency.get("kind"),
           "level": agency.get("level"), "year": info.get("year"), "verdict": entry["verdict"],
           "score": (entry.get("score") or {}).get("total"), "timely": timeliness(entry), "error": entry.get("error"),
           "problems": [r["title"] for r in failed],
           "failures": [{"rule": r["rule"], "basis": r.get("basis"), "message": _clip(r["message"]),
                         "evidence": _clip(_quote(r["evidence"][0])) if r.get("evidence") else ""}
                        for r in failed]}
    return json.dumps(row, ensure_ascii=False, default=str) + "\n"


def _quote(item) -> str:
    if isinstance(item, dict):
        return str(item.get("text") if item.get("text") is not None else item.get("value", ""))
    return str(item)


def who(row: dict, anonymise: bool) -> str:
    """The agency as the 通报 names it in an example: its name, or 某县级政府部门."""
    if not anonymise and row["agency"]:
        return row["agency"]
    level = LEVEL_LABELS.get(row["level"], "")
    return f"某{level}{KIND_LABELS.get(row['kind'], '单位')}"


class Writer:
    def __init__(self, out, anonymise: bool = False, **_options):
        self.out, self.anonymise = writable(out), anonymise
        self.rows: list[dict] = []
        self.examples: dict[str, list] = {}   # rule → the first EXAMPLES (row, failure)
        self.basis: dict[str, str] = {}

    def begin(self) -> None:
        pass

    def add(self, text: str | bytes) -> None:
        row = json.loads(text)
        for f in row.pop("failures"):
            kept = self.examples.setdefault(f["rule"], [])
            if len(kept) < EXAMPLES:
                kept.append((who(row, self.anonymise), row["year"], f["message"], f["evidence"]))
            self.basis.setdefault(f["rule"], f["basis"])
        row["more"] = max(0, len(row["problems"]) - 3)
        del row["problems"][3:]  # the table names three
        self.rows.append(row)

    def end(self, tally: Tally, pairs: list, interrupted: bool, extras: dict | None = None) -> None:
        document = build(self.rows, tally, self.examples, self.basis, interrupted)
        save(document, self.rows, self.out.target)


def _years(rows: list[dict]) -> str:
    years = sorted({r["year"] for r in rows if r["year"]})
    if not years:
        return "____"
    return "、".join(map(str, years)) if len(years) <= 3 else f"{years[0]}—{years[-1]}"


def overview(rows: list[dict], tally: Tally) -> list[str]:
    """The figures of part 一 (also what the tests compare with the JSON)."""
    s = tally.summary()
    checked = [r for r in rows if r["verdict"] != "error"]
    timely = {k: sum(1 for r in checked if r["timely"] == k) for k in ("on_time", "late", "unknown")}
    agencies = len({agency_key(r["agency"]) for r in checked if r["agency"]})
    scores = [r["score"] for r in checked if r["score"] is not None]
    text = [f"本次共检查政府信息公开工作年度报告{s['reports']}份，涉及{agencies}个单位。"]
    if checked:
        text.append(f"按时发布{timely['on_time']}份，未按时发布{timely['late']}份"
                    + (f"，{timely['unknown']}份未注明发布日期、无法判断是否按时发布" if timely["unknown"] else "") + "。")
        text.append(f"检查通过{s['pass']}份，未通过{s['fail']}份。")
    if s["error"]:
        text.append(f"另有{s['error']}份文件无法检查（文件无法读取或无法确定报告年度），见第三部分。")
    if scores:
        text.append(f"按评分表评分，平均{sum(scores) / len(scores):.1f}分，最高{max(scores):.1f}分，"
                    f"最低{min(scores):.1f}分。")
    return text


def problems(tally: Tally, examples: dict, basis: dict) -> list[tuple[str, str]]:
    """(heading, text) of each of the most common problems."""
    out = []
    serious = [(r, i) for r, i in tally.failing_rules() if i["severity"] != "info"]
    for rule, info in serious[:TOP_PROBLEMS]:
        cases = examples.get(rule) or []
        text = (f"{info['fail']}份报告存在此问题，占适用报告（{info['applied']}份）的{rate(info):.0%}。"
                f"依据：{basis.get(rule) or '见规则说明'}。")
        if cases:
            text += "如：" + "；".join(f"{name}{year}年度报告，{message}" + (f"（原文：{ev}）" if ev and ev not in message else "")
                                     for name, year, message, ev in cases) + "。"
        out.append((f"不符合“{info['title']}”的要求", text))
    hints = sum(1 for _r, i in tally.failing_rules() if i["severity"] == "info")
    if hints:
        out.append(("提示性问题", f"另有{hints}项提示性问题（依据或要求尚待核实，不作为违规认定），见检查工作簿。"))
    return out


# -- the document -------------------------------------------------------------------------------

def build(rows: list[dict], tally: Tally, examples: dict, basis: dict, interrupted: bool = False):
    import docx  # only for this format: the cold start does not pay for it
    from docx.shared import Mm

    doc = docx.Document()
    _page(doc, Mm)
    _styles(doc)
    _footer(doc)
    title = f"关于{_years(rows)}年度政府信息公开工作年度报告检查情况的通报（草稿）"
    _para(doc, title, FONT_TITLE, PT_TITLE, align="center", indent=False)
    _para(doc, "", FONT_BODY, PT_BODY, indent=False)
    _para(doc, "〔主送机关〕：", FONT_BODY, PT_BODY, indent=False)
    _para(doc, "根据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告统一格式的要求，〔本机关〕对"
               f"{tally.summary()['reports']}份政府信息公开工作年度报告进行了检查。现将有关情况通报如下。",
          FONT_BODY, PT_BODY)
    if interrupted:
        _para(doc, "〔注意：检查被中断，以下只是已完成的部分。〕", FONT_BODY, PT_BODY)
    _para(doc, "一、总体情况", FONT_H1, PT_BODY)
    _para(doc, "".join(overview(rows, tally)), FONT_BODY, PT_BODY)
    _para(doc, "二、存在的主要问题", FONT_H1, PT_BODY)
    found = problems(tally, examples, basis)
    if not found:
        _para(doc, "检查中未发现不符合要求的情况。", FONT_BODY, PT_BODY)
    for i, (heading, text) in enumerate(found):
        p = _para(doc, f"（{CN_NUMBERS[i]}）{heading}。", FONT_H2, PT_BODY)
        _run(p, text, FONT_BODY, PT_BODY)
    _para(doc, "三、各单位检查情况", FONT_H1, PT_BODY)
    _para(doc, "各单位年度报告的得分、结论和主要问题见下表（按得分从高到低排列）；逐条问题、法律依据和证据见检查工作簿。",
          FONT_BODY, PT_BODY)
    _table(doc)
    _para(doc, "四、下一步工作", FONT_H1, PT_BODY)
    _para(doc, "〔请填写：整改要求、整改时限、复查安排等。〕", FONT_BODY, PT_BODY)
    _para(doc, "", FONT_BODY, PT_BODY, indent=False)
    _para(doc, "〔发文机关〕", FONT_BODY, PT_BODY, align="right", indent=False)
    _para(doc, "〔日期〕", FONT_BODY, PT_BODY, align="right", indent=False)
    return doc


def _page(doc, Mm) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28) - Mm(7)  # 页码在版心下边缘之下约 7 mm


def _fonts(rpr_owner, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = rpr_owner.font
    font.name, font.size, font.bold = name, Pt(size), bold
    rpr = rpr_owner.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _styles(doc) -> None:
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    _fonts(normal, FONT_BODY, PT_BODY)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(LINE)


def _para(doc, text: str, font: str, size: float, align: str | None = None, indent: bool = True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * size)  # 首行缩进二字
    if text:
        _run(p, text, font, size)
    return p


def _run(p, text: str, font: str, size: float, bold: bool = False):
    run = p.add_run(xml_text(text, " "))
    _fonts(run, font, size, bold)
    return run


def _footer(doc) -> None:
    """— 1 — in 宋体 四号: odd pages right, even pages left, one character in (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        indent = Pt(PT_PAGE)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = indent
        else:
            p.paragraph_format.left_indent = indent
        _run(p, "— ", FONT_PAGE, PT_PAGE)
        run = _run(p, "", FONT_PAGE, PT_PAGE)
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text == "PAGE":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = " PAGE "
            else:
                el = OxmlElement("w:t")
                el.text = text
            run._r.append(el)
        _run(p, " —", FONT_PAGE, PT_PAGE)


TABLE_COLUMNS = ("序号", "单位", "年度", "得分", "结论", "主要问题")
TABLE_WIDTHS_MM = (12, 38, 17, 17, 18, 54)  # 156 mm of 版心


def table_rows(rows: list[dict]) -> list[list[str]]:
    """The cells of part 三, ranked by score (reports that could not be checked last)."""
    ranked = sorted(rows, key=lambda r: (r["verdict"] == "error", r["score"] is None, -(r["score"] or 0), r["index"]))
    out = []
    for i, r in enumerate(ranked, 1):
        if r["verdict"] == "error":
            out.append([str(i), r["source"], "", "", STATUS["error"], _clip(r["error"] or "")])
            continue
        problems = "；".join(r["problems"]) + (f"等{len(r['problems']) + r['more']}项" if r.get("more") else "") \
            if r["problems"] else "无"
        out.append([str(i), r["agency"] or "?", str(r["year"] or ""), "" if r["score"] is None else f"{r['score']:.1f}",
                    STATUS[r["verdict"]], problems])
    return out


ROW_MARK = "GKCHECK-ROW-"  # the template row's cell texts, replaced by every report's cells


def _table(doc) -> None:
    """The table of part 三 with its header and one template row; save() puts in the rows."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = doc.add_table(rows=2, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, TABLE_WIDTHS_MM):
        column.width = Mm(width)  # the grid: what Word, WPS and LibreOffice lay out by
    for row in table.rows:
        for cell, width in zip(row.cells, TABLE_WIDTHS_MM):
            cell.width = Mm(width)
    for cell, text in zip(table.rows[0].cells, TABLE_COLUMNS):
        p = cell.paragraphs[0]
        p.alignment = 1
        p.paragraph_format.line_spacing = 1.0
        _run(p, text, FONT_H1, PT_TABLE)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))  # the header row repeats on every page
    style = _cell_style(doc)
    for i, cell in enumerate(table.rows[1].cells):
        p = cell.paragraphs[0]
        p.style = style  # fonts and spacing by style, not per run
        p.add_run(f"{ROW_MARK}{i}")


def save(document, rows: list[dict], target) -> None:
    """Write the document with a row per report in its table. The rows are put into the saved
    XML as text from the template row, not built as python-docx objects: 5,000 of those would
    take a quarter of a second each thousand and some 13 KB of memory each."""
    import io
    import re
    import zipfile
    from xml.sax.saxutils import escape

    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as src:
        xml = src.read("word/document.xml").decode("utf-8")
        first = xml.index(ROW_MARK)
        start = max(xml.rfind("<w:tr>", 0, first), xml.rfind("<w:tr ", 0, first))
        end = xml.index("</w:tr>", first) + len("</w:tr>")
        parts = re.split(re.escape(ROW_MARK) + r"(\d+)", xml[start:end])  # text, cell, text, cell, …
        body = []
        for cells in table_rows(rows):
            for i, part in enumerate(parts):
                body.append(escape(xml_text(cells[int(part)], " ")) if i % 2 else part)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                if info.filename == "word/document.xml":
                    out.writestr(info, (xml[:start] + "".join(body) + xml[end:]).encode("utf-8"))
                else:
                    out.writestr(info, src.read(info.filename))


def _cell_style(doc):
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style("表格文字", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    _fonts(style, FONT_BODY, PT_TABLE)
    style.paragraph_format.line_spacing = 1.0
    style.paragraph_format.first_line_indent = 0
    return style
