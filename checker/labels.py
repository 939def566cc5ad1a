"""Chinese labels for the codes a report shows: evidence keys, field names, values, statuses.

The engine's words are `checker/labels.yaml`; a rulebook's vocabulary (platforms,
actions, a work norm's aspects…) is its own `labels.yaml`. The JSON report keeps
the codes; the reports a person reads in Chinese show the labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_ENGINE = Path(__file__).resolve().parent / "labels.yaml"
_WRITTEN = {"_as_written": "as_written", "_read_as": "read_as"}


def _texts(data: Any) -> dict[str, str]:
    """code → Chinese label; a {zh, en} label gives its zh."""
    return {str(k): str(v["zh"] if isinstance(v, dict) else v) for k, v in (data or {}).items()}


@dataclass(frozen=True)
class Labels:
    keys: dict[str, str]
    values: dict[str, str]
    severities: dict[str, str]
    statuses: dict[str, str]
    steps: dict[str, str]

    def step(self, key: str) -> str:
        """What is done to fill a field in: 报司法部门备案 for justice."""
        return self.steps.get(key, self.key(key))

    def key(self, key: str) -> str:
        """An evidence key or field name: 名录库总数 for directory_size, 计划期限（原文） for window_as_written."""
        for suffix, word in _WRITTEN.items():
            if key.endswith(suffix) and key != suffix.lstrip("_"):
                return f"{self.key(key[: -len(suffix)])}（{self.keys[word]}）"
        return self.keys.get(key, key)

    def value(self, value: Any) -> Any:
        """A code of the closed vocabulary (a platform, an action, a field a record lacks) as its
        label; any other value as it is: names and texts the user wrote are never relabelled."""
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, Code):
            return self.values.get(value, self.keys.get(value, str(value)))
        return value


class Code(str):
    """A value the rules gave as a constant of the closed vocabulary, not a text from the input."""

    __slots__ = ()


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where it is built: the same values, faster


@cache
def labels(*rulebook_folders: Path) -> Labels:
    """The engine's labels, with each rulebook's vocabulary over them (several: a composed run)."""
    engine = yaml.load(_ENGINE.read_text(encoding="utf-8"), Loader=_LOADER)
    values = _texts(engine.get("values"))
    keys = _texts(engine["keys"])
    for folder in rulebook_folders:
        own = folder / "labels.yaml"
        if own.is_file():
            data = yaml.load(own.read_text(encoding="utf-8"), Loader=_LOADER) or {}
            values.update(_texts(data.get("values")))
            keys.update(_texts(data.get("keys")))  # the evidence keys its own rules name
    return Labels(keys, values, _texts(engine["severities"]), _texts(engine["statuses"]),
                  _texts(engine.get("steps")))


def field_words(path: str, source: dict[str, Any], lang: str, lab: Labels | None) -> str:
    """The field a finding is on, in the user's own terms: the cell and its column's header in a
    spreadsheet (计划!M16「实施时间」), else the field's label and name
    (“司法部门备案日期”（filed_with_justice_on））."""
    if "sheet" in source and source.get("column"):  # a cell; a field the row lacks is named by its label
        cell = f"{source['column']}{source.get('row', '')}"
        header = source.get("header")
        where = f"{source['sheet']}!{cell}" if source["sheet"] else cell
        return where + (f"「{header}」" if header and lang != "en" else f" ({header})" if header else "")
    # the field's own name, not its whole pointer: where a document sits in its file is no part
    # of a message (the report prints the pointer beside it), so reordering files changes no text
    name = next((p for p in reversed(path.split("/")) if p and not p.isdigit()), "")
    if lang == "en" or lab is None:
        return name or path
    return f"“{lab.key(name)}”（{name}）" if name else path
