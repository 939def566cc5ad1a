"""Read input files into raw documents, strictly, without losing any.

A file holds one document, a list of documents, or {"documents": [...]}.
JSON is read with exact decimals and refuses duplicate keys and NaN/Infinity;
YAML is read with a safe loader that keeps dates as text and numbers exact.
Every problem is an InputError value; nothing here raises to the caller.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from checker.errors import InputError, pointer

SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx", ".csv": "csv"}
TABLES = {"xlsx", "csv"}  # read by checker.tables: spreadsheets of plans and item lists


@dataclass(frozen=True)
class Limits:
    """Bounds on what one run reads; each exceeded bound is an input error."""

    max_file_bytes: int = 512 * 1024 * 1024
    max_documents: int = 1_000_000
    max_depth: int = 32
    max_string_chars: int = 10_000


@dataclass(frozen=True)
class RawDocument:
    """One document as read: where it came from and its parsed value."""

    file: str
    path: str
    data: Any


@dataclass
class Loaded:
    documents: list[RawDocument]
    errors: list[InputError]
    files: dict[str, bytes]
    # per spreadsheet file: JSON pointer -> the cell it was read from (checker.sources.Cell)
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)


def expand(paths: Iterable[str]) -> tuple[list[Path], list[InputError]]:
    """Files named or found (recursively, sorted) in the folders named."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(_walk(p), key=lambda f: f.as_posix())
            if not found:
                errors.append(InputError(raw, "", "folder holds no .json, .yaml, .yml, .xlsx or .csv input"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        elif p.is_symlink():
            errors.append(InputError(raw, "", "broken or looping symbolic link"))
        else:
            errors.append(InputError(raw, "", "no such file or folder"))
    unique: dict[str, Path] = {}
    for f in files:
        unique.setdefault(f.as_posix(), f)
    return list(unique.values()), errors


def _walk(folder: Path) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        for name in sorted(names):
            f = Path(root) / name
            if f.suffix.lower() in SUFFIXES and not name.startswith("~$") and f.is_file():
                yield f


def load(paths: Iterable[str], limits: Limits | None = None, tables: Any = None) -> Loaded:
    """Read every input file named (or inside a folder named).

    `tables` (checker.tables.TableOptions) gives spreadsheets the document
    fields their tables do not hold (--plan, --items).
    """
    limits = limits or Limits()
    cells: dict[str, dict[str, Any]] = {}
    files, errors = expand(paths)
    documents: list[RawDocument] = []
    contents: dict[str, bytes] = {}
    for f in files:
        name = f.as_posix()
        try:
            size = f.stat().st_size
            if size > limits.max_file_bytes:
                errors.append(InputError(name, "", f"file is {size} bytes; the limit is {limits.max_file_bytes}"))
                continue
            data = f.read_bytes()
        except OSError as exc:
            errors.append(InputError(name, "", f"cannot read file: {exc.strerror or exc}"))
            continue
        contents[name] = data
        syntax = SUFFIXES.get(f.suffix.lower(), "json")
        if syntax in TABLES:
            from checker.tables import read_table  # here: checker.tables builds on this module

            read = read_table(name, data, syntax, tables)
            errors.extend(read.errors)
            documents.extend(read.documents)
            cells[name] = read.cells
            continue
        value, error = parse_bytes(name, data, syntax)
        if error:
            errors.append(error)
            continue
        error = check_bounds(name, value, limits)
        if error:
            errors.append(error)
            continue
        docs, shape_errors = split_documents(name, value)
        errors.extend(shape_errors)
        documents.extend(docs)
    if len(documents) > limits.max_documents:
        errors.append(InputError("", "", f"{len(documents)} documents; the limit is {limits.max_documents}"))
        documents = documents[: limits.max_documents]
    return Loaded(documents, errors, contents, cells)


def parse_bytes(name: str, data: bytes, syntax: str) -> tuple[Any, InputError | None]:
    """Decode UTF-8 (a BOM is accepted) and parse strictly."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, InputError(
            name, "", f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded"
        )
    try:
        if syntax == "yaml":
            return yaml.load(text, Loader=_StrictLoader), None  # noqa: S506 - a SafeLoader subclass
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        ), None
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
    except RecursionError:
        return None, InputError(name, "", "value is nested too deeply")


def check_bounds(name: str, value: Any, limits: Limits) -> InputError | None:
    """Refuse values nested deeper, or strings longer, than the limits allow."""
    stack: list[tuple[Any, int, str]] = [(value, 0, "")]
    while stack:
        v, depth, where = stack.pop()
        if depth > limits.max_depth:
            return InputError(name, where, f"nested deeper than {limits.max_depth} levels")
        if isinstance(v, dict):
            for k, item in v.items():
                if len(k) > limits.max_string_chars:
                    return InputError(name, where, f"a key is longer than {limits.max_string_chars} characters")
                stack.append((item, depth + 1, where + pointer(k)))
        elif isinstance(v, list):
            stack.extend((item, depth + 1, where + pointer(i)) for i, item in enumerate(v))
        elif isinstance(v, str) and len(v) > limits.max_string_chars:
            return InputError(name, where, f"text is {len(v)} characters; the limit is {limits.max_string_chars}")
    return None


def split_documents(name: str, value: Any) -> tuple[list[RawDocument], list[InputError]]:
    """One document, a list of them, or {"documents": [...]}."""
    if isinstance(value, dict) and "documents" in value and "kind" not in value:
        items = value["documents"]
        if not isinstance(items, list):
            return [], [InputError(name, "/documents", "expected a list of documents")]
        return [RawDocument(name, pointer("documents", i), d) for i, d in enumerate(items)], []
    if isinstance(value, list):
        return [RawDocument(name, pointer(i), d) for i, d in enumerate(value)], []
    if isinstance(value, dict):
        return [RawDocument(name, "", value)], []
    return [], [InputError(name, "", "expected a document, a list of documents or {\"documents\": [...]}")]


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _Refused(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _refuse_constant(token: str) -> Any:
    raise _Refused(f"{token} is not a number this checker accepts")


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML: no object tags, dates stay text, numbers exact, no duplicate keys."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if text.lower().lstrip("+-") in {".inf", ".nan"}:
        raise _Refused(f"{text} is not a number this checker accepts")
    return Decimal(text)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    own = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own  # keys merged in with <<: may be overridden
    out: dict[Any, Any] = {}
    own_keys: set[str] = set()
    for i, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if i >= merged:
            if key in own_keys:
                raise _DuplicateKey(key)
            own_keys.add(key)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
