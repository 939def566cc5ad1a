"""Item names in plans mapped to the ids of same-named items in the item lists, across files."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from checker.errors import InputError
from checker.read.inputs import Loaded
from checker.rulebook import Text
from checker.tables import readers as rd
from checker.tables.cells import Cells


def resolve_items(loaded: Loaded) -> Loaded:
    """Map the item names of spreadsheet plans to the ids of same-named items in the item lists.

    A name held by items of different ids (a provincial and a municipal list both naming
    食品生产企业检查, each with its own id and department) is not resolved by which file comes
    first: it is an input error naming the lists, and the name is left out of the task's items.
    """
    names: dict[str, dict[str, list[str]]] = {}  # name -> id -> the lists holding it
    any_list = False
    for raw in loaded.documents:
        if isinstance(getattr(raw, "data", None), dict) and raw.data.get("kind") == "item_list":
            any_list = True
            where = f"{raw.data.get('id')} ({raw.file})"
            for it in raw.data.get("items") or ():
                if isinstance(it, dict) and isinstance(it.get("name"), str) and isinstance(it.get("id"), str):
                    names.setdefault(rd.norm(it["name"]), {}).setdefault(it["id"], []).append(where)
    by_file: dict[str, list[Any]] = {}  # each file's documents, in order: one look per cell, not a scan of all
    changed: set[int] = set()  # the documents whose item names became other ids
    for d in loaded.documents:
        by_file.setdefault(d.file, []).append(d)
    for file, cells in loaded.cells.items():
        if not isinstance(cells, Cells):  # a reading taken back (dsr-check read) holds names mapped already
            continue
        docs = [(d.path + "/", d) for d in by_file.get(file, ())]
        for ptr in cells.of_kind("items"):  # a task's items among its cells, each column looked at once
            raw = next((d for prefix, d in docs if ptr.startswith(prefix)), None)
            if raw is None:
                continue
            target: Any = raw.data
            for part in ptr[len(raw.path) + 1:].split("/"):
                target = target[int(part)] if type(target) is list else target[part]
            ids, zh, en, ambiguous = _map_names(target, names, any_list)
            if ids != target:
                changed.add(id(raw))
            target[:] = ids
            cells.renote(ptr, Text("；".join(zh), "; ".join(en)))
            if ambiguous:
                loaded.errors.extend(InputError(file, ptr, message) for message in ambiguous)
    if changed:  # found valid as read (checker.read.load), before their items changed: to be checked again
        loaded.documents = [replace(d, valid=False) if id(d) in changed else d for d in loaded.documents]
    return loaded


def _holders(by_id: dict[str, list[str]]) -> str:
    return "; ".join(f"{item} in {', '.join(sorted(set(lists)))}" for item, lists in sorted(by_id.items()))


def _map_names(items: list[str], names: dict[str, dict[str, list[str]]], any_list: bool
               ) -> tuple[list[str], list[str], list[str], list[str]]:
    ids: list[str] = []
    zh: list[str] = []
    en: list[str] = []
    ambiguous: list[str] = []

    for name in items:
        found = names.get(rd.norm(name), {}) if names else {}
        parts = [p for p in re.split(r"[、，,]", name) if p.strip()] if names and not found else []
        if len(parts) > 1 and all(names.get(rd.norm(p)) for p in parts):
            several = [names[rd.norm(p)] for p in parts]
        else:
            several = [found] if found else []
        unclear = [by_id for by_id in several if len(by_id) > 1]
        if unclear:
            ambiguous.extend(f"the item name {name!r} matches items of different ids: {_holders(by_id)}; "
                             "write the item's id instead of its name" for by_id in unclear)
            zh.append(f"{name}（多个清单中有同名但编号不同的事项，无法确定，未读取）")
            en.append(f"{name} (items of different ids bear this name in the lists supplied; not read)")
            continue
        if found:
            ids.append(next(iter(found)))
            zh.append(f"{name} → {ids[-1]}（清单中同名事项）")
            en.append(f"{name} → {ids[-1]} (the listed item of that name)")
            continue
        if several:
            split = [next(iter(by_id)) for by_id in several]
            ids.extend(split)
            zh.append(f"{name} → {'、'.join(split)}（按“、”分开后均为清单事项）")
            en.append(f"{name} → {', '.join(split)} (split at 、, each a listed item)")
            continue
        ids.append(name)
        if any_list:
            zh.append(f"{name}（所供清单中没有同名事项，以原文为编号）")
            en.append(f"{name} (no item of that name in the lists supplied; the text is its id)")
        else:
            zh.append(f"{name}（未提供事项清单，以原文为编号）")
            en.append(f"{name} (no item list supplied; the text is its id)")
    return ids, zh, en, ambiguous
