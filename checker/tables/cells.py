"""A table's cells by pointer, the common ones kept a column at a time rather than one `Cell` each.

A plan of 100,000 rows holds a million values, each read from a cell a finding may name
(计划!M16). Kept as a `Cell` under its pointer, they took a quarter of a gigabyte and a
second to make. Most are alike: the value of a record's field, read from the record's first
row, in the column the table's layout gives that field. Those are kept as `Held`: per
record its row, per column the text read and how it was read; their `Cell` is made when a
finding asks for it. Every other cell (the header block's, one that could not be read, a
task over several rows, a register's) is kept as it is, in `loose`.

What a pointer names is what the last write to it set: once a record has a loose cell, its
later cells are loose too, and a loose cell is looked up before a held one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from checker.rulebook import Text
from checker.sources import Cell

_NO_KEYS: tuple[str, ...] = ()


@dataclass(eq=False)
class Column:
    """One column of a table as its records' cells hold it: text and reading note per record (None: no cell)."""

    letter: str
    header: str
    to: str  # the pointer under the record its cell fills; a spread column's fill its `keys`
    kind: str
    spread: bool
    texts: list[str | None]
    notes: list[Text | None]
    keys: list[tuple[str, ...]]  # a spread column's members per record (ratio, ratio_floor), else empty

    def ptrs(self, i: int) -> tuple[str, ...]:
        """The pointers (under the record) record `i`'s cell in this column fills."""
        if self.texts[i] is None:
            return _NO_KEYS
        return tuple(f"/{k}" for k in self.keys[i]) if self.spread else (self.to,)


@dataclass(eq=False)
class Held:
    """The records of one table (`prefix` is their list's pointer and /, e.g. /tasks/) and their common cells."""

    prefix: str
    sheet: str
    size: int
    rows: list[int]  # record → its row as the sheet numbers it (0: the record has no cell of its own yet)
    columns: list[Column] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # records with a loose cell: their later cells are loose
    _keys: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    _fills: dict[str, list[Column]] = field(default_factory=dict)
    _spread_keys: dict[str, str] = field(default_factory=dict)

    def column(self, letter: str, header: str, to: str, kind: str, spread: bool) -> Column:
        n = self.size
        col = Column(letter, header, to, kind, spread, [None] * n, [None] * n, [_NO_KEYS] * n if spread else [])
        self.columns.append(col)
        return col

    def put(self, col: Column, i: int, text: str, note: Text | None, keys: tuple[str, ...] = _NO_KEYS) -> None:
        col.texts[i] = text
        col.notes[i] = note
        if col.spread:
            col.keys[i] = self._keys.setdefault(keys, keys)  # a few distinct member sets, shared

    def index(self, ptr: str) -> tuple[int, str] | None:
        """The record `ptr` lies in, and the rest of it ("" for the record itself); None if none of these."""
        if not ptr.startswith(self.prefix):
            return None
        number, slash, rest = ptr[len(self.prefix):].partition("/")
        if not number.isdigit() or (len(number) > 1 and number[0] == "0") or int(number) >= self.size:
            return None
        return int(number), slash + rest

    def filling(self, i: int, sub: str) -> Column | None:
        """The column whose cell of record `i` fills `sub`: the last to fill it, as with a dict's writes."""
        candidates = self._fills.get(sub)
        if candidates is None:  # the columns that may fill it, last first: worked out once a pointer
            key = sub[1:]
            candidates = self._fills[sub] = [c for c in reversed(self.columns) if c.spread or c.to == sub]
            self._spread_keys[sub] = key
        for col in candidates:
            if col.texts[i] is not None and (not col.spread or self._spread_keys[sub] in col.keys[i]):
                return col
        return None

    def cell(self, i: int, sub: str) -> Cell | None:
        row = self.rows[i]
        if not row:
            return None
        record = f"{self.prefix}{i}"
        if not sub:
            return Cell(self.sheet, row, "", "", None, None, record)
        col = self.filling(i, sub)
        if col is None:
            return None
        return Cell(self.sheet, row, col.letter, col.header, col.texts[i], col.notes[i], record, False, "", col.kind)

    def pointers(self, i: int) -> list[str]:
        """Every pointer record `i` has a held cell at, in the order they were filled."""
        if not self.rows[i]:
            return []
        record = f"{self.prefix}{i}"
        out = [record]
        for col in self.columns:
            out.extend(record + p for p in col.ptrs(i))
        return list(dict.fromkeys(out))


class Cells(Mapping[str, Cell]):
    """Cells by JSON pointer, as a dict of them reads (checker.sources), most of them held compactly."""

    def __init__(self) -> None:
        self.loose: dict[str, Cell] = {}
        self.held: list[Held] = []
        self._by_record: dict[str, list[str]] | None = None

    def table(self, prefix: str, sheet: str, size: int) -> Held:
        """A table of `size` records whose common cells are held compactly."""
        held = Held(prefix, sheet, size, [0] * size)
        self.held.append(held)
        return held

    def _find(self, ptr: str) -> tuple[Held, int, str] | None:
        for held in self.held:
            hit = held.index(ptr)
            if hit is not None:
                return held, hit[0], hit[1]
        return None

    def __setitem__(self, ptr: str, cell: Cell) -> None:
        self.loose[ptr] = cell
        self._by_record = None
        hit = self._find(ptr) if self.held else None
        if hit is not None:
            hit[0].touched.add(hit[1])

    def __getitem__(self, ptr: str) -> Cell:
        cell = self.get(ptr)
        if cell is None:
            raise KeyError(ptr)
        return cell

    def get(self, ptr: str, default: Cell | None = None) -> Cell | None:  # type: ignore[override]
        cell = self.loose.get(ptr)
        if cell is not None:
            return cell
        hit = self._find(ptr) if self.held else None
        if hit is not None:
            cell = hit[0].cell(hit[1], hit[2])
        return default if cell is None else cell

    def __contains__(self, ptr: object) -> bool:
        return isinstance(ptr, str) and self.get(ptr) is not None

    def __iter__(self) -> Iterator[str]:
        yield from self.loose
        for held in self.held:
            for i in range(held.size):
                yield from (p for p in held.pointers(i) if p not in self.loose)

    def __len__(self) -> int:  # walks every cell: ask `bool`, which does not
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return bool(self.loose) or any(any(h.rows) for h in self.held)

    def of_record(self, record: str) -> list[str]:
        """The pointers of the cells whose record is `record` (the record's own cell among them)."""
        if self._by_record is None:  # the loose cells grouped by record once (one look a record was quadratic)
            self._by_record = {}
            for p, c in self.loose.items():
                self._by_record.setdefault(c.record, []).append(p)
        out = list(self._by_record.get(record, ()))
        hit = self._find(record) if self.held else None
        if hit is not None and not hit[2]:
            out.extend(p for p in hit[0].pointers(hit[1]) if p not in self.loose)
        return out

    def renote(self, ptr: str, note: Text) -> None:
        """Say how the cell at `ptr` was read (a plan's item names, once mapped to ids)."""
        hit = self._find(ptr) if self.held and ptr not in self.loose else None
        if hit is not None:
            held, i, sub = hit
            col = held.filling(i, sub) if held.rows[i] else None
            if col is not None:
                col.notes[i] = note
                return
        self.loose[ptr] = self.loose[ptr]._replace(reading=note)

    def of_kind(self, kind: str) -> list[str]:
        """The pointers of the cells of one kind ("items": a plan's item names), without looking at every other
        cell."""
        out = [p for p, c in self.loose.items() if c.kind == kind]
        for held in self.held:
            for col in held.columns:
                if col.kind != kind:
                    continue
                for i, text in enumerate(col.texts):
                    if text is None or not held.rows[i]:
                        continue
                    for sub in col.ptrs(i):
                        ptr = f"{held.prefix}{i}{sub}"
                        if ptr not in self.loose and held.filling(i, sub) is col:
                            out.append(ptr)
        return out
