"""What an agency's name says: kind, level and province (the user can override each), whether a
phrase is a name at all, and whether it names a government's own office."""

from __future__ import annotations

import re
from functools import lru_cache

from gkcheck.util import regex
from gkcheck.util.files import read_text

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
# "浙江省…", "上海市…", "广西壮族自治区…": a province named as such (吉林市 is a city).
_PROVINCE_PREFIX = regex.compile(
    "(" + "|".join(_MUNICIPALITIES) + ")市?|(" + "|".join(p for p in PROVINCES if p not in _MUNICIPALITIES)
    + ")(?:省|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)")
_GOVERNMENT = regex.compile(r"(人民政府|(?<!办)政府)$")
# A street office (街道办事处) is an agency of the district government, not a 人民政府 nor one of
# its departments; courts, procuratorates, congresses and institutions are not administrative organs.
_OTHER = regex.compile(r"(街道|街道办事处|街道办|法院|检察院|人大常委会|人民代表大会常务委员会|大学|学院|学校|医院|公司|集团|银行)$"
                    r"|^(中共|中国共产党|政协|中国人民政治协商会议)")
# A bare place name ("淮安市", "平潭综合实验区", "X镇") titles its government's own report.
_PLACE = regex.compile(r"(省|市|县|区|州|旗|盟|乡|镇|自治区|特别行政区)$")
# Departments in every common form, and their own agencies (分局, 支队, 所, 站); offices of a
# government report as departments of it (国务院办公厅, 市政府办公室) unless the text says otherwise.
_DEPARTMENT = regex.compile(r"(厅|局|委员会|委|办公室|办公厅|办|署|院|中心|所|部|会|队|处|站|馆|管委会|管理委员会)$")
# The office of a government: its report may be the government's (第四十九条第二款: published by the
# government's 政府信息公开工作主管部门) or the office's own.
_GOV_OFFICE = r"^(?P<gov>.+?(?:人民政府|政府|管委会|管理委员会))(?:办公室|办公厅|办)$"
# Never part of a name: what begins a sentence or quotes a law (根据《…, 按照《…), punctuation.
_NOT_A_NAME = regex.compile(r"^(根据|按照|依据|依照|为|现|由|本(?!溪)|我|关于|对|在|各|该|其|以|据|结合)"
                         r"|[《》“”\"'，,。；;：:、!！?？<>\[\]【】|]|\d|报告|年度|情况|如下|关于|印发|转发|通知")
NAME_MAX = 40


_BRACKET = r"[(（][^()（）]{1,20}[)）]$"  # X县人民政府办公室（县政务服务管理局）


def infer_agency(name: str) -> dict:
    name = name.strip()
    # a second name in brackets: the first says what the agency is
    core = (re.sub(_BRACKET, "", name) or name) if name.endswith((")", "）")) else name
    kind = ("other" if _OTHER.search(core)
            else "government" if _GOVERNMENT.search(core) or _PLACE.search(core)
            else "department" if _DEPARTMENT.search(core) else None)
    prefix = _PROVINCE_PREFIX.match(name)
    province = (prefix.group(1) or prefix.group(2)) if prefix else _province_of_place(name)
    rest = name[prefix.end():] if prefix else name
    return {"name": name, "kind": kind, "level": _level(name, rest, bool(prefix)), "province": province}


def looks_like_name(phrase: str) -> bool:
    """True for a phrase that can be an agency's name: short, no punctuation or figures, not the
    start of a sentence, and ending as agencies' names end (局, 人民政府, X县, 街道办事处 …)."""
    phrase = phrase.strip()
    if not 2 <= len(phrase) <= NAME_MAX or _NOT_A_NAME.search(phrase):
        return False
    return infer_agency(phrase)["kind"] is not None


def government_of_office(name: str) -> str | None:
    """'X县人民政府办公室' → 'X县人民政府'; None when the name is not a government's office."""
    name = name.strip()
    if name.endswith((")", "）")):
        name = re.sub(_BRACKET, "", name)
    m = re.match(_GOV_OFFICE, name) if name.endswith(("办", "办公室", "办公厅")) else None
    return m.group("gov") if m else None


@lru_cache(maxsize=1)
def _places() -> list[tuple[str, str]]:
    """(place, province), longest names first so that 海南州 wins over 海南."""
    import yaml

    text = read_text(__file__, "places.yaml")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return sorted(((p, prov) for prov, places in data.items() for p in places), key=lambda x: -len(x[0]))


def _province_of_place(name: str) -> str | None:
    """The province of a name that starts with a city: 杭州市财政局 → 浙江."""
    return next((prov for place, prov in _places() if name.startswith(place)), None)


def _level(name: str, rest: str, provincial_prefix: bool) -> str | None:
    """Level from the place names in the agency name; `rest` is what follows a province prefix."""
    if name.startswith(("国务院", "国家", "中华人民共和国", "中国")) or re.fullmatch(r"[^省市县区州镇乡]{1,8}(部|总局|总署)", name):
        return "national"  # 公安部, 海关总署: a ministry named without a place
    if re.search(r"(乡|镇|街道)(人民政府|办事处|办)?$", name):
        return "township"
    # 洪泽区, 平潭县, 杭州市西湖区: a district below a city is county level; a zone (开发区, 风景名胜区,
    # any 区 run by a 管委会) is not a district
    if re.match(r"^.{1,12}?(县|(?<!开发)(?<!高新)(?<!园)(?<!保税)(?<!度假)(?<!工业)(?<!示范)区(?!管委会|管理委员会)|旗)(?!域)",
                rest):
        return "county"
    if re.match(r"^.{1,8}?(市|州|盟|地区)", rest):
        return "municipal"
    if provincial_prefix or re.match(r"^[^市县区州旗盟]{0,7}省", name):
        return "provincial"
    return None
