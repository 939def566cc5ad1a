"""What a table's documents hold, which lets the loader skip work: no null, no decimal, no surrogate it did not read.

checker/read/load.py copies a table's documents only when one holds a null, trusts the compiled
validator as for a document without decimal numbers, and looks for unpaired surrogates only when a
text the table was read from holds one (bench/NOTES.md: a plan of 100,000 rows). These tests hold
the reading to that, and show the bounds still refuse a surrogate that came in.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from checker.read.documents import has_null
from checker.read.inputs import Limits
from checker.read.load import load
from checker.tables import TableOptions, read_table
from checker.tables.items import resolve_items
from checker.validate import validate

ROOT = Path(__file__).resolve().parent.parent
TABLES = sorted(p for d in ("fixtures/realworld", "fixtures/excel") for p in (ROOT / d).iterdir()
                if p.suffix in {".xlsx", ".csv", ".xls", ".docx"})


def _kinds(value: Any) -> set[type]:
    out: set[type] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        out.add(type(v))
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_a_table_s_documents_hold_no_null_and_no_decimal(path: Path) -> None:
    given = TableOptions(plan=(("level", "部门"),), items=(("level", "县级"),))  # one not saying its level is read
    read = read_table(path.name, path.read_bytes(), path.suffix[1:], given)
    assert read.documents
    for doc in read.documents:
        assert not has_null(doc.data)
        assert _kinds(doc.data) <= {dict, list, str, int, bool}
    assert read.no_surrogates


def test_has_null_finds_a_null_member_at_any_depth() -> None:
    assert has_null({"a": [{"b": {"c": None}}]})
    assert not has_null({"a": [None, {"b": [1, "x"]}]})  # a null item of a list is kept: nothing to drop
    assert not has_null({"a": Decimal("1.5")})


def test_a_surrogate_given_on_the_command_line_is_still_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("年度,2021\n层级,部门\n序号,任务名称,抽查事项,检查对象,牵头部门,检查时间\n"
                    "1,任务1,事项1,企业,县市场监管局,3月-6月\n", encoding="utf-8")
    read = read_table("plan.csv", plan.read_bytes(), "csv", TableOptions(plan=(("department", "县\ud800局"),)))
    assert not read.no_surrogates
    loaded = load([str(plan)], Limits(), TableOptions(plan=(("department", "县\ud800局"),)))
    assert loaded.documents == []
    assert [e.path for e in loaded.errors] == ["/department"]
    assert "unpaired surrogate" in loaded.errors[0].message


def test_a_plan_whose_item_names_are_mapped_is_validated_again(tmp_path: Path) -> None:
    """Found valid as read, then its items changed (checker.tables.items): the validators look again."""
    plan = tmp_path / "plan.csv"
    plan.write_text("年度,2021\n层级,部门\n部门,县市场监管局\n报送日期,2020-12-20\n"
                    "序号,任务名称,抽查事项,检查对象,牵头部门,检查时间\n1,任务1,事项1,企业,县市场监管局,3月-6月\n",
                    encoding="utf-8")
    items = tmp_path / "items.csv"
    items.write_text("层级,县级\n事项编号,抽查事项,检查主体,检查对象,检查依据,事项类别\nS1,事项1,县市场监管局,企业,《条例》,一般\n",
                     encoding="utf-8")
    from checker.validate import vouch

    loaded = load([str(plan), str(items)], vouch=vouch)
    assert {d.data["kind"]: d.valid for d in loaded.documents} == {"annual_plan": True, "item_list": True}
    loaded = resolve_items(loaded)
    assert {d.data["kind"]: d.valid for d in loaded.documents} == {"annual_plan": False, "item_list": True}
    assert next(d for d in loaded.documents if d.data["kind"] == "annual_plan").data["tasks"][0]["items"] == ["S1"]
    valid, errors = validate(loaded.documents)
    assert errors == [] and len(valid) == 2
