"""Where a sheet's table is and what it is: its header row (one or two rows), its kind, its columns, its rows.

A sheet is classified by weighing every header and the title: the columns only
a plan has (牵头部门, 检查时间, 抽查比例…) against those only an item list has
(检查主体, 检查依据), and a title that names one kind (…计划 / …清单) over both.
How it was classified, and why, is kept (`Layout.reason`); a sheet that cannot
be told is refused with both sets of headers named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.rulebook import Text
from checker.tables import readers as rd
from checker.tables.grid import Sheet
from checker.tables.vocabulary import match_column

HEADER_SCAN_ROWS = 30
KINDS = ("annual_plan", "item_list")
_SHOWN = {"annual_plan": ("年度抽查计划", "an annual plan"), "item_list": ("抽查事项清单", "an item list")}


@dataclass
class Layout:
    kind: str  # annual_plan | item_list
    header_row: int
    first_data_row: int
    columns: dict[int, tuple[str, str]]  # column → (field, header as written)
    unused: list[tuple[int, str]]  # columns not read: (column, header as written)
    ticks: dict[int, str] = field(default_factory=dict)  # column → the item category a tick in it states
    reason: Text | None = None  # how the sheet was classified, and why


@dataclass
class Refusal:
    """A sheet whose header row was found but whose kind cannot be told."""

    header_row: int
    message: str


def _title(sheet: Sheet, above: int) -> str:
    """The first line above the header row holding one text (merged across the table)."""
    for r in range(above):
        texts = {sheet.text(r, c) for c in range(sheet.width())} - {""}
        if len(texts) == 1:
            return texts.pop()
    return ""


def _is_sub_row(top: list[str], below: list[str], voc: dict[str, Any]) -> bool:
    """Whether `below` is the second row of a two-row header: only headers, category names or repeats."""
    categories = voc["values"]["category"]
    differs = False
    for c, b in enumerate(below):
        if not b or b == top[c]:
            continue
        if rd.header_key(b) in categories or any(match_column(b, k, voc) for k in KINDS):
            differs = True
            continue
        return False
    return differs


def _fields(names: list[str], kind: str, voc: dict[str, Any]) -> dict[str, list[str]]:
    """The fields of `kind` the headers name, each with the headers naming it."""
    out: dict[str, list[str]] = {}
    for n in names:
        if (f := match_column(n, kind, voc)) is not None:
            out.setdefault(f, []).append(n)
    return out


def _classify(names: list[str], title: str, voc: dict[str, Any]) -> tuple[str | None, Text]:
    """The kind of table the headers and title say, and why; None with the ambiguity when they cannot tell."""
    only = {"annual_plan": set(voc["plan_only"]), "item_list": set(voc["items_only"])}
    evidence = {k: [h for f, hs in _fields(names, k, voc).items() if f in only[k] for h in hs] for k in KINDS}
    shown = {k: "、".join(dict.fromkeys(" ".join(h.split()) for h in evidence[k])) or "—" for k in KINDS}
    key = rd.norm(title)
    says = [k for k, words in (("annual_plan", voc["plan_titles"]), ("item_list", voc["item_titles"]))
            if any(w in key for w in words)]
    headers = f"plan headers: {shown['annual_plan']}; item-list headers: {shown['item_list']}"
    headers_zh = f"计划表头：{shown['annual_plan']}；清单表头：{shown['item_list']}"
    if len(says) == 1:
        kind = says[0]
        zh, en = _SHOWN[kind]
        return kind, Text(f"按标题“{title}”读作{zh}（{headers_zh}）",
                          f"read as {en} by its title {title!r} ({headers})")
    n_plan, n_items = len(evidence["annual_plan"]), len(evidence["item_list"])
    if n_plan != n_items:
        kind = "annual_plan" if n_plan > n_items else "item_list"
        zh, en = _SHOWN[kind]
        return kind, Text(f"按表头读作{zh}（{headers_zh}）", f"read as {en} by its headers ({headers})")
    return None, Text(f"无法判断是年度抽查计划还是抽查事项清单：{headers_zh}，标题未说明",
                      f"cannot tell an annual plan from an item list: {headers}, and the title says neither")


def find_layout(sheet: Sheet, voc: dict[str, Any]) -> Layout | Refusal | None:
    """The table of a sheet: its first row naming three known headers, read as one or two header rows."""
    width = sheet.width()
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        names = [sheet.text(r, c) for c in range(width)]
        known = {n for n in dict.fromkeys(names) if any(match_column(n, k, voc) for k in KINDS)}
        if len(known) < 3:
            continue
        below = [sheet.text(r + 1, c) for c in range(width)]
        two_rows = _is_sub_row(names, below, voc)
        title = _title(sheet, r)
        kind, reason = _classify(names + (below if two_rows else []), title, voc)
        if kind is None:
            return Refusal(r, reason.en)
        return _columns(sheet, r, names, below if two_rows else None, kind, reason, voc)
    return None


def _columns(sheet: Sheet, r: int, names: list[str], below: list[str] | None, kind: str, reason: Text,
             voc: dict[str, Any]) -> Layout:
    categories = voc["values"]["category"]
    columns: dict[int, tuple[str, str]] = {}
    unused: list[tuple[int, str]] = []
    ticks: dict[int, str] = {}
    category_field = "item_category" if kind == "annual_plan" else "category"
    top_field = ""
    for c, top in enumerate(names):
        sub = below[c] if below else ""
        if top:
            top_field = match_column(top, kind, voc) or ""
        if sub and sub != top and rd.header_key(sub) in categories and top_field == category_field:
            ticks[c] = categories[rd.header_key(sub)]  # 事项类别 over 一般事项 | 重点事项
            continue
        candidates = [sub, top + sub, top] if sub and sub != top else [top]
        hit = next(((f, cand) for cand in candidates if (f := match_column(cand, kind, voc))), None)
        if hit and hit[0] not in {f for f, _ in columns.values()}:
            columns[c] = hit
        elif sub or top:
            unused.append((c, " ".join((sub or top).split())))
    return Layout(kind, r, r + (2 if below else 1), columns, unused, ticks, reason)


def is_note_row(sheet: Sheet, r: int) -> bool:
    """A row holding one text merged across several columns (注：…), not a record.

    Only the row's own cells are looked at (the sheet's width, per row, made reading quadratic).
    """
    if not sheet.spans:
        return False  # nothing merged (a CSV): no row is one merged text
    spans = {sheet.spans.get((r, c)) for c in range(len(sheet.rows[r])) if sheet.text(r, c)}
    return len(spans) == 1 and None not in spans and (lambda s: s[3] - s[1] >= 2)(next(iter(spans)))


def _is_header_again(sheet: Sheet, r: int, layout: Layout) -> bool:
    """A row repeating the header row (a table printed over pages, an export's own header row)."""
    return all(sheet.text(r, c) == h or not sheet.text(r, c) for c, (_, h) in layout.columns.items()) and any(
        sheet.text(r, c) for c in layout.columns)


def data_rows(sheet: Sheet, layout: Layout) -> list[int]:
    known = [c for c, (f, _) in layout.columns.items() if f not in {"seq", "note"}] + list(layout.ticks)
    rows = []
    grid = sheet.rows
    for r in range(layout.first_data_row, len(grid)):
        texts = grid[r]  # as Sheet.text reads them: a cell past the row's end is blank
        width = len(texts)
        if is_note_row(sheet, r) or not any(c < width and texts[c].strip() for c in known) \
                or _is_header_again(sheet, r, layout):
            continue
        rows.append(r)
    return rows
