"""What a read is bounded by and what it yields: the values every reader shares.

A leaf: it imports nothing from the package, so any reader (and checker.zipguard,
checker.tables) may build on it without an import cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checker.errors import InputError

# The deepest nesting a run may allow: later steps (null dropping, schema checks, the
# YAML composer) walk values recursively, so the bound stays far below Python's own.
MAX_DEPTH_CEILING = 100
GUARD_DEPTH = MAX_DEPTH_CEILING + 1  # past this, a file is refused before it is parsed

# A .json or .yaml file up to this size is kept, for the line and column of its findings
# (checker.sources, checker.positions); larger ones, and .jsonl files, are not.
MAX_KEPT_TEXT_BYTES = 32 * 1024 * 1024

# "\ud800" in JSON or YAML escapes decodes to half a UTF-16 pair: not a character, and
# a report holding one cannot be written as UTF-8 (it raised UnicodeEncodeError).
SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Limits:
    """Bounds on what one run reads; each exceeded bound is an input error."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_documents: int = 100_000  # a province's year of a million results is 26,000 documents
    max_depth: int = 32
    max_string_chars: int = 10_000
    # YAML is for documents people write: its parser's cost per value is many times JSON's, so a
    # file at the size bound could exhaust memory (bench/NOTES.md). Bulk data belongs in JSON or JSON Lines.
    max_yaml_values: int = 500_000
    # A symbolic link found in a folder that leads out of the folder named is refused unless this is set
    # (--follow-links): the submission is the folder, not what its links reach.
    follow_links: bool = False

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
    # what a reading says of itself and is no error: how each sheet was classified, columns not read
    notes: list[InputError] = field(default_factory=list)
    # the columns of tables not read: {"file", "path" (the document's pointer), "sheet", "column", "header"}
    unused: list[dict[str, str]] = field(default_factory=list)
