"""Where the evaluated unit is: places inside unit names, a unit named without its place, and
places as the text writes them (invented texts)."""

from __future__ import annotations

import pytest

from loaders.extract import run
from loaders.regions import as_written, resolve_unit


@pytest.mark.parametrize("name, province, city, county", [
    ("共青团定西市委", "甘肃省", "定西市", None),  # organisation words before the place
    ("中国人民政治协商会议广东省广州市从化区委员会", "广东省", "广州市", "从化区"),
    ("天津市归国华侨联合会", "天津市", "天津市", None),  # a 直辖市 is its own city
])
def test_place_inside_a_unit_name(name, province, city, county):
    u = resolve_unit(name, "", 2022)
    assert (u.province, u.city, u.county) == (province, city, county)


def test_a_unit_without_its_place_takes_the_one_place_the_opening_lines_name():
    lines = ["单位名称:鹤峰县住房和城乡建设局", "项目名称 | 农村危房改造补助资金", "项目实施单位 | 村镇建设股",
             "预算执行情况(万元) | 预算数(A) | 执行数(B) | 执行率(B/A)", "年度财政资金总额 | 100 | 90 | 90%"]
    (ev,) = run(lines)
    assert (ev.unit.name, ev.unit.county) == ("村镇建设股", "鹤峰县")


def test_two_places_in_the_opening_lines_say_nothing():
    lines = ["项目实施单位 | 村镇建设股", "鹤峰县与来凤县联合实施", "年度财政资金总额 | 100 | 90 | 90%"]
    (ev,) = run(lines)
    assert ev.unit.county is None


def test_places_as_the_text_writes_them():
    u = resolve_unit("大姚县昙华乡人民政府", "", 2022)
    assert u.city == "楚雄彝族自治州"
    assert as_written(u, "楚雄州大姚县昙华乡人民政府2022年度部门整体支出绩效自评报告", 2022).city == "楚雄州"
    u = resolve_unit("大姚县昙华乡人民政府", "", 2022)
    assert as_written(u, "大姚县昙华乡人民政府", 2022).city == "楚雄彝族自治州"  # not written: canonical
