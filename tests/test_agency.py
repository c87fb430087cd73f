"""Agency kind, level and province inferred from the name (each can be overridden on the command line)."""

import pytest

from gkcheck.report.agency import infer_agency

CASES = [
    ("浙江省商务厅", "department", "provincial", "浙江"),
    ("上海市人民政府办公厅", "department", "provincial", "上海"),
    ("淮安市人民政府", "government", "municipal", "江苏"),
    ("淮安市洪泽区人民政府", "government", "county", "江苏"),
    ("杭州市财政局", "department", "municipal", "浙江"),
    ("北京市朝阳区人民政府", "government", "county", "北京"),
    ("吉林市人民政府", "government", "municipal", "吉林"),
    ("吉林省人民政府", "government", "provincial", "吉林"),
    ("海南州人民政府", "government", "municipal", "青海"),
    ("广西壮族自治区商务厅", "department", "provincial", "广西"),
    ("平潭综合实验区", "government", "county", "福建"),
    ("某某镇人民政府", "government", "township", None),
    ("国务院办公厅", "department", "national", None),
    ("某某局", "department", None, None),
    ("公安部", "department", "national", None),
    ("海关总署", "department", "national", None),
    # a zone run by a 管委会 is not a district: the level is the city's, as for 开发区
    ("福州市鼓山风景名胜区管理委员会", "department", "municipal", "福建"),
    ("杭州市西湖风景名胜区管委会", "department", "municipal", "浙江"),
    ("淮安市洪泽区教育局", "department", "county", "江苏"),
]


@pytest.mark.parametrize("name,kind,level,province", CASES, ids=[c[0] for c in CASES])
def test_infer_agency(name, kind, level, province):
    assert infer_agency(name) == {"name": name, "kind": kind, "level": level, "province": province}
