"""Input error messages in the report's language, through one catalogue (checker/messages.yaml).

An error built with a code (`Msg`) is worded from the catalogue's `codes:` in
English or Chinese, its parameters (numbers, dates, the text the user wrote,
file names) put in as they are. Errors still worded in English where they are
raised are shown in Chinese through the catalogue's `patterns:`; an error
neither knows is shown as written.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from checker.labels import Code, labels

_CATALOG = Path(__file__).resolve().parent / "messages.yaml"
_SLOT = re.compile(r"\{(?:(label|msg|kinds):)?(\d+)\}")


@dataclass(frozen=True)
class Msg:
    """A message as a catalogue code and its parameters; a parameter may be a Msg itself."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str) -> str:
        """The message in `lang` ("zh" or "en")."""
        return render(self, lang)

    def __str__(self) -> str:
        return self.text("en")


def msg(code: str, **params: Any) -> Msg:
    """The message `code` of the catalogue with its parameters."""
    if code not in _codes():
        raise KeyError(f"no message {code!r} in {_CATALOG.name}")
    return Msg(code, tuple(params.items()))


@cache
def _catalog() -> dict[str, Any]:
    return yaml.safe_load(_CATALOG.read_text(encoding="utf-8"))


@cache
def _codes() -> dict[str, dict[str, str]]:
    return _catalog()["codes"]


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p["en"], re.S), p["zh"]) for p in _catalog()["patterns"])


class _Filler(string.Formatter):
    """str.format with the catalogue's specs: `label` (a field's Chinese label), `labels` (fields
    by label and code), `q` (the user's text quoted: 「…」 in Chinese, repr in English), `msg` (an
    English text through the patterns), `noun` (what a cell holds), `list` (several values)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, spec: str) -> str:
        zh = self.lang != "en"
        if isinstance(value, Msg):
            return value.text(self.lang)
        if spec == "label":
            return _catalog()["fields"].get(str(value)) or labels().key(str(value)) if zh else str(value)
        if spec == "q":
            if not zh:
                return repr(value)
            return "（未填写）" if value is None or value == "" else f"「{value}」"
        if spec == "msg":
            return in_chinese(str(value)) if zh else str(value)
        if spec == "labels":  # codes of fields: 年度（year）、层级（level） in Chinese, year, level in English
            if not zh:
                return ", ".join(map(str, value))
            return "、".join(f"{self.format_field(v, 'label')}（{v}）" for v in value)
        if spec == "noun":
            return _catalog()["nouns"].get(str(value)) or in_chinese(str(value)) if zh else str(value)
        if spec == "list":
            if isinstance(value, str):  # forms written as one text: 5%, 0.05, 不超过5%
                return value.replace(", ", "、") if zh else value
            return ("、" if zh else ", ").join(str(v) for v in value)
        return super().format_field(value, spec)


def render(m: Msg, lang: str) -> str:
    """The message of code `m.code` in `lang`, its parameters filled in."""
    template = _codes()[m.code]["en" if lang == "en" else "zh"]
    return _Filler(lang).format(template, **dict(m.params))


def in_chinese(message: str) -> str:
    """The message as the catalog words it in Chinese; as written when no pattern knows it."""
    for pattern, zh in _patterns():
        m = pattern.fullmatch(message)
        if m:
            return _SLOT.sub(lambda s, m=m: _fill(m, s.group(1), int(s.group(2))), zh)
    return message


def _fill(m: re.Match[str], how: str | None, n: int) -> str:
    text = m.group(n) or ""
    if how == "msg":
        return in_chinese(text)
    lab = labels()
    if how == "label":
        return str(lab.value(Code(text)))
    if how == "kinds":
        return "、".join(f"{lab.value(Code(k.strip()))}（{k.strip()}）" for k in text.split(","))
    return text
