"""A plan's year given twice, by its title and by the command line or header block, must agree.

A folder of several plans checked with one `--plan year=…` would otherwise give
every plan that year silently; a title saying 2025 and a value saying 2024 is an
input error naming both, never a quiet choice.
"""

from __future__ import annotations

from pathlib import Path

from checker.messages import in_chinese
from checker.tables import TableOptions, read_table

ROOT = Path(__file__).resolve().parent.parent
QINGCHUAN = ROOT / "fixtures" / "realworld" / "qingchuan-2025.xlsx"
TITLE = "青川县市场监督管理局2025年度“双随机、一公开”监管计划"


def _read(year: str) -> tuple[int, list[str]]:
    options = TableOptions(plan=(("level", "department"), ("year", year)))
    read = read_table(QINGCHUAN.name, QINGCHUAN.read_bytes(), "xlsx", options)
    (doc,) = read.documents
    return doc.data["year"], [e.message for e in read.errors]


def test_a_plan_year_option_contradicting_the_title_is_an_input_error_and_the_title_is_kept() -> None:
    year, errors = _read("2024")
    assert year == 2025
    assert errors == [f"the title {TITLE!r} says the year is 2025, --plan year=2024 says 2024; the year 2025 is "
                      "kept: correct the one that is wrong"]
    assert in_chinese(errors[0]) == (f"标题 {TITLE!r} 写明年度为 2025，而--plan year=2024给出 2024，二者冲突；"
                                     "采用 2025：请改正错误的一方")


def test_a_plan_year_option_agreeing_with_the_title_is_no_error() -> None:
    assert _read("2025") == (2025, [])


def test_a_header_block_year_contradicting_the_title_is_an_input_error_and_the_block_is_kept() -> None:
    table = ("某县2025年度双随机抽查计划,,,,\n年度：2024,,,,\n"
             "序号,抽查计划名称,抽查比例,牵头部门,检查日期\n1,食品抽查,5%,县市场监管局,3月—10月\n")
    read = read_table("plan.csv", table.encode(), "csv", TableOptions(plan=(("level", "department"),)))
    (doc,) = read.documents
    assert doc.data["year"] == 2024
    (error,) = read.errors
    assert error.message == ("the title '某县2025年度双随机抽查计划' says the year is 2025, the header block's "
                             "'2024' says 2024; the year 2024 is kept: correct the one that is wrong")
