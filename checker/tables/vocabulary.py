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

    return {
        **raw,
        "plan_index": index(raw["plan_columns"]),
        "item_index": index(raw["item_columns"]),
        "plan_field_index": index(raw["plan_fields"]),
        "item_field_index": index(raw["item_list_fields"]),
        "values": {k: {rd.header_key(a): b for a, b in v.items()} for k, v in raw["values"].items()},
    }



def match(text: str, index: dict[str, str]) -> str | None:
    return index.get(rd.header_key(text)) if text else None

