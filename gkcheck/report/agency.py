"""Infer an agency's kind, level and province from its name (the user can override each)."""

from __future__ import annotations

import re
from functools import lru_cache

from gkcheck.util.files import read_text

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
# "浙江省…", "上海市…", "广西壮族自治区…": a province named as such (吉林市 is a city).
_PROVINCE_PREFIX = re.compile(
    "(" + "|".join(_MUNICIPALITIES) + ")市?|(" + "|".join(p for p in PROVINCES if p not in _MUNICIPALITIES)
    + ")(?:省|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)")
_GOVERNMENT = re.compile(r"(人民政府|管理委员会|管委会|(?<!办)政府)$")
# A bare place name ("淮安市", "平潭综合实验区") titles its government's own report.
_PLACE = re.compile(r"(省|市|县|区|州|旗|盟|乡|镇|街道|自治区|特别行政区)$")
# Offices of a government report as departments of it (国务院办公厅, 市政府办公室).
_DEPARTMENT = re.compile(r"(厅|局|委员会|委|办公室|办公厅|办|署|院|中心|所|部|会|队|处|站|馆)$")


def infer_agency(name: str) -> dict:
    name = name.strip()
    kind = ("government" if _GOVERNMENT.search(name) or _PLACE.search(name)
            else "department" if _DEPARTMENT.search(name) else None)
    prefix = _PROVINCE_PREFIX.match(name)
    province = (prefix.group(1) or prefix.group(2)) if prefix else _province_of_place(name)
    rest = name[prefix.end():] if prefix else name
    return {"name": name, "kind": kind, "level": _level(name, rest, bool(prefix)), "province": province}


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
    if re.search(r"(乡|镇|街道)(人民政府|办事处)?$", name):
        return "township"
    if re.match(r"^.{1,12}?(县|区|旗)(?!域)", rest):
        return "county"   # 洪泽区, 平潭县, 杭州市西湖区: a district below a city is county level
    if re.match(r"^.{1,8}?(市|州|盟|地区)", rest):
        return "municipal"
    if provincial_prefix or name.startswith("省"):
        return "provincial"
    return None
