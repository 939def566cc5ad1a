"""`explain` speaks to an official: where its Chinese text names a field of the data contract
(or a code of its vocabulary, or a parameter), the Chinese label comes first and the code
stands beside it in brackets, 「司法部门备案日期」（filed_with_justice_on）, never bare
(`在 published_on 中记录日期`, `covers 中列入 archiving`, `period 为 2021-Q3`)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.labels import Code, Labels, labels
from checker.rulebook import Rule, load_rulebook

BOOK = load_rulebook()
LABELS = labels(BOOK.folder)
# a contract field, a dotted path (draw.drawn_on) or a code: lower-case ASCII, not a {placeholder}
_CODE = re.compile(r"(?<![\w{.:-])[a-z][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*(?![\w}-])")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _labels_of(code: str, lab: Labels) -> set[str]:
    """What may stand before （code）: the label of the code, of its last part, or of the value."""
    leaf = code.rsplit(".", 1)[-1]
    found = {lab.key(code), lab.key(leaf), str(lab.value(Code(code))), str(lab.value(Code(leaf)))}
    return {x for x in found if x not in {code, leaf}}


def bare_codes(text: str, lab: Labels) -> list[str]:
    """The codes `text` names without their Chinese label right before them in brackets."""
    text = _PLACEHOLDER.sub("", text)
    bare = []
    for m in _CODE.finditer(text):
        code, before = m.group(), text[: m.start()]
        if not before.endswith("（"):
            bare.append(code)
            continue
        head = before[:-1].rstrip("」”")
        if not any(head.endswith(label) for label in _labels_of(code, lab)):
            bare.append(code)
    return bare


RULES = sorted(BOOK.rules.values(), key=lambda r: r.code)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_the_chinese_text_of_a_rule_names_fields_by_their_labels(rule: Rule) -> None:
    for part in ("checks", "remedy", "message"):
        text = getattr(rule, part)("zh")
        assert bare_codes(text, LABELS) == [], f"{rule.code} {part}: {text}"


@pytest.mark.parametrize("reading", sorted(BOOK.readings))
def test_the_chinese_text_of_a_reading_names_fields_by_their_labels(reading: str) -> None:
    text = BOOK.readings[reading]("zh")
    assert bare_codes(text, LABELS) == [], f"{reading}: {text}"


def test_the_check_catches_a_bare_field() -> None:
    assert bare_codes("在 published_on 中记录日期", LABELS) == ["published_on"]
    assert bare_codes("规范涵盖事项（covers）中列入 archiving", LABELS) == ["archiving"]
    assert bare_codes("报送（submitted_on，含当日）", LABELS) == ["submitted_on"]
    assert bare_codes("在「公示日期」（published_on）中记录日期", LABELS) == []
    assert bare_codes("报送日期（submitted_on，含当日）；任务 {subject}", LABELS) == []


runner = CliRunner()


@pytest.mark.parametrize("code", [r.code for r in RULES])
def test_explain_lines_name_no_bare_field(code: str) -> None:
    """What `explain` prints of a rule in Chinese: the 检查内容 and 整改 lines, the failing
    example's findings, and the examples' comments (the documents are the contract as written)."""
    out = runner.invoke(app, ["explain", code]).stdout
    # the ids and values the examples' documents hold, which the findings quote (对象 o3, 任务 T1)
    quoted = set(re.findall(r"^ +(?:- )?(?:[a-z_]+: )?'?([^'\n:]+?)'?$", out, re.M))
    lines = [line for line in out.splitlines() if line.startswith(("检查内容", "整改", "  → "))]
    assert lines
    for line in lines:
        assert [c for c in bare_codes(line, LABELS) if c not in quoted] == [], line
    comments = [line for line in out.splitlines() if line.startswith("  #")]
    assert comments and not any(re.search(r"[A-Za-z]{2,}", c) for c in comments), comments
