"""The tables of a Word document (.docx) as grids of texts, through python-docx.

Departments often publish a plan as a Word document whose table is the plan.
Each table becomes a `Sheet` named 表1, 表2…; the paragraphs just above a table
(its title, 年度：2025…) come first as one-cell rows, so the title and header
block are read as a workbook's are. Merged cells (gridSpan across, vMerge down)
become merged ranges, as in .xlsx: a 任务名称 merged down ten 抽查事项 rows is one
task. A .docx is a zip archive: checker.zipguard checks it before python-docx
unpacks anything, and rows, columns and cells are bounded as for a workbook.
"""

from __future__ import annotations

import re
from typing import Any

from checker.errors import InputError
from checker.tables.grid import MAX_COLUMNS, MAX_ROWS, Sheet
from checker.tables.spans import LIMITS, MAX_CELLS, Span, fill_spans
from checker.zipguard import open_office

_ABOVE = 5  # paragraphs above a table kept as its title and header block
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?$")  # 附件1: a label, not the table's title


def read_docx(name: str, data: bytes) -> tuple[list[Sheet], list[InputError]]:
    """Every table of the document, in order, with the paragraphs just above it."""
    import docx  # imported here: runs without Word files do not pay for it

    document = open_office(name, data, "Word document", docx.Document)
    if isinstance(document, InputError):
        return [], [document]
    body = document.element.body
    sheets: list[Sheet] = []
    above: list[str] = []
    budget = MAX_CELLS
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _text(child)
            if text and not _ATTACHMENT.match(text):
                above = [*above, text][-_ABOVE:]
        elif tag == "tbl":
            sheet, problem, budget = _table(f"表{len(sheets) + 1}", child, above, budget)
            if problem:
                return [], [InputError(name, "", problem)]
            sheets.append(sheet)  # type: ignore[arg-type]
            above = []
    if not sheets:
        return [], [InputError(name, "", "the Word document holds no table: a plan or item list is read from a "
                                         "table (one row per task or item)")]
    return sheets, []


def _text(element: Any) -> str:
    """The text of a paragraph or cell: its runs' texts, paragraphs on lines of their own."""
    paragraphs = element.xpath("./w:p") if element.tag.endswith("}tc") else [element]
    return "\n".join("".join(t.text or "" for t in p.xpath(".//w:t")) for p in paragraphs).strip()


def _table(title: str, tbl: Any, above: list[str], budget: int) -> tuple[Sheet | None, str | None, int]:
    """One table: its rows of cells, gridSpan and vMerge read as merged ranges."""
    rows: list[list[str]] = [[t] for t in above]
    ranges: list[Span] = []
    open_down: dict[int, int] = {}  # column → index in `ranges` of the vertical range still open there
    for tr in tbl.tr_lst:
        r = len(rows)
        if r >= MAX_ROWS:
            return None, f"table {title} has more than {MAX_ROWS} rows; {LIMITS}", budget
        row: list[str] = []
        c = tr.grid_before
        row.extend([""] * c)
        continuing: set[int] = set()
        for tc in tr.tc_lst:
            span = tc.grid_span
            if c + span > MAX_COLUMNS:
                return None, f"table {title} has more than {MAX_COLUMNS} columns; {LIMITS}", budget
            merge = tc.vMerge
            if merge == "continue" and c in open_down:
                k = open_down[c]
                r0, c0, _, c1 = ranges[k]
                ranges[k] = (r0, c0, r, c1)
                continuing.add(c)
                row.extend([""] * span)
            else:
                row.extend([_text(tc)] + [""] * (span - 1))
                if span > 1 or merge == "restart":
                    ranges.append((r, c, r, c + span - 1))
                    if merge == "restart":
                        open_down[c] = len(ranges) - 1
                        continuing.add(c)
            c += span
        open_down = {col: k for col, k in open_down.items() if col in continuing}
        budget -= len(row)
        if budget < 0:
            return None, f"the document's tables hold more than {MAX_CELLS} cells; {LIMITS}", budget
        rows.append(row)
    sheet = Sheet(title, rows)
    budget, problem = fill_spans(sheet, ranges, budget)
    return sheet, problem, budget
