"""Infer an agency's kind, level and province from its name (the user can override each)."""

from __future__ import annotations

import re

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
_MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
_GOVERNMENT = re.compile(r"(人民政府|管理委员会|管委会|(?<!办)政府)$")
# A bare place name ("淮安市", "平潭综合实验区") titles its government's own report.
_PLACE = re.compile(r"(省|市|县|区|州|旗|盟|乡|镇|街道|自治区|特别行政区)$")
# Offices of a government report as departments of it (国务院办公厅, 市政府办公室).
_DEPARTMENT = re.compile(r"(厅|局|委员会|委|办公室|办公厅|办|署|院|中心|所|部|会|队|处|站|馆)$")
_TOWNSHIP = re.compile(r"(乡|镇|街道|街道办事处)(人民政府)?$|街道办事处$")


def infer_agency(name: str) -> dict:
    name = name.strip()
    kind = ("government" if _GOVERNMENT.search(name) or _PLACE.search(name)
            else "department" if _DEPARTMENT.search(name) else None)
    province = next((p for p in PROVINCES if name.startswith(p)), None)
    if province is None and name.startswith("省"):
        province = None  # "省商务厅": provincial, but which province is unknown from the name
    return {"name": name, "kind": kind, "level": _level(name, province), "province": province}


def _level(name: str, province: str | None) -> str | None:
    if name.startswith("国务院") or name.startswith("国家") or name.startswith("中华人民共和国"):
        return "national"
    if _TOWNSHIP.search(name.replace("人民政府", "")) or re.search(r"(乡|镇|街道)人民政府$", name):
        return "township"
    rest = name[len(province):] if province else name
    rest = rest.lstrip("省市自治区壮族回族维吾尔")
    if re.match(r"^.{1,8}?(县|区|旗)(?!域)", rest) and not re.match(r"^.{1,8}?市$", rest):
        # 洪泽区, 平潭县; a city name followed by a district is still county level
        return "county"
    if re.match(r"^.{1,8}?(市|州|盟|地区)", rest) and not (province in _MUNICIPALITIES and rest[:1] in "市人"):
        return "municipal"
    if province or name.startswith("省"):
        return "provincial"
    return None
