"""What reading a table's rows costs, counted (never timed): the plan of a layout is made once, a text once.

A plan table of 100,000 rows took 46 s when every row looked up its columns afresh and read
every cell through its reader; bench/table_rows.py gives the figures, bench/NOTES.md keeps them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from checker.tables import read_table, records
from checker.tables import readers as rd


def _plan_csv(rows: int) -> bytes:
    head = "年度,2021\n层级,部门\n部门,县市场监管局\n报送日期,2020-12-20\n" \
           "序号,任务名称,抽查事项,检查对象,抽查基数,检查方式,抽查比例,抽查数量,牵头部门,参与部门,检查时间\n"
    body = "".join(f"{i},任务{i},事项{i},企业,1000,实地核查,{5 + i % 2}%,{50 + i % 3},县市场监管局,县卫生健康局,"
                   f"{'3月-6月' if i % 2 else '3.20-4.30'}\n" for i in range(1, rows + 1))
    return (head + body).encode("utf-8")


def _items_csv(rows: int) -> bytes:
    head = "层级,县级\n事项编号,抽查事项,检查主体,检查对象,检查依据,事项类别\n"
    body = "".join(f"S{i},事项{i},县市场监管局,企业,《条例》,{'重点' if i % 2 else '一般'}\n"
                   for i in range(1, rows + 1))
    return (head + body).encode("utf-8")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Calls of the per-layout planner and of the cell readers, by name."""
    calls: Counter[str] = Counter()

    def counting(name: str, f: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return f(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(records, "plan", counting("plan", records.plan))
    for name in ("read_window", "read_amount", "read_names", "read_size"):
        monkeypatch.setattr(rd, name, counting(name, getattr(rd, name)))
    return calls


@pytest.mark.parametrize(("make", "kind"), [(_plan_csv, "tasks"), (_items_csv, "items")])
def test_a_layout_is_planned_once_however_many_rows(counted: Counter[str], make: Any, kind: str) -> None:
    for rows in (50, 500):
        counted.clear()
        read = read_table("t.csv", make(rows), "csv")
        assert read.errors == [] and len(read.documents[0].data[kind]) == rows
        assert counted["plan"] == 1


def test_a_text_is_read_once_per_column_not_once_per_row(counted: Counter[str]) -> None:
    """Two windows, two ratios, three counts, one lead and one list of participants among 600 rows."""
    read = read_table("plan.csv", _plan_csv(600), "csv")
    tasks = read.documents[0].data["tasks"]
    assert read.errors == [] and len(tasks) == 600
    assert counted["read_window"] == 2
    assert counted["read_amount"] == 2 + 3  # the ratios, then the counts
    assert counted["read_names"] == 2  # the lead (read_one_name reads its names) and the participants
    assert counted["read_size"] == 1
    # each task still has its own values, as if read alone: mapping one task's items in place
    # (checker.tables.items) or its window touches no other task
    assert tasks[0]["window"] == {"start": "2021-03-01", "end": "2021-06-30"}
    assert tasks[1]["window"] == {"start": "2021-03-20", "end": "2021-04-30"}
    assert tasks[0]["window"] is not tasks[2]["window"] and tasks[0]["methods"] is not tasks[2]["methods"]
    assert tasks[0]["participants"] is not tasks[1]["participants"]
    assert (tasks[0]["ratio"], tasks[1]["ratio"], tasks[0]["count"], tasks[1]["count"]) == ("6%", "5%", 51, 52)
    assert read.cells["/tasks/1/window"].reading == read.cells["/tasks/3/window"].reading

def test_a_text_that_cannot_be_read_is_an_error_on_every_row_that_holds_it(counted: Counter[str]) -> None:
    data = _plan_csv(40).decode("utf-8").replace("3月-6月", "择期").encode("utf-8")
    read = read_table("plan.csv", data, "csv")
    rows = [e for e in read.errors if "'择期' cannot be read" in e.message]
    assert len(rows) == 20 and counted["read_window"] == 2
    assert [e.path for e in rows[:2]] == ["/tasks/0/window", "/tasks/2/window"]
    assert all(read.cells[e.path].unreadable for e in rows)
