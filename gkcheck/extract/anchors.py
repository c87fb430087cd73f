"""Words only the standard tables print: a text without any of them has no table to look for
(the narrative reader checks this before it loads the table layer)."""

TABLE_ANCHORS = ("本年新收", "第二十条", "结果维持")
