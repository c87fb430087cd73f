"""Generate realistic annual reports for the batch benchmark (and small test sets).

    python bench/gen_reports.py OUT_DIR --n 10000 --form json   # structured JSON (also yaml)
    python bench/gen_reports.py OUT_DIR --n 1000 --form html    # simple HTML pages with <table>s

Each agency gets consecutive years (so the batch pairs them), 2019/2020 in the 2019 national
format and 2021+ in the 2021 format, with the T1/T2/T3 tables under their canonical keys, the
six narrative sections, and seeded defects (a wrong total, a late or undated publication, a
signature after publication, a title year that differs from the period, a missing section).
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from html import escape

PROVINCES = ("浙江", "江苏", "福建", "山东", "河南", "湖北", "湖南", "广东", "四川", "云南", "陕西", "甘肃")
CITY_CHARS = "安宁平和兴华新昌阳江山泉德清丰临海东西南北永嘉"
DEPARTMENTS = ("人民政府", "人民政府办公室", "发展和改革委员会", "教育局", "公安局", "民政局", "司法局", "财政局",
               "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局",
               "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局",
               "统计局", "医疗保障局")
YEARS_PER_AGENCY = 4
T1_2019 = [("regulations", ("new_made", "new_published", "total_published")),
           ("normative_docs", ("new_made", "new_published", "total_published")),
           ("licensing", ("prev_count", "change", "decisions")),
           ("other_services", ("prev_count", "change", "decisions")),
           ("penalty", ("prev_count", "change", "decisions")),
           ("coercion", ("prev_count", "change", "decisions")),
           ("admin_fees", ("prev_count", "change")),
           ("procurement", ("procurement_count", "procurement_amount"))]
T1_2021 = [("regulations", ("issued", "repealed", "in_force")),
           ("normative_docs", ("issued", "repealed", "in_force")),
           ("licensing", ("decisions",)), ("penalty", ("decisions",)), ("coercion", ("decisions",)),
           ("admin_fees", ("fee_amount",))]
T2_COLS = ("natural", "commercial", "research", "nonprofit", "legal_service", "other_org")
REFUSED = ("state_secret", "law_prohibited", "three_safety", "third_party", "internal_affairs", "process_info",
           "enforcement_file", "query_matter")
UNABLE = ("not_held", "needs_creation", "unclear")
NOT_PROCESSED = ("petition", "repeat", "publication", "mass_repeat", "confirm")
T3_ROWS = ("review", "litigation_direct", "litigation_after_review")
T3_COLS = ("upheld", "corrected", "other", "pending")
DEFECTS = ("t2_total", "t2_balance", "late", "undated", "signed_after", "title_year", "no_problems_section",
           "t3_total", "text_figure", "cross_year", "copied")

LABELS = {  # as printed in the national format (for HTML pages)
    "regulations": "规章", "normative_docs": "规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "penalty": "行政处罚", "coercion": "行政强制",
    "admin_fees": "行政事业性收费", "procurement": "政府集中采购", "new_made": "本年新制作数量",
    "new_published": "本年新公开数量", "total_published": "对外公开总数量", "prev_count": "上一年项目数量",
    "change": "本年增/减", "decisions": "处理决定数量", "procurement_count": "采购项目数量",
    "procurement_amount": "采购总金额", "issued": "本年制发件数", "repealed": "本年废止件数",
    "in_force": "现行有效件数", "fee_amount": "本年收费金额（单位：万元）",
    "natural": "自然人", "commercial": "商业企业", "research": "科研机构", "nonprofit": "社会公益组织",
    "legal_service": "法律服务机构", "other_org": "其他", "total": "总计",
    "received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开", "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "refused.state_secret": "1.属于国家秘密", "refused.law_prohibited": "2.其他法律行政法规禁止公开",
    "refused.three_safety": "3.危及“三安全一稳定”", "refused.third_party": "4.保护第三方合法权益",
    "refused.internal_affairs": "5.属于三类内部事务信息", "refused.process_info": "6.属于四类过程性信息",
    "refused.enforcement_file": "7.属于行政执法案卷", "refused.query_matter": "8.属于行政查询事项",
    "unable.not_held": "1.本机关不掌握相关政府信息", "unable.needs_creation": "2.没有现成信息需要另行制作",
    "unable.unclear": "3.补正后申请内容仍不明确", "not_processed.petition": "1.信访举报投诉类申请",
    "not_processed.repeat": "2.重复申请", "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.mass_repeat": "4.无正当理由大量反复申请",
    "not_processed.confirm": "5.要求行政机关确认或重新出具已获取信息", "other": "（六）其他处理",
    "other.no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他", "total_results": "（七）总计", "carried_forward": "四、结转下年度继续办理",
    "review": "行政复议", "litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉",
    "upheld": "结果维持", "corrected": "结果纠正", "pending": "尚未审结",
}


def _rng(*key) -> random.Random:
    """A generator fixed by its key: the same agency-year-cell always draws the same number."""
    return random.Random("/".join(map(str, key)))


def agency_for(index: int) -> dict:
    """The index-th agency: a synthetic county or city of a province and one of its offices."""
    r = _rng("agency", index)
    province = PROVINCES[index % len(PROVINCES)]
    city = r.choice(CITY_CHARS) + r.choice(CITY_CHARS) + "市"
    county = "" if index % 3 == 0 else r.choice(CITY_CHARS) + r.choice(CITY_CHARS) + ("县" if index % 2 else "区")
    dept = DEPARTMENTS[(index // len(PROVINCES)) % len(DEPARTMENTS)]
    # The suffix keeps names unique for large N without changing what the name looks like.
    name = f"{province}省{city}{county}{'' if index < 10000 else index // 10000}{dept}"
    kind = "government" if dept == "人民政府" else "department"
    return {"name": name, "kind": kind, "level": "county" if county else "municipal", "province": province}


def _cell(row: str, col: str, value, blank_zero: bool) -> dict:
    if value == 0 and blank_zero:
        return {"row": row, "col": col, "printed": "", "value": None, "kind": "blank"}
    printed = f"{value:g}" if isinstance(value, float) else str(value)
    return {"row": row, "col": col, "printed": printed, "value": value, "kind": "number"}


def _t2_rows(fmt: str) -> list[str]:
    other = ["other"] if fmt == "2019" else ["other.no_correction", "other.unpaid_fee", "other.other"]
    return (["granted", "partial"] + [f"refused.{k}" for k in REFUSED] + [f"unable.{k}" for k in UNABLE]
            + [f"not_processed.{k}" for k in NOT_PROCESSED] + other)


# Quantities that carry over from one year to the next are functions of (agency, year), so
# consecutive reports of one agency agree unless a defect is seeded.
def _forward(a: int, year: int, col: str) -> int:
    return _rng("forward", a, year, col).randint(0, 9 if col == "natural" else 2)


def _items(a: int, year: int, row: str) -> int:
    return _rng("items", a, year, row).randint(0, 60)


def _in_force(a: int, year: int, row: str) -> int:
    return _rng("base", a, row).randint(60, 400) + sum(
        _rng("issued", a, y, row).randint(0, 30) - _rng("repealed", a, y, row).randint(0, 5)
        for y in range(2021, year + 1))


def _t1(r: random.Random, a: int, year: int, fmt: str, blank: bool) -> list[dict]:
    cells = []
    for row, cols in (T1_2019 if fmt == "2019" else T1_2021):
        for col in cols:
            if col == "prev_count":
                value = _items(a, year - 1, row)
            elif col == "change":
                value = _items(a, year, row) - _items(a, year - 1, row)
            elif col == "issued":
                value = _rng("issued", a, year, row).randint(0, 30)
            elif col == "repealed":
                value = _rng("repealed", a, year, row).randint(0, 5)
            elif col == "in_force":
                value = _in_force(a, year, row)
            elif col in ("fee_amount", "procurement_amount"):
                value = round(r.uniform(0, 900), 2)
            else:
                value = r.randint(0, 60)
            cells.append(_cell(row, col, value, blank))
    return cells


def tables(r: random.Random, a: int, year: int, fmt: str, defects: set) -> dict:
    blank = a % 4 == 0   # some agencies leave zero cells blank, every year
    results = _t2_rows(fmt)
    t2, grand = [], {}
    for col in T2_COLS:
        carried, forward = _forward(a, year - 1, col), _forward(a, year, col)
        if "cross_year" in defects and col == "natural":
            carried += 1
        received = max(forward, r.randint(0, 400) if col == "natural" else r.randint(0, 20))
        left = received + carried - forward
        values = {"received": received, "carried_over": carried}
        for row in results[1:]:  # a few of each outcome; the rest are granted
            values[row] = r.randint(0, min(left, 3)) if r.random() < 0.3 else 0
            left -= values[row]
        values["granted"] = left
        values.update(total_results=received + carried - forward, carried_forward=forward)
        for row, v in values.items():
            grand[row] = grand.get(row, 0) + v
        t2 += [_cell(row, col, v, blank) for row, v in values.items()]
    if "t2_balance" in defects:
        grand["total_results"] += 1
    for row, v in grand.items():
        total = v + 1 if "t2_total" in defects and row == "granted" else v
        t2.append(_cell(row, "total", total, False))
    t3 = []
    for row in T3_ROWS:
        vals = [r.randint(0, 5) if r.random() < 0.4 else 0 for _ in T3_COLS]
        total = sum(vals) + (2 if "t3_total" in defects and row == "review" else 0)
        t3 += [_cell(row, c, v, blank) for c, v in zip(T3_COLS, vals)] + [_cell(row, "total", total, False)]
    return {
        "T1": {"format": fmt, "title": "主动公开政府信息情况", "cells": _t1(r, a, year, fmt, blank)},
        "T2": {"format": fmt, "title": "收到和处理政府信息公开申请情况", "columns": [*T2_COLS, "total"], "cells": t2},
        "T3": {"format": fmt, "title": "政府信息公开行政复议、行政诉讼情况",
               "columns": [*T3_COLS, "total"], "cells": t3},
    }


def _total(table: dict, row: str) -> int:
    return sum(c["value"] or 0 for c in table["cells"] if c["row"] == row and c["col"] == "total")


# Each narrative slot has several wordings; an agency's choice changes from year to year
# (the "copied" defect reuses last year's choices, as a copied report would).
SLOTS = {
    "overall": ["坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作深化政务公开",
                "认真落实国务院办公厅和省政府办公厅关于政务公开工作的部署，以公开促落实、以公开促规范、以公开促服务",
                "把政务公开作为建设法治政府的重要抓手，健全工作机制，推动决策、执行、管理、服务、结果全过程公开",
                "聚焦群众关切和营商环境优化，持续推进重点领域信息公开，政务公开标准化规范化水平稳步提升",
                "按照年度政务公开工作要点，细化任务分工，压实工作责任，公开工作取得新进展"],
    "proactive": ["及时公开规范性文件、重大建设项目等信息{n}条", "围绕乡村振兴、教育医疗等民生领域发布信息{n}条",
                  "通过门户网站、政务新媒体同步发布政策文件和解读材料{n}条", "集中公开权责清单、财政资金等信息{n}条",
                  "在政府信息公开专栏更新各类政务信息{n}条"],
    "management": ["落实公开属性源头认定和保密审查制度，动态更新政策文件库。", "开展规范性文件清理，及时公布清理结果和现行有效文件目录。",
                   "严格执行“先审查、后公开”和“一事一审”制度，全年未发生泄密事件。", "对照基层政务公开标准目录，逐项梳理公开事项。",
                   "建立公开内容定期检查机制，每季度开展栏目自查。"],
    "platform": ["整合政务新媒体，优化政府网站信息公开专栏。", "完成政府网站集约化迁移，统一信息发布平台。",
                 "在政务服务中心设置政务公开专区，提供查阅和咨询服务。", "升级依申请公开在线办理系统，实现申请全程网上留痕。",
                 "优化政府信息公开指南，方便公众查找和申请。"],
    "budget": ["按时公开{year}年部门预算和{prev}年部门决算及“三公”经费情况。", "在预决算公开专栏集中发布部门预决算和“三公”经费信息。",
               "部门预算、决算和“三公”经费信息均在批复后20日内公开。",
               "公开{year}年部门预算和{prev}年部门决算，细化说明“三公”经费增减变化原因。"],
    "apply": ["全年收到政府信息公开申请{received}件，办结{done}件，结转下年度{forward}件，均在法定期限内答复。",
              "本年度共收到政府信息公开申请{received}件，已办结{done}件，另有{forward}件结转下年度办理。",
              "收到申请{received}件，较上年有所变化；办结{done}件，结转下年度{forward}件。",
              "依法受理政府信息公开申请{received}件，按期办结{done}件，结转下年度{forward}件，未发生逾期答复。"],
    "oversight": ["将政务公开纳入年度绩效考核，邀请群众代表开展社会评议，全年未发生责任追究情况。",
                  "政务公开工作在年度考核中占4分，组织开展社会评议一次，未发生因政务公开工作被问责的情况。",
                  "建立政务公开考核评议制度，聘请社会监督员参与评议，本年度无责任追究情况。",
                  "把政务公开纳入督查考核，开展网上评议，没有出现需要追究责任的情形。"],
    "problems": ["主要问题是政策解读形式较为单一、基层公开标准化水平有待提高。下一步将丰富解读方式，加强培训指导。",
                 "存在的问题是部分栏目更新不够及时。下一步将建立更新提醒机制，明确责任人。",
                 "主要问题是依申请公开答复的规范性还需加强。下一步将完善答复文书模板，开展案例培训。",
                 "不足之处是政策解读的针对性不强。改进措施是推行图解、视频等多元化解读。",
                 "问题主要是公众参与渠道不够丰富。今后将扩大意见征集范围，及时反馈采纳情况。"],
}


def narrative(a: int, agency: dict, year: int, tabs: dict, defects: set) -> list[dict]:
    name = agency["name"]
    words = _rng("words", a, year - 1 if "copied" in defects else year)
    pick = {slot: words.choice(options) for slot, options in SLOTS.items()}
    n = words.randint(20, 400)
    received = _total(tabs["T2"], "received") + (7 if "text_figure" in defects else 0)
    done, forward = _total(tabs["T2"], "total_results"), _total(tabs["T2"], "carried_forward")
    review = _total(tabs["T3"], "review")
    litigation = _total(tabs["T3"], "litigation_direct") + _total(tabs["T3"], "litigation_after_review")
    sections = [
        {"number": "一、", "heading": "总体情况", "text": f"{year}年，{name}{pick['overall']}。",
         "sections": [
             {"number": "（一）", "heading": "主动公开", "text": pick["proactive"].format(n=n) + "。"
              + pick["budget"].format(year=year, prev=year - 1)},
             {"number": "（二）", "heading": "依申请公开",
              "text": pick["apply"].format(received=received, done=done, forward=forward)},
             {"number": "（三）", "heading": "政府信息管理", "text": pick["management"]},
             {"number": "（四）", "heading": "平台建设", "text": pick["platform"]},
             {"number": "（五）", "heading": "监督保障", "text": pick["oversight"]},
         ]},
        {"number": "二、", "heading": "主动公开政府信息情况", "text": ""},
        {"number": "三、", "heading": "收到和处理政府信息公开申请情况", "text": ""},
        {"number": "四、", "heading": "政府信息公开行政复议、行政诉讼情况",
         "text": f"全年因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{litigation}件。"},
        {"number": "五、", "heading": "存在的主要问题及改进情况", "text": pick["problems"]},
        {"number": "六、", "heading": "其他需要报告的事项", "text": f"{year}年度未收取信息处理费。"},
    ]
    if "no_problems_section" in defects:
        del sections[4]
        sections[4]["number"] = "五、"
    return sections


def structured_report(i: int, seed: int = 1) -> dict:
    """The i-th report: agency i // YEARS_PER_AGENCY, consecutive years from 2019 to 2024."""
    r = _rng("report", seed, i)
    a = i // YEARS_PER_AGENCY
    agency = agency_for(a)
    year = 2019 + i % YEARS_PER_AGENCY + a % 3
    fmt = "2019" if year < 2021 else "2021"
    defects = {d for d in DEFECTS if r.random() < 0.05}
    month, day = (1, r.randint(10, 31)) if agency["kind"] == "department" else (3, r.randint(1, 31))
    if "late" in defects:
        month, day = 4, r.randint(1, 30)
    published = f"{year + 1}-{month:02d}-{day:02d}"
    signed = f"{year + 1}-{month:02d}-{max(1, day - 2):02d}"
    if "signed_after" in defects:
        signed = f"{year + 1}-05-{r.randint(1, 28):02d}"
    title_year = year - 1 if "title_year" in defects else year
    name = agency["name"]
    tabs = tables(r, a, year, fmt, defects)
    return {
        "schema_version": 1,
        "agency": agency,
        "year": year,
        "title": f"{name}{title_year}年政府信息公开工作年度报告",
        "published": None if "undated" in defects else published,
        "signed": signed,
        "period": {"start": f"{year}-01-01", "end": f"{year}-12-31",
                   "text": f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"},
        "metadata": {"发布机构": name, **({} if "undated" in defects else {"发布日期": published})},
        "sections": narrative(a, agency, year, tabs, defects),
        "attachments": [],
        "tables": tabs,
        "notes": [],
    }


T1_BLOCKS = {"regulations": "（一）", "licensing": "（五）", "penalty": "（六）", "admin_fees": "（八）",
             "procurement": "（九）"}


def _td(text: str | None, span: str = "") -> str:
    return f"<td{span}>{escape(text) if text else '&nbsp;'}</td>"


def _html_t1(table: dict, fmt: str) -> str:
    """表二 as printed: a block per 第二十条 item, each with its own 信息内容 header row."""
    cells = {(c["row"], c["col"]): c["printed"] for c in table["cells"]}
    names = {**LABELS, "decisions": "本年处理决定数量"} if fmt == "2021" else LABELS
    out = ["<table border='1'>"]
    for row, cols in (T1_2019 if fmt == "2019" else T1_2021):
        if row in T1_BLOCKS:
            out.append(f"<tr><td colspan='4'>第二十条第{T1_BLOCKS[row]}项</td></tr><tr>{_td('信息内容')}"
                       + "".join(_td(names[c]) for c in cols) + "</tr>")
        out.append(f"<tr>{_td(names[row])}" + "".join(_td(cells.get((row, c))) for c in cols) + "</tr>")
    return "".join(out) + "</table>"


def _html_t2(table: dict, fmt: str) -> str:
    """表三 as printed: two header rows of applicants, grouped result rows with rowspans."""
    cells = {(c["row"], c["col"]): c["printed"] for c in table["cells"]}
    cols = [*T2_COLS, "total"]

    def values(row):
        return "".join(_td(cells.get((row, c))) for c in cols)

    groups = {"refused": "（三）不予公开", "unable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}
    results = _t2_rows(fmt) + ["total_results"]
    out = ["<table border='1'>",
           "<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
           "<td colspan='7'>申请人情况</td></tr>",
           "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr><tr>"
           + "".join(_td(LABELS[c]) for c in T2_COLS[1:]) + "</tr>"]
    for row in ("received", "carried_over"):
        out.append(f"<tr><td colspan='3'>{LABELS[row]}</td>{values(row)}</tr>")
    for i, row in enumerate(results):
        lead = f"<td rowspan='{len(results)}'>三、本年度办理结果</td>" if i == 0 else ""
        group = row.split(".")[0] if "." in row else None
        if group:
            members = [x for x in results if x.startswith(group + ".")]
            if row == members[0]:
                lead += f"<td rowspan='{len(members)}'>{groups[group]}</td>"
            label = _td(LABELS[row])
        else:
            label = _td(LABELS[row], " colspan='2'")
        out.append(f"<tr>{lead}{label}{values(row)}</tr>")
    out.append(f"<tr><td colspan='3'>{LABELS['carried_forward']}</td>{values('carried_forward')}</tr></table>")
    return "".join(out)


def _html_t3(table: dict) -> str:
    """表四 as printed: three column blocks of five, and one row of fifteen numbers."""
    cells = {(c["row"], c["col"]): c["printed"] for c in table["cells"]}
    cols = [*T3_COLS, "total"]
    names = {**LABELS, "other": "其他结果"}
    labels = "".join(_td(names[c]) for c in cols)
    return ("<table border='1'><tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr><tr>"
            + "".join(_td(names[c], " rowspan='2'") for c in cols)
            + "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr>"
            + f"<tr>{labels}{labels}</tr><tr>"
            + "".join(_td(cells.get((row, c))) for row in T3_ROWS for c in cols) + "</tr></table>")


def html_report(i: int, seed: int = 1) -> str:
    """The same report as a simple portal page: title, narrative <p>s and the three <table>s."""
    rep = structured_report(i, seed)
    tabs, fmt = rep["tables"], rep["tables"]["T1"]["format"]
    parts = [f"<p style='text-align:center'>{escape(rep['title'])}</p>",
             f"<p>发布日期：{rep['published'] or ''}</p>", f"<p>{escape(rep['period']['text'])}</p>"]
    blocks = {"二、": _html_t1(tabs["T1"], fmt), "三、": _html_t2(tabs["T2"], fmt), "四、": _html_t3(tabs["T3"])}
    for sec in rep["sections"]:
        parts.append(f"<p>{sec['number']}{escape(sec['heading'])}</p>")
        parts += [f"<p>{escape(sec['text'])}</p>"] if sec["text"] else []
        parts += [f"<p>{sub['number']}{escape(sub['heading'])}</p><p>{escape(sub['text'])}</p>"
                  for sub in sec.get("sections", [])]
        parts.append(blocks.get(sec["number"], ""))
    parts.append(f"<p style='text-align:right'>{escape(rep['agency']['name'])}</p><p>{rep['signed']}</p>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + escape(rep["title"])
            + "</title></head><body>" + "".join(parts) + "</body></html>\n")


def write(out_dir: str, n: int, form: str, seed: int = 1) -> list[str]:
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    dump = None
    if form == "yaml":
        import yaml

        try:
            from yaml import CSafeDumper as Dumper
        except ImportError:  # pragma: no cover
            from yaml import SafeDumper as Dumper
        dump = lambda d: yaml.dump(d, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=200)  # noqa: E731
    for i in range(n):
        path = os.path.join(out_dir, f"r{i:06d}.{form}")
        if form == "html":
            text = html_report(i, seed)
        elif form == "json":
            text = json.dumps(structured_report(i, seed), ensure_ascii=False)
        else:
            text = dump(structured_report(i, seed))
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        paths.append(path)
    return paths


def write_copies(out_dir: str, n: int, source: str) -> list[str]:
    """n copies of one real report as structured JSON (what `gkcheck extract` gives for it)."""
    from gkcheck.extract import read_report

    text = json.dumps(read_report(source), ensure_ascii=False)
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for i in range(n):
        path = os.path.join(out_dir, f"c{i:06d}.json")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--form", choices=("json", "yaml", "html"), default="json")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    write(args.out_dir, args.n, args.form, args.seed)
    print(f"{args.n} {args.form} reports in {args.out_dir}")


if __name__ == "__main__":
    main()
