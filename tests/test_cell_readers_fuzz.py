"""Any cell text is read to a value that reads back the same, or refused naming the cell; none crashes.

The cell readers (checker/tables/readers.py, and the item lists of records.py)
get texts built from the pieces real cells are made of (numbers, %, 户, month and
date words, dashes, brackets, separators, tier letters, department suffixes,
或 and 等) and any text at all. A text read is rendered in the plain form the
contract writes (5%, 10-20%, 不少于3户, 2025-03-01至2025-06-30, one name a line)
and must read back to the same value; a text refused raises CannotRead, never
anything else. Through a whole table, a refused cell is an input error naming its
row and column. Derandomized, with a fixed budget, as tests/test_fuzz.py is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.tables import TableOptions, read_table
from checker.tables import readers as rd
from checker.tables.records import Context, _item_names

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
PIECES = ["0", "1", "2", "3", "5", "10", "11", "12", "20", "31", "0.5", "0.05", "1,500", "2025", "100", "%", "％",
          "户", "家", "个", "-", "—", "~", "至", "到", "月", "日", "年", "号", ".", "次年", "前", "底", "完成", "全年",
          "上半年", "第二季度", "不超过", "不低于", "以上", "以内", "百分之", "(", ")", "（", "）", "、", "，", ",",
          ";", "；", " ", "\n", "/", "A", "B", "D", "类", ":", "按照", "个体", "比例抽取", "部门", "局", "委", "商务",
          "税务", "县", "市场监管", "或", "等", "无", "1.", "2.", "①", "（1）", "实际以", "为准", "次/年"]
texts = st.one_of(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.text(max_size=24))


def _parts(value: dict[str, Any]) -> list[str]:
    """A ratio and count reading in the plain forms the readers read."""
    out = []
    if "ratio" in value and "ratio_floor" in value:
        out.append(f"{value['ratio_floor']}-{value['ratio']}")
    elif "ratio" in value:
        out.append(value["ratio"])
    elif "ratio_floor" in value:
        out.append(f"不低于{value['ratio_floor']}")
    if "count" in value and "count_floor" in value:
        out.append(f"{value['count_floor']}-{value['count']}户")
    elif "count" in value:
        out.append(f"{value['count']}户")
    elif "count_floor" in value:
        out.append(f"不少于{value['count_floor']}户")
    return out


def _tiers(value: list[tuple[str, str, int | None]]) -> str:
    return "、".join(f"{t}{'类' if len(t) == 1 else ''}{r}" + (f"（{n}户）" if n is not None else "")
                    for t, r, n in value)


# reader, and how a value it read is written back: (read, render)
READERS: dict[str, tuple[Callable[[str], rd.Reading], Callable[[Any], str]]] = {
    "ratio": (lambda t: rd.read_amount(t, "ratio"), lambda v: "；".join(_parts(v))),
    "count": (lambda t: rd.read_amount(t, "count"), lambda v: "；".join(_parts(v))),
    "ratio_only": (rd.read_ratio, lambda v: "；".join(_parts(v))),
    "count_only": (rd.read_count, lambda v: "；".join(_parts(v))),
    "tiers": (rd.read_tiers, _tiers),
    "window": (lambda t: rd.read_window(t, 2025), lambda v: f"{v['start']}至{v['end']}"),
    "date": (rd.read_date, str),
    "departments": (rd.read_names, lambda v: "\n".join(v) or "无"),
    "lead": (rd.read_one_name, str),
    "items": (lambda t: _item_names(t, Context(2025, {})),
              lambda v: "\n".join(f"{i}. {x}" for i, x in enumerate(v, 1))),
}


@pytest.mark.parametrize("kind", sorted(READERS))
def test_a_cell_text_reads_to_a_value_that_reads_back_the_same_or_is_refused(kind: str) -> None:
    read, render = READERS[kind]

    @SETTINGS
    @given(text=texts)
    def reads_back(text: str) -> None:
        try:
            value = read(text).value
        except rd.CannotRead:
            return
        again = read(render(value)).value
        assert again == value, (text, render(value))

    reads_back()


COLUMNS = {"抽查比例": "F", "抽查数量": "G", "牵头部门": "H", "参与部门": "I", "检查日期": "J", "抽查事项": "C",
           "信用风险分类抽查比例": "K"}
HEADERS = ["序号", "抽查计划名称", "抽查事项", "检查对象", "检查方式", "抽查比例", "抽查数量", "牵头部门", "参与部门",
           "检查日期", "信用风险分类抽查比例"]
ROW = ["1", "食品抽查", "许可情况", "食品经营者", "现场检查", "5%", "20", "县市场监管局", "县卫健局", "3月—10月",
       "A:3%"]
OPTIONS = TableOptions(plan=(("level", "department"), ("year", "2025")))


@pytest.mark.parametrize("header", sorted(COLUMNS))
def test_any_text_in_a_plans_cell_is_read_or_refused_naming_the_cell(header: str) -> None:
    column = COLUMNS[header]

    @SETTINGS
    @given(text=texts)
    def read_or_refused(text: str) -> None:
        row = list(ROW)
        row[HEADERS.index(header)] = text
        out = io.StringIO()
        csv.writer(out).writerows([HEADERS, row])
        read = read_table("plan.csv", out.getvalue().encode(), "csv", OPTIONS)
        refused = [e for e in read.errors if dict(e.source).get("column") == column]
        assert all(dict(e.source)["row"] == 2 and dict(e.source)["header"] == header for e in refused)
        taken = [c for c in read.cells.values() if c.column == column and c.row == 2 and not c.unreadable]
        if not text.strip():
            assert not refused
            return
        assert bool(refused) != bool(taken), (text, [e.message for e in read.errors])
        assert all(repr(text.strip()) in e.message or repr(text) in e.message for e in refused)

    read_or_refused()
