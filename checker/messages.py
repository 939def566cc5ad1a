"""Input error messages in Chinese, through a catalog of patterns (checker/messages.yaml).

The readers word their errors once, in English, and the JSON report keeps those
words; a Chinese report shows each error as the catalog words it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from checker.labels import Code, labels

_CATALOG = Path(__file__).resolve().parent / "messages.yaml"
_SLOT = re.compile(r"\{(?:(label|msg|kinds):)?(\d+)\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = yaml.safe_load(_CATALOG.read_text(encoding="utf-8"))
    return tuple((re.compile(p["en"], re.S), p["zh"]) for p in data["patterns"])


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
