"""Where a sheet's table is: its header row (one or two rows), its columns, its rows of data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.tables.grid import Sheet
from checker.tables.vocabulary import match

HEADER_SCAN_ROWS = 30


@dataclass
class Layout:
    kind: str  # annual_plan | item_list
    header_row: int
    first_data_row: int
    columns: dict[int, tuple[str, str]]  # column → (field, header as written)
    unknown: list[str]


def find_layout(sheet: Sheet, voc: dict[str, Any]) -> Layout | None:
    both = {**voc["item_index"], **voc["plan_index"]}
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        names = [sheet.text(r, c) for c in range(sheet.width())]
        if sum(1 for n in dict.fromkeys(names) if match(n, both)) < 3:
            continue
        below = [sheet.text(r + 1, c) for c in range(sheet.width())]
        two_rows = any(b and b != n and match(b, both) for n, b in zip(names, below, strict=False))
        plan_hits = {f for n in names + (below if two_rows else []) if (f := match(n, voc["plan_index"]))}
        item_hits = {f for n in names + (below if two_rows else []) if (f := match(n, voc["item_index"]))}
        is_plan = bool(plan_hits & set(voc["plan_only"]))
        is_items = bool(item_hits & set(voc["items_only"]))
        if is_plan == is_items:
            continue
        kind, index = ("annual_plan", voc["plan_index"]) if is_plan else ("item_list", voc["item_index"])
        columns: dict[int, tuple[str, str]] = {}
        unknown: list[str] = []
        for c, top in enumerate(names):
            sub = below[c] if two_rows else ""
            candidates = [sub, top + sub, top] if sub and sub != top else [top]
            hit = next(((f, cand) for cand in candidates if (f := match(cand, index))), None)
            if hit and hit[0] not in {f for f, _ in columns.values()}:
                columns[c] = hit
            elif (sub or top) and not hit:
                unknown.append(sub or top)
        return Layout(kind, r, r + (2 if two_rows else 1), columns, unknown)
    return None



def is_note_row(sheet: Sheet, r: int) -> bool:
    """A row holding one text merged across several columns (注：…), not a record."""
    spans = {sheet.spans.get((r, c)) for c in range(sheet.width()) if sheet.text(r, c)}
    return len(spans) == 1 and None not in spans and (lambda s: s[3] - s[1] >= 2)(next(iter(spans)))


def data_rows(sheet: Sheet, layout: Layout) -> list[int]:
    known = [c for c, (f, _) in layout.columns.items() if f not in {"seq", "note"}]
    rows = []
    for r in range(layout.first_data_row, len(sheet.rows)):
        if is_note_row(sheet, r) or not any(sheet.text(r, c) for c in known):
            continue
        rows.append(r)
    return rows

