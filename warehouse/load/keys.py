"""Identity keys: which unit, subject and evaluation a record is, so that a changed report becomes
a revision of the same evaluation and another year, mode or project does not."""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def _key_part(s: str | None) -> str:
    """The matching form of a name inside a key: NFKC, no whitespace."""
    if not s:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def unit_key(unit: dict[str, Any], is_demo: bool, anonymous: str) -> str:
    """Demo units never share a key with real ones; an unnamed unit is unique to its file."""
    name = _key_part(unit["unit_name"]) or f"?{anonymous}"
    return f"{int(is_demo)}|{unit['admin_code'] or ''}|{name}"


def subject_key(ukey: str, head: dict[str, Any]) -> str:
    """unit|kind|project; a document that is not an evaluation adds |its document_kind, so a 决算
    page never becomes a revision of (or the previous year of) an evaluation, and the keys of
    evaluations stay what they were."""
    key = f"{ukey}|{head['report_kind'] or ''}|{_key_part(head['project_name'])}"
    kind = head.get("document_kind") or "evaluation"
    return key if kind == "evaluation" else f"{key}|{kind}"


def evaluation_key(skey: str, head: dict[str, Any]) -> str:
    return f"{skey}|{head['fiscal_year'] or ''}|{head['evaluation_mode'] or ''}"
