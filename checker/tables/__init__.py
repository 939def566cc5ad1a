"""Spreadsheet inputs: annual plans and item lists as real tables write them.

A workbook (.xlsx, .xls) or a CSV holds one table per sheet, a Word document (.docx) one per table: one row per task (a
plan) or per item (an item list). The header row is found by its names, which
may be any synonym of `headers.yaml`, written with spaces inside, full-width
brackets, or over two rows of merged cells. Above the table, a small header
block (`年度：2021`, or a label cell and a value cell) gives what a table does
not hold: the plan's year, jurisdiction, level, department and dates; a sheet
named 计划信息 may hold it instead, and `--plan KEY=VALUE` / `--items KEY=VALUE`
fill what neither says. A plan's year may also be read from its title
(`…2021年度…计划表`), and says so.

Cells are free text, read by `readers.py` exactly or not at all: a cell that
cannot be read is an input error naming the sheet, row, column and text, and
its field is left out (the rules that need it are not evaluated). Every value
read is recorded as a `Cell` (sheet, row, column, text as written, and how it
was read) under the JSON pointer it fills, so findings point to the cell and
carry the text as written in their evidence.

Items in a plan are names. After every file is read, `resolve_items` maps
each name to the id of the item of that name in a supplied item list
(compared after NFKC and without spaces); a name no list holds is its own id,
and the reading says which.

The modules, in the order a table is read: `grid` (a sheet as texts; `xls` and
`word` for .xls and Word tables, `spans` their merged ranges),
`vocabulary` (headers.yaml), `layout` (the header row and the rows of data),
`block` (the header block and title), `document` (the document's own fields),
`records` (tasks and items; `cells` keeps their cells compactly), `workbook` (all of it for one file), `items`
(names to ids across files); `readers` reads one cell. `forms` reads the
registers of the other kinds, one document a row (adjustments, batches and
their results, progress reports, work norms), and `template` writes the blank
workbook of every kind.
"""

from checker.tables.items import resolve_items
from checker.tables.vocabulary import vocabulary
from checker.tables.workbook import TableOptions, TableRead, read_table

__all__ = ["TableOptions", "TableRead", "read_table", "resolve_items", "vocabulary"]
