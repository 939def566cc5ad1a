"""headers.yaml read once: the names a header, a label or a fixed value may be written as."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from checker.tables import readers as rd


@cache
def vocabulary() -> dict[str, Any]:
    """headers.yaml, with every synonym as matched (header_key)."""
    raw = yaml.safe_load((Path(__file__).parent / "headers.yaml").read_text(encoding="utf-8"))

    def index(spec: dict[str, list[str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for fld, names in spec.items():
            for n in names:
                out.setdefault(rd.header_key(n), fld)
        return out

    def contains(rules: list[dict[str, Any]]) -> tuple[tuple[tuple[str, ...], str], ...]:
        return tuple((tuple(rd.header_key(h) for h in r["has"]), r["field"]) for r in rules)

    return {
        **raw,
        "plan_index": index(raw["plan_columns"]),
        "item_index": index(raw["item_columns"]),
        "plan_contains": contains(raw["plan_contains"]),
        "item_contains": contains(raw["item_contains"]),
        "plan_field_index": index(raw["plan_fields"]),
        "item_field_index": index(raw["item_list_fields"]),
        "values": {k: {rd.header_key(a): b for a, b in v.items()} for k, v in raw["values"].items()},
        # each fixed value's first Chinese word, as written there: what a template's drop-down list offers
        "terms": {k: list(dict.fromkeys(next((w for w, c in v.items() if c == code and not w.isascii()), code)
                                        for code in v.values())) for k, v in raw["values"].items()},
        "ticks": {rd.header_key(t) for t in raw["ticks"]},
    }


def match(text: str, index: dict[str, str]) -> str | None:
    """The field a label or header names exactly (after header_key), or None."""
    return index.get(rd.header_key(text)) if text else None


def match_column(text: str, kind: str, voc: dict[str, Any]) -> str | None:
    """The field a column header of a `kind` table names: by its name, else by what it contains."""
    if not text:
        return None
    key = rd.header_key(text)
    prefix = "plan" if kind == "annual_plan" else "item"
    if (hit := voc[f"{prefix}_index"].get(key)) is not None:
        return hit
    return next((fld for has, fld in voc[f"{prefix}_contains"] if all(h in key for h in has)), None)
