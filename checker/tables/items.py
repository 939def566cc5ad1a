"""Item names in plans mapped to the ids of same-named items in the item lists, across files."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from checker.read.inputs import Loaded
from checker.rulebook import Text
from checker.tables import readers as rd


def resolve_items(loaded: Loaded) -> Loaded:
    """Map the item names of spreadsheet plans to the ids of same-named items in the item lists."""
    names: dict[str, str] = {}
    any_list = False
    for raw in loaded.documents:
        if isinstance(getattr(raw, "data", None), dict) and raw.data.get("kind") == "item_list":
            any_list = True
            for it in raw.data.get("items") or ():
                if isinstance(it, dict) and isinstance(it.get("name"), str) and isinstance(it.get("id"), str):
                    names.setdefault(rd.norm(it["name"]), it["id"])
    for file, cells in loaded.cells.items():
        for ptr, cell in list(cells.items()):
            if cell.kind != "items":
                continue
            raw = next((d for d in loaded.documents if d.file == file and ptr.startswith(d.path + "/")), None)
            if raw is None:
                continue
            target: Any = raw.data
            for part in ptr[len(raw.path):].strip("/").split("/"):
                target = target[int(part)] if isinstance(target, list) else target[part]
            ids, zh, en = _map_names(list(target), names, any_list)
            target[:] = ids
            cells[ptr] = dataclasses.replace(cell, reading=Text("；".join(zh), "; ".join(en)))
    return loaded


def _map_names(items: list[str], names: dict[str, str], any_list: bool) -> tuple[list[str], list[str], list[str]]:
    ids: list[str] = []
    zh: list[str] = []
    en: list[str] = []
    for name in items:
        key = rd.norm(name)
        if key in names:
            ids.append(names[key])
            zh.append(f"{name} → {names[key]}（清单中同名事项）")
            en.append(f"{name} → {names[key]} (the listed item of that name)")
            continue
        parts = [p for p in re.split(r"[、，,]", name) if p.strip()]
        if len(parts) > 1 and all(rd.norm(p) in names for p in parts):
            for p in parts:
                ids.append(names[rd.norm(p)])
            zh.append(f"{name} → {'、'.join(names[rd.norm(p)] for p in parts)}（按“、”分开后均为清单事项）")
            en.append(f"{name} → {', '.join(names[rd.norm(p)] for p in parts)} (split at 、, each a listed item)")
            continue
        ids.append(name)
        if any_list:
            zh.append(f"{name}（所供清单中没有同名事项，以原文为编号）")
            en.append(f"{name} (no item of that name in the lists supplied; the text is its id)")
        else:
            zh.append(f"{name}（未提供事项清单，以原文为编号）")
            en.append(f"{name} (no item list supplied; the text is its id)")
    return ids, zh, en

