"""The header block above a table: label/value pairs (年度：2021) and the title line."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from checker.tables.grid import Sheet
from checker.tables.vocabulary import match


@dataclass
class Entry:
    fld: str
    text: str
    label: str
    sheet: Sheet
    row: int
    col: int
    whole: str  # the cell as written (a "年度：2021" cell holds label and value)


def header_block(sheet: Sheet, rows: range, index: dict[str, str]) -> tuple[list[Entry], str | None, int]:
    """Label/value pairs above the table, and the title (a lone text line) with its row."""
    entries: list[Entry] = []
    title, title_row = None, -1
    for r in rows:
        cells = [(c, sheet.text(r, c)) for c in range(len(sheet.rows[r]) if r < len(sheet.rows) else 0)
                 if sheet.text(r, c)]
        cells = [x for i, x in enumerate(cells) if i == 0 or x[1] != cells[i - 1][1]]  # merged duplicates
        found = False
        i = 0
        while i < len(cells):
            c, text = cells[i]
            span = sheet.spans.get((r, c))
            beside = (span[3] if span else c) + 1  # a value sits in the cell right of its label
            nxt = cells[i + 1] if i + 1 < len(cells) and cells[i + 1][0] == beside else None
            label, sep, rest = unicodedata.normalize("NFKC", text).partition(":")
            if sep and (fld := match(label, index)):
                value = rest.strip()
                if not value and nxt:
                    value, i = nxt[1], i + 1
                entries.append(Entry(fld, value, label.strip(), sheet, r, c, text))
                found = True
            elif (fld := match(text, index)) and nxt:
                entries.append(Entry(fld, nxt[1], text, sheet, r, nxt[0], nxt[1]))
                found, i = True, i + 1
            elif match(text, index):
                found = True  # a label left blank
            i += 1
        if not found and len(cells) == 1 and title is None:
            title, title_row = cells[0][1], r
    return entries, title, title_row

