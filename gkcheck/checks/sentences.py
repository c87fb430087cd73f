"""Sentences of the narrative for the kinds that compare text (text_figures, copied_text).

Unlike scope.Scope.sentences, a line break does not end a sentence here: PDF and crawler
text wraps lines anywhere, even inside a figure ("行政复议 351\\n件"). Headings are not
included. Not a kind (it is not in KINDS).
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。；;！!？?]+[。；;！!？?]?")
_WRAP = re.compile(r"[ \t]*\n\s*")


def joined_sentences(sections):
    """(section, sentence, location) for the given SectionViews, in order."""
    for sec in sections:
        text = sec.text or ""
        for m in _SENTENCE.finditer(text):
            sentence = _WRAP.sub("", m.group()).strip()
            if not sentence:
                continue
            lead = len(m.group()) - len(m.group().lstrip())
            loc = {"section": sec.path}
            if sec.text_line:
                loc["line"] = sec.text_line + text.count("\n", 0, m.start() + lead)
            yield sec, sentence, loc
