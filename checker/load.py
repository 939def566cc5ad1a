"""Read input files into raw documents, strictly, without losing any.

A file holds one document, a list of documents, or {"documents": [...]};
a .jsonl file holds one document a line. JSON is read with exact decimals and
refuses duplicate keys and NaN/Infinity; YAML is read with a safe loader that
keeps dates as text and numbers exact. A member set to null is read as absent.
Every problem is an InputError value; nothing here raises to the caller.

Each line of a .jsonl file is read exactly as a .json file holding that one
document would be (same parser, same bounds, same messages, placed at /N);
what differs is speed: checks that the bytes show cannot fail are skipped
(`_Screen`, `_fast`, parse_lines).
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import accumulate, count
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None

from checker.errors import InputError, pointer

SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx", ".csv": "csv"}
TABLES = {"xlsx", "csv"}  # read by checker.tables: spreadsheets of plans and item lists
# A .json or .yaml file up to this size is kept, for the line and column of its findings
# (checker.sources); larger ones, and .jsonl files, are not (positions are only scanned up to it).
MAX_KEPT_TEXT_BYTES = 32 * 1024 * 1024

# A number is read exactly, so its size is bounded: Fraction(Decimal("1e-99999999"))
# alone would build a hundred-million-digit integer. No value of the contract needs
# more than a few digits; these bounds are far above any of them.
MAX_NUMBER_DIGITS = 100
MAX_NUMBER_EXPONENT = 100


# The deepest nesting a run may allow: later steps (null dropping, schema checks, the
# YAML composer) walk values recursively, so the bound stays far below Python's own.
MAX_DEPTH_CEILING = 100


_GUARD_DEPTH = MAX_DEPTH_CEILING + 1  # past this, a file is refused before it is parsed


@dataclass(frozen=True)
class Limits:
    """Bounds on what one run reads; each exceeded bound is an input error."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_documents: int = 100_000  # a province's year of a million results is 26,000 documents
    max_depth: int = 32
    max_string_chars: int = 10_000
    # YAML is for documents people write: each value costs its parser ~1 KiB and ~6 µs, so a
    # 64 MiB YAML file of `- {}` lines would take 10 GiB. Bulk data belongs in JSON or JSON Lines.
    max_yaml_values: int = 500_000

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_documents", "max_depth", "max_string_chars", "max_yaml_values"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, not {value!r}")
        if self.max_depth > MAX_DEPTH_CEILING:
            raise ValueError(f"max_depth is at most {MAX_DEPTH_CEILING}, not {self.max_depth}")


@dataclass(frozen=True)
class RawDocument:
    """One document as read: where it came from and its parsed value."""

    file: str
    path: str
    data: Any
    valid: bool = False  # already found schema-valid as it was read (validate.py need not ask again)


@dataclass
class Loaded:
    documents: list[RawDocument]  # in input order
    errors: list[InputError]
    files: dict[str, str]  # file -> SHA-256 of its bytes (the file itself is not kept)
    # per spreadsheet file: JSON pointer -> the cell it was read from (checker.sources.Cell)
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the bytes of .json and .yaml files (up to MAX_KEPT_TEXT_BYTES), for line and column (checker.sources)
    texts: dict[str, bytes] = field(default_factory=dict)


# What validate.py lends the .jsonl reader: a document's schema errors, and whether the compiled
# validator finds it valid under a schema that bounds its nesting to the depth given.
# Each is told whether the document may hold a decimal number (which the compiled validator
# cannot be trusted with: validate.fast_valid).
Check = Callable[[RawDocument, bool], list[InputError]]
Vouch = Callable[[Any, int, bool], bool]


def expand(paths: Iterable[str]) -> tuple[list[Path], list[InputError]]:
    """Files named or found (recursively) in the folders named, in name order.

    A file reached twice (named twice, spelt differently, or through a symbolic
    link) is read once, under its first name in that order; so the order the
    paths are given in changes nothing.
    """
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found, walk_errors = _walk(p)
            if not found and not walk_errors:
                errors.append(InputError(shown(raw), "", "folder holds no .json, .yaml, .yml, .xlsx or .csv input"))
            files.extend(found)
            errors.extend(walk_errors)
        elif p.is_file():
            files.append(p)
        elif os.path.lexists(raw):
            errors.append(InputError(shown(raw), "", _refusal(p, "not a regular file or folder")))
        else:
            errors.append(InputError(shown(raw), "", "no such file or folder"))
    errors = _once(errors)
    unique: dict[object, Path] = {}
    for f in sorted(files, key=lambda f: f.as_posix()):
        unique.setdefault(_identity(f), f)
    return list(unique.values()), errors


def shown(path: Path | str) -> str:
    """A path as the report names it: a name that is not UTF-8 shows its bytes as \\xNN.

    Python decodes such names with surrogates, which no UTF-8 report can hold.
    """
    text = path.as_posix() if isinstance(path, Path) else path
    if not _SURROGATE.search(text):
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


_SPECIAL = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISSOCK, "a socket"))


def _refusal(p: Path, what: str) -> str:
    """Why an existing path that is not a regular file (or folder) is not read.

    A link to /dev/zero is not broken: it is named for what it leads to.
    """
    try:
        mode = p.stat().st_mode
    except OSError:
        return "broken or looping symbolic link"
    kind = next((name for test, name in _SPECIAL if test(mode)), "")
    via = " (through a symbolic link)" if p.is_symlink() else ""
    return f"{what}: {kind}{via}" if kind else what + via


def _once(errors: list[InputError]) -> list[InputError]:
    """One error per thing refused, under its first name: a FIFO named twice is one error."""
    seen: set[tuple[object, str]] = set()
    out = []
    for e in errors:
        key = (_identity(Path(e.file)), e.message)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _identity(f: Path) -> object:
    try:
        st = f.stat()
    except OSError:
        return f.as_posix()
    return (st.st_dev, st.st_ino)


def _walk(folder: Path) -> tuple[list[Path], list[InputError]]:
    """Input files below `folder`, following links but entering each folder once."""
    files: list[Path] = []
    errors: list[InputError] = []

    def unreadable(exc: OSError) -> None:
        where = shown(Path(exc.filename) if exc.filename else folder)
        errors.append(InputError(where, "", f"cannot read folder: {exc.strerror or exc}"))

    seen: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(root)
        except OSError as exc:
            unreadable(exc)
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # a link back to a folder already walked
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in sorted(names):
            f = Path(root) / name
            if f.suffix.lower() not in SUFFIXES or name.startswith("~$"):  # ~$: an Excel lock file
                continue
            if f.is_file():
                files.append(f)
            else:
                errors.append(InputError(shown(f), "", _refusal(f, "not a regular file")))
    return sorted(files, key=lambda f: f.as_posix()), errors


def load(paths: Iterable[str], limits: Limits | None = None, tables: Any = None,
         check: Check | None = None, vouch: Vouch | None = None) -> Loaded:
    """Read every input file named (or inside a folder named), within the limits.

    A file's size is checked before it is read (and the read itself stops past
    the limit, for files that grow or lie about their size); once the documents
    read reach the limit, the files after are not read. `tables`
    (checker.tables.TableOptions) gives spreadsheets the document fields their
    tables do not hold (--plan, --items).

    With `check` (and `vouch`), each line of a .jsonl file is schema-checked as
    it is read (parse_lines).
    """
    limits = limits or Limits()
    cells: dict[str, dict[str, Any]] = {}
    files, errors = expand(paths)
    documents: list[RawDocument] = []
    digests: dict[str, str] = {}
    texts: dict[str, bytes] = {}
    for i, f in enumerate(files):
        name = shown(f)
        data, error = read_bounded(f, limits.max_file_bytes)
        if error:
            errors.append(error)
            continue
        digests[name] = hashlib.sha256(data).hexdigest()
        syntax = SUFFIXES.get(f.suffix.lower(), "json")
        if syntax in {"json", "yaml"} and len(data) <= MAX_KEPT_TEXT_BYTES:
            texts[name] = data
        if syntax == "jsonl":
            errors.extend(parse_lines(name, data, limits, documents, check, vouch,
                                      limits.max_documents + 1 - len(documents)))
        elif syntax in TABLES:
            from checker.tables import read_table  # here: checker.tables builds on this module

            read = read_table(name, data, syntax, tables)
            errors.extend(read.errors)
            cells[name] = read.cells
            docs, bound_errors = _within_bounds(name, read.documents, limits, Budget(max(len(data), 1)))
            errors.extend(bound_errors)
            documents.extend(RawDocument(d.file, d.path, drop_nulls(d.data)) for d in docs)
        else:
            value, error = parse_bytes(name, data, syntax, limits)
            if error:
                errors.append(error)
                continue
            docs, shape_errors, past = split_documents(name, value, limits.max_documents - len(documents))
            del value
            errors.extend(shape_errors)
            docs, bound_errors = _within_bounds(name, docs, limits, Budget(max(len(data), 1)),
                                                _Screen.of(data, limits, syntax))
            errors.extend(bound_errors)
            if syntax == "yaml":  # within bounds, so its aliases expand to little; JSON's nulls went as it was parsed
                docs = [RawDocument(d.file, d.path, drop_nulls(d.data)) for d in docs]
            documents.extend(docs)
            if past is not None:
                errors.append(_too_many(limits, name, past, len(files) - i - 1))
                break
        if len(documents) > limits.max_documents:
            first = documents[limits.max_documents]
            errors.append(_too_many(limits, first.file, first.path, len(files) - i - 1))
            documents = documents[: limits.max_documents]
            break
    return Loaded(documents, errors, digests, cells, texts)


def _too_many(limits: Limits, file: str, path: str, unread: int) -> InputError:
    return InputError(
        file, path,
        f"more than {limits.max_documents} documents: this one and those after it are not "
        f"checked" + (f", and {unread} more file(s) were not read" if unread else ""),
    )


def parse_lines(name: str, data: bytes, limits: Limits, documents: list[RawDocument],
                check: Check | None, vouch: Vouch | None, room: int) -> list[InputError]:
    """JSON Lines: one document a line (path /N, N the line's index from 0); a bad line is its own error.

    Each line is parsed and bounded as a .json file holding that document alone
    would be; a read error's message starts with its line number. Reading stops
    once `room` documents are read (the run's document limit is then reached).

    The common line takes a faster road to the same place (_fast): integers read
    by C where no digit run is long enough to be out of range, and no pre-parse
    depth scan (the parser's own recursion guard stands in; a line it refuses is
    read again the strict way, for the exact error). When the bytes rule out long
    strings and surrogates, and `vouch` finds the document valid under a schema
    that nests no deeper than the limit, the bounds walk is skipped: it could
    find nothing. With `check`, the others are schema-checked at once. A
    document kept is marked valid; one with schema errors is not kept.
    """
    errors: list[InputError] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]  # a BOM: keep the offsets
    start = 0
    i = 0
    size = len(data)
    read = 0
    seen = False
    while start < size and read < room:
        end = data.find(b"\n", start)
        end = size if end < 0 else end + 1
        line = data[start:end].removesuffix(b"\n").removesuffix(b"\r")
        if line.strip():
            seen = True
            where = pointer(i)
            value = _fast(line)
            error = None
            decimals = True  # may hold one
            if value is _SLOW:
                value, error = parse_bytes(name, line, "json", limits)
            elif type(value) is _NoDecimal:
                value, decimals = value.value, False
            valid = False
            if error is None:
                screen = _Screen.of(line, limits, "json")
                valid = (vouch is not None and not screen.strings and not screen.surrogates
                         and vouch(value, limits.max_depth, decimals))
                if not valid:
                    error = check_bounds(name, value, limits, screen=screen)
                    if error is not None:  # said the strict way (a value too deep for its guard, say)
                        value, error = parse_bytes(name, line, "json", limits)
                        error = error or check_bounds(name, value, limits, screen=screen)
            if error:
                errors.append(InputError(name, where + error.path, f"line {i + 1}: {error.message}"))
            else:
                read += 1
                problems = check(RawDocument(name, where, value), decimals) if check is not None and not valid else []
                if problems:
                    errors.extend(problems)
                else:
                    documents.append(RawDocument(name, where, value, valid or check is not None))
        start = end
        i += 1
    if i and not seen:
        errors.append(InputError(name, "", "holds no document (one JSON object a line)"))
    return errors


_SLOW = object()
_DECIMALS = [0]  # decimals read so far: a line that read none holds none
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else b for b in range(256))  # every digit as 0
_LONG_RUN = b"0" * (MAX_NUMBER_DIGITS + 1)


def _fast(line: bytes) -> Any:
    """A line read the fast way, or _SLOW where only the strict reading may say what it is."""
    before = _DECIMALS[0]
    try:
        text = line.decode("utf-8")
        decoder = _PLAIN if line.translate(_DIGITS).find(_LONG_RUN) < 0 else _STRICT
        value = decoder.decode(text)
    except (ValueError, RecursionError):  # JSONDecodeError, _DuplicateKey, _Refused, UnicodeDecodeError
        return _SLOW
    return value if _DECIMALS[0] != before else _NoDecimal(value)


class _NoDecimal(NamedTuple):
    """A value read without a single decimal number in it (the validators need not look for one)."""

    value: Any


def _within_bounds(
    name: str, docs: list[RawDocument], limits: Limits, budget: Budget, screen: _Screen | None = None,
) -> tuple[list[RawDocument], list[InputError]]:
    """The documents within the limits; one out of bounds never hides the others.

    Only aliases expanding past the budget refuse the whole file: it is hostile.
    """
    kept: list[RawDocument] = []
    errors: list[InputError] = []
    for doc in docs:
        error = check_bounds(name, doc.data, limits, budget, doc.path, doc.path.count("/"), screen)
        if error is None:
            kept.append(doc)
        elif budget.spent:
            return [], [error]
        else:
            errors.append(error)
    return kept, errors


def read_bounded(f: Path, max_bytes: int) -> tuple[bytes, InputError | None]:
    """A file's bytes, refused unread when it is larger than `max_bytes`."""
    name = shown(f)
    limit = f"the limit is {max_bytes} bytes ({max_bytes / 2**20:g} MiB, --max-file-mb)"
    try:
        size = f.stat().st_size
        if size > max_bytes:
            return b"", InputError(name, "", f"file is {size} bytes; {limit}")
        with f.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return b"", InputError(name, "", f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return b"", InputError(name, "", f"file holds more than {max_bytes} bytes; {limit}")
    return data, None


def parse_value(
    name: str, data: bytes, syntax: str, limits: Limits
) -> tuple[Any, InputError | None]:
    """Parse strictly and check the value against the limits (depth, text, aliases)."""
    value, error = parse_bytes(name, data, syntax, limits)
    if error is None:
        error = check_bounds(name, value, limits, budget=max(len(data), 1))
    return (None, error) if error else (value, None)


def syntax_of(path: Path) -> str:
    """How a file given whole on its own (a calendar, a waiver file) is parsed: YAML by its name, else JSON."""
    return "yaml" if SUFFIXES.get(path.suffix.lower()) == "yaml" else "json"


def parse_bytes(
    name: str, data: bytes, syntax: str, limits: Limits | None = None
) -> tuple[Any, InputError | None]:
    """Decode UTF-8 (a BOM is accepted) and parse strictly.

    Nesting is bounded before the recursive parsers see it: JSON by a linear scan
    of its brackets, YAML by the composer counting its depth. That guard is set at
    the ceiling, not at the run's limit, so that a document nested a little too deep
    is refused alone, with its place, by check_bounds.
    """
    limits = limits or Limits()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, InputError(
            name, "", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded"
        )
    try:
        if syntax == "yaml":
            return _load_yaml(text, limits.max_yaml_values), None
        if _may_nest(data) and json_depth(text) > _GUARD_DEPTH:
            return None, InputError(name, "", f"nested deeper than {limits.max_depth} levels")
        decoder = _PLAIN if data.translate(_DIGITS).find(_LONG_RUN) < 0 else _STRICT
        return decoder.decode(text), None
    except json.JSONDecodeError as exc:
        return None, InputError(name, "", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    except _DuplicateKey as exc:
        return None, InputError(name, "", f"duplicate key {exc.key!r} in one object")
    except _Refused as exc:
        return None, InputError(name, "", str(exc))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, InputError(name, "", f"invalid YAML{where}: {problem}")
    except _TooDeep:
        return None, InputError(name, "", f"nested deeper than {limits.max_depth} levels")
    except _TooMany:
        return None, InputError(name, "", f"holds more than {limits.max_yaml_values} values, the most a YAML file "
                                          "may (--max-yaml-values): give bulk data as JSON or JSON Lines")
    except RecursionError:  # a last guard: the bounds above keep the parsers far from it
        return None, InputError(name, "", "value is nested too deeply")


def _may_nest(data: bytes) -> bool:
    """Whether a JSON text has brackets enough to nest past the parsers' guard."""
    return data.count(b"[") + data.count(b"{") > _GUARD_DEPTH


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = str.maketrans({"[": "\x02", "{": "\x02", "]": "\x00", "}": "\x00"})


def json_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text, found without recursion.

    Strings are removed first (brackets inside them do not nest); each opening
    bracket counts +1 and each closing one -1, summed in C by accumulate.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    steps = brackets.translate(_BRACKET_STEP).encode("latin-1")  # 2 for open, 0 for close
    return max(map(operator.sub, accumulate(steps), count(1)), default=0)


@dataclass
class Budget:
    """How many more values a file may stand for (shared by its documents)."""

    total: int
    walked: int = 0

    @property
    def spent(self) -> bool:
        return self.walked > self.total


@dataclass(frozen=True)
class _Screen:
    """What the bytes of a JSON text show cannot be wrong, so the bounds walk skips it.

    A text no longer than the string limit holds no string or key past it; a text
    without a `\\u` escape of a surrogate (D800-DFFF) holds no unpaired surrogate
    (valid UTF-8 cannot encode one). YAML is never screened: it has more escapes.
    """

    strings: bool  # check string and key lengths
    surrogates: bool  # look for unpaired surrogates

    @staticmethod
    def of(data: bytes, limits: Limits, syntax: str) -> _Screen:
        if syntax == "yaml":
            return _Screen(True, True)
        return _Screen(len(data) > limits.max_string_chars, _SURROGATE_ESCAPE.search(data) is not None)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_CONTAINERS = (dict, list)


def check_bounds(
    name: str, value: Any, limits: Limits, budget: int | Budget | None = None, where: str = "",
    depth: int = 0, screen: _Screen | None = None,
) -> InputError | None:
    """Refuse values nested deeper, or strings longer, than the limits allow.

    `budget` bounds the number of values walked: YAML aliases can make a file of a
    few hundred bytes stand for a billion values ("billion laughs"); a file that
    stands for more values than it has bytes is refused before anything expands it.
    `where` and `depth` place `value` inside its file (a document in a list).

    A first walk builds no JSON pointers and skips what `screen` rules out; only a
    value it finds fault with is walked again, pointers and all, to name the fault.
    """
    if isinstance(budget, int):
        budget = Budget(budget)
    walked = budget.walked if budget is not None else 0
    if _within(value, limits, budget, depth, screen or _Screen(True, True)):
        return None
    if budget is not None:
        budget.walked = walked
    return _locate(name, value, limits, budget, where, depth)


def _within(value: Any, limits: Limits, budget: Budget | None, depth: int, screen: _Screen) -> bool:
    """Whether `value` is within the limits (and the budget, which it spends): check_bounds' walk, faster.

    Scalars other than strings are counted, not visited; a container whose members
    would sit past the depth limit is itself the fault.
    """
    strings, surrogates = screen.strings, screen.surrogates
    max_depth, max_chars = limits.max_depth, limits.max_string_chars
    allowance = budget.total - budget.walked if budget is not None else -1
    if depth > max_depth:
        return False
    walked = 1
    visit = _WALKED if strings or surrogates else _CONTAINERS
    stack: list[tuple[Any, int]] = [(value, depth)]
    while stack:
        v, d = stack.pop()
        t = type(v)
        if t is dict:
            if strings and any(len(k) > max_chars for k in v):
                return False
            if surrogates and any(_SURROGATE.search(k) for k in v):
                return False
            values: Any = v.values()
        elif t is list:
            values = v
        else:
            if t is str and ((strings and len(v) > max_chars) or (surrogates and _SURROGATE.search(v))):
                return False
            continue
        if values:
            if d >= max_depth:
                return False
            walked += len(values)
            if 0 <= allowance < walked:
                break
            stack.extend([(x, d + 1) for x in values if type(x) in visit])
    if budget is not None:
        budget.walked += walked
        return not budget.spent
    return True


_WALKED = (dict, list, str)


def _locate(
    name: str, value: Any, limits: Limits, budget: Budget | None, where: str, depth: int,
) -> InputError | None:
    """The first fault of `value` in walk order, with its place."""
    stack: list[tuple[Any, int, str]] = [(value, depth, where)]
    while stack:
        v, depth, where = stack.pop()
        if budget is not None:
            budget.walked += 1
            if budget.spent:
                return InputError(
                    name, "", f"its aliases expand it to more than {budget.total} values, one per "
                    "byte of the file; write the values out instead"
                )
        if depth > limits.max_depth:
            return InputError(name, where, f"nested deeper than {limits.max_depth} levels")
        if isinstance(v, dict):
            for k, item in v.items():
                if len(k) > limits.max_string_chars:
                    return InputError(name, where, f"a key is longer than {limits.max_string_chars} characters")
                if _SURROGATE.search(k):
                    return InputError(name, where, _unpaired(k))
                stack.append((item, depth + 1, where + pointer(k)))
        elif isinstance(v, list):
            stack.extend((item, depth + 1, where + pointer(i)) for i, item in enumerate(v))
        elif isinstance(v, str):
            if len(v) > limits.max_string_chars:
                return InputError(name, where, f"text is {len(v)} characters; the limit is {limits.max_string_chars}")
            if _SURROGATE.search(v):
                return InputError(name, where, _unpaired(v))
    return None


# "\ud800" in JSON or YAML escapes decodes to half a UTF-16 pair: not a character, and
# a report holding one cannot be written as UTF-8 (it raised UnicodeEncodeError).
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unpaired(text: str) -> str:
    at = _SURROGATE.search(text)
    code = ord(at.group()) if at else 0
    return f"text holds an unpaired surrogate \\u{code:04x} (an escape that is not a character)"


def split_documents(name: str, value: Any, room: int | None = None
                    ) -> tuple[list[RawDocument], list[InputError], str | None]:
    """One document, a list of them, or {"documents": [...]}: at most `room` of them.

    The third value is the pointer of the first document past the room (None when
    all were taken): the documents from there are not taken, nor wrapped, nor checked.
    """
    if isinstance(value, dict) and "documents" in value and "kind" not in value:
        items, where = value["documents"], ("documents",)
        if not isinstance(items, list):
            return [], [InputError(name, "/documents", "expected a list of documents")], None
    elif isinstance(value, list):
        items, where = value, ()
    elif isinstance(value, dict):
        return [RawDocument(name, "", value)], [], None
    else:
        return [], [InputError(name, "", "expected a document, a list of documents or {\"documents\": [...]}")], None
    taken = items if room is None else items[:room]
    past = pointer(*where, len(taken)) if len(taken) < len(items) else None
    return [RawDocument(name, pointer(*where, i), d) for i, d in enumerate(taken)], [], past


def drop_nulls(value: Any) -> Any:
    """An object member set to null is read as absent (spreadsheet exports write nulls).

    JSON gets this while it is parsed (_unique_keys); YAML inputs (load) and
    documents given in memory (api.check_documents) get it here.
    """
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _Refused(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object with no repeated key; a member set to null is read as absent."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    if None in out.values():
        return {k: v for k, v in pairs if v is not None}
    return out


def _refuse_constant(token: str) -> Any:
    raise _Refused(f"{token} is not a number this checker accepts")


def _out_of_range(text: str) -> _Refused:
    shown = text if len(text) <= 24 else text[:20] + "..."
    return _Refused(
        f"the number {shown} is out of range: at most {MAX_NUMBER_DIGITS} digits and an "
        f"exponent within ±{MAX_NUMBER_EXPONENT} are read"
    )


def _integer(text: str) -> int:
    """An integer literal, bounded before Python converts it."""
    if len(text.lstrip("+-")) > MAX_NUMBER_DIGITS:
        raise _out_of_range(text)
    return int(text)


def _decimal(text: str) -> Decimal:
    """A decimal literal, exact, with bounded digits and exponent (counted: see _fast)."""
    _DECIMALS[0] += 1
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _Refused(f"{text!r} is not a number this checker accepts") from None
    if not value.is_finite():
        raise _Refused(f"{text} is not a number this checker accepts")
    _, digits, exponent = value.as_tuple()
    if len(digits) > MAX_NUMBER_DIGITS or abs(int(exponent)) > MAX_NUMBER_EXPONENT:
        raise _out_of_range(text)
    return value


# Strict: every number bounded by a hook. Plain: the same for a text whose bytes hold no run of
# more digits than a number may have, integers read by C (a decimal goes through its hook either way).
_STRICT = json.JSONDecoder(parse_float=_decimal, parse_int=_integer, parse_constant=_refuse_constant,
                           object_pairs_hook=_unique_keys)
_PLAIN = json.JSONDecoder(parse_float=_decimal, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)


class _TooDeep(Exception):
    pass


class _TooMany(Exception):
    pass


class _Bounded:
    """Safe YAML: no object tags, dates stay text, numbers exact, no duplicate keys.

    The composer counts its depth and stops at `max_depth`, so no YAML value is
    nested deeper than the limit by the time the recursive constructor walks it;
    and it counts the values, stopping past `max_values`.
    """

    def _bound(self, max_depth: int, max_values: int) -> None:
        self._max_depth = max_depth
        self._depth = 0
        self._values_left = max_values

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        self._depth += 1
        self._values_left -= 1
        try:
            if self._depth - 1 > self._max_depth:  # the root is at depth 0
                raise _TooDeep
            if self._values_left < 0:
                raise _TooMany
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _PyStrictLoader(_Bounded, yaml.SafeLoader):
    """The strict loader, all in Python: what PyYAML's own parser says of a text."""

    def __init__(self, stream: str, max_depth: int = MAX_DEPTH_CEILING + 1,
                 max_values: int = Limits.max_yaml_values) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._bound(max_depth, max_values)


if CParser is not None:
    class _StrictLoader(_Bounded, Composer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """The strict loader on libyaml's event parser (C), three times as fast; the composer is
        still PyYAML's, so the bounds above hold. libyaml refuses a few texts PyYAML reads (an
        escaped lone surrogate): what it refuses is read again by _PyStrictLoader (_load_yaml).
        It reads a few PyYAML refuses (a tab inside a plain scalar, as the spec allows);
        tests/test_yaml_parsers_agree.py holds the two to the same values where both read."""

        def __init__(self, stream: str, max_depth: int = MAX_DEPTH_CEILING + 1,
                     max_values: int = Limits.max_yaml_values) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._bound(max_depth, max_values)
else:
    _StrictLoader = _PyStrictLoader  # type: ignore[misc]


def _load_yaml(text: str, max_values: int) -> Any:
    """The text's one YAML document, read strictly; a YAMLError is PyYAML's own word on it."""
    if _StrictLoader is not _PyStrictLoader:
        try:
            return _read_yaml(_StrictLoader, text, max_values)
        except yaml.YAMLError:
            pass  # libyaml refused it: PyYAML's parser says what it is
    return _read_yaml(_PyStrictLoader, text, max_values)


def _read_yaml(loader_class: type[_Bounded], text: str, max_values: int) -> Any:
    loader = loader_class(text, max_depth=_GUARD_DEPTH, max_values=max_values)  # type: ignore[call-arg]
    try:
        return loader.get_single_data()  # type: ignore[attr-defined]
    finally:
        loader.dispose()  # type: ignore[attr-defined]


_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """Plain decimal only: YAML 1.1 reads 050 as 40, 0x10 as 16 and 1:20 as 80."""
    text = str(loader.construct_scalar(node))
    if not _PLAIN_INT.fullmatch(text):
        raise _Refused(
            f"{text} at {_at(node)} is not a plain decimal number (YAML 1.1 reads it as octal, "
            "hexadecimal, binary or base 60); write it in decimal, or quote it if it is text"
        )
    return _integer(text.replace("_", ""))


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node))
    if ":" in text:
        raise _Refused(f"{text} at {_at(node)} is a base-60 number in YAML 1.1; quote it if text")
    if text.lower().lstrip("+-") in {".inf", ".nan"}:
        raise _Refused(f"{text} at {_at(node)} is not a number this checker accepts")
    return _decimal(text.replace("_", ""))


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise _Refused(
        f"the YAML tag {tag} at {_at(node)} is not accepted: only text, numbers, true/false, "
        "null, lists and mappings (as in JSON)"
    )


def _at(node: yaml.Node) -> str:
    return f"line {node.start_mark.line + 1} column {node.start_mark.column + 1}"


def _construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    text = str(loader.construct_scalar(node))
    if text.lower() not in loader.bool_values:  # SafeLoader raised KeyError on `!!bool maybe`
        raise _Refused(f"{text} at {_at(node)} is not true or false")
    return bool(loader.bool_values[text.lower()])


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    if not isinstance(node, yaml.MappingNode):  # `!!map [1]` raised TypeError
        raise _Refused(f"the tag !!map at {_at(node)} is on a value that is not a mapping")
    own = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own  # keys merged in with <<: may be overridden
    out: dict[Any, Any] = {}
    own_keys: set[str] = set()
    for i, (key_node, value_node) in enumerate(node.value):
        if not isinstance(key_node, yaml.ScalarNode):  # str() of an aliased list key could not end
            raise _Refused(f"the key at {_at(key_node)} is a list or mapping; a key is text")
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if i >= merged:
            if key in own_keys:
                raise _DuplicateKey(key)
            own_keys.add(key)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


for _loader in {_StrictLoader, _PyStrictLoader}:
    _loader.yaml_implicit_resolvers = _RESOLVERS
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    _loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
    _loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
        _loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
