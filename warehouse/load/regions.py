"""The region reference (loaders.regions.region_rows() as rows of the region table), rewritten
by a load only when it changed since the last one."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any

from warehouse import registry
from warehouse.load.frames import insert_frame

if TYPE_CHECKING:
    import duckdb


REGION_FIELDS = ("admin_code", "name", "level", "province_code", "city_code", "province", "city", "county",
                 "valid_from", "valid_to", "source")


def _as_dict(row: Any) -> dict[str, Any]:
    if isinstance(row, dict):
        return row
    if is_dataclass(row):
        return asdict(row)
    if hasattr(row, "_asdict"):
        return row._asdict()
    return dict(row)


def _region_rows() -> tuple | None:
    try:
        from loaders.regions import region_rows
    except ImportError:
        return None
    return tuple(region_rows())


def region_fingerprint(raw: tuple | None) -> str | None:
    return None if raw is None else hashlib.sha256(repr(raw).encode()).hexdigest()


def region_reference(raw: tuple | None = None) -> list[dict[str, Any]] | None:
    """loaders.regions.region_rows() as rows of the region table, with the province and city
    names filled in from their codes; None when that module has no region_rows()."""
    if raw is None:
        raw = _region_rows()
        if raw is None:
            return None
    raw = [_as_dict(r) for r in raw]
    names: dict[str, str] = {}
    for r in sorted(raw, key=lambda r: (r.get("valid_to") is None, r.get("valid_to") or 0)):
        names[str(r["admin_code"])] = r["name"]  # the current (or latest) name of each code wins
    out = []
    for r in raw:
        code = str(r.get("admin_code") or "").strip()
        if len(code) != 6 or not r.get("name"):
            continue
        level = r.get("level") or ("province" if code.endswith("0000") else "city" if code.endswith("00") else "county")
        province_code = r.get("province_code") or code[:2] + "0000"
        city_code = r.get("city_code") or None
        out.append({
            "admin_code": code, "name": r["name"], "level": level,
            "province_code": province_code, "city_code": city_code,
            "province": names.get(province_code),
            "city": names.get(city_code) if city_code and level != "province" else None,
            "county": r["name"] if level == "county" else None,
            "valid_from": r.get("valid_from"), "valid_to": r.get("valid_to"), "source": r.get("source"),
        })
    return out


def refresh_regions(con: duckdb.DuckDBPyConnection, last_fingerprint: str | None) -> str | None:
    """Replace the region reference with loaders.regions.region_rows() when it changed since the
    last load; return the fingerprint of what the table now holds (None: no reference)."""
    try:
        raw = _region_rows()
        fingerprint = region_fingerprint(raw)
        if raw is None or fingerprint == last_fingerprint:
            return last_fingerprint
        rows = region_reference(raw)
    except Exception as e:  # the reference is optional: a broken one must not stop a load
        print(f"区划参考表读取失败，沿用原表: {type(e).__name__}: {e}", file=sys.stderr)
        return last_fingerprint
    con.execute("DELETE FROM region")
    if rows:
        types = dict(registry.table_columns(con)["region"])
        insert_frame(con, "region", {c: [r[c] for r in rows] for c in REGION_FIELDS}, types,
                     distinct_on=("admin_code", "valid_from"))
    return fingerprint
