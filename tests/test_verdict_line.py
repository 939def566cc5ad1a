"""The first line of every report is a verdict that is true of the run: a pass only
when documents were checked and no input stopped; never "no violations" for nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from checker.api import Options, check
from checker.report import Report
from checker.reporters import REPORTERS
from tests.helpers import plan, write

SAMPLE = str(Path(__file__).resolve().parent.parent / "fixtures" / "sample")
AS_OF = dt.date(2020, 12, 1)


def first_lines(report: Report) -> dict[str, str]:
    """The verdict as each human format shows it first."""
    html = REPORTERS["html"](report)
    headline = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert headline
    md = REPORTERS["markdown"](report).splitlines()[0]
    assert md.startswith("## ")
    return {"text": REPORTERS["text"](report).splitlines()[0], "markdown": md[3:].replace("\\", ""),
            "html": headline.group(1)}


def verdicts(paths: list[str], lang: str = "zh") -> set[str]:
    lines = first_lines(check(paths, Options(as_of=AS_OF, lang=lang)))
    assert len(set(lines.values())) == 1, lines  # the same sentence in each format
    return set(lines.values())


def only(paths: list[str], lang: str = "zh") -> str:
    (line,) = verdicts(paths, lang)
    assert "未发现违规" not in line or line.startswith("通过") or "不完整" in line
    return line


def test_a_clean_plan_passes(tmp_path: Path) -> None:
    line = only([write(tmp_path, "p.json", plan())])
    assert line == "通过：检查了 1 份文件、1 份文档，未发现违规。"
    assert only([write(tmp_path, "p.json", plan())], "en") == "Passed: 1 file, 1 document checked, no violation."


def test_violations_are_counted_by_severity() -> None:
    report = check([SAMPLE], Options(as_of=dt.date(2021, 12, 31)))
    assert set(first_lines(report).values()) == {
        "发现 10 项违规（错误 9 项、警告 1 项）。共检查 28 份文件、120 份文档。"}


def test_a_missing_file_is_not_a_pass(tmp_path: Path) -> None:
    line = only([str(tmp_path / "nowhere.json")])
    assert line == "输入有误，1 份文件未能检查（读取 0 份，未能读取 1 份；输入错误 1 项）；没有任何文档得到检查。"


@pytest.mark.parametrize("name", ["plan.xls", "plan.docx"])
def test_an_office_file_that_cannot_be_read_is_not_a_pass(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0")  # a truncated OLE2 header
    for given in (tmp_path, tmp_path / name):
        assert only([str(given)]) == ("输入有误，1 份文件未能检查（读取 1 份，未能读取 0 份；输入错误 1 项）；"
                                      "没有任何文档得到检查。")


@pytest.mark.parametrize("name", ["plan.doc", "plan.et", "plan.wps"])
def test_an_office_file_that_is_not_read_is_not_a_pass(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    for given in (tmp_path, tmp_path / name):
        assert only([str(given)]) == ("输入有误，1 份文件未能检查（读取 0 份，未能读取 1 份；输入错误 1 项）；"
                                      "没有任何文档得到检查。")


def test_a_folder_of_unreadable_files_is_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("kind: [", encoding="utf-8")
    line = only([str(tmp_path)])
    assert line.startswith("输入有误，2 份文件未能检查（读取 2 份，未能读取 0 份；输入错误 2 项）")
    assert line.endswith("没有任何文档得到检查。")


def test_a_plan_without_its_year_is_not_a_pass(tmp_path: Path) -> None:
    doc = plan()
    del doc["year"]
    assert only([write(tmp_path, "p.json", doc)]).endswith("没有任何文档得到检查。")


def test_input_errors_beside_clean_documents_say_the_check_is_incomplete(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", plan())
    bad = write(tmp_path, "bad.json", {"kind": "batch", "id": "B1", "directory_size": "many"})
    line = only([good, bad])
    assert line == ("输入有误，1 份文件未能检查（读取 2 份，未能读取 0 份；输入错误 1 项）；"
                    "已检查的 1 份文档未发现违规，但检查并不完整。")
    assert only([good, bad], "en") == ("Input errors: 1 file could not be checked (read 2, could not read 0; "
                                       "1 input error); the 1 document checked has no violation, "
                                       "but the check is incomplete.")


def test_input_errors_beside_violations_say_both(tmp_path: Path) -> None:
    over = write(tmp_path, "over.json", plan(count=51))
    line = only([over, str(tmp_path / "missing.yaml")])
    assert line == ("输入有误，1 份文件未能检查（读取 1 份，未能读取 1 份；输入错误 1 项）；"
                    "在已检查的 1 份文档中发现 1 项违规。")


def test_files_without_documents_are_not_a_pass(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("[]", encoding="utf-8")
    assert only([str(path)]) == "未检查任何文档：读取的 1 份文件中没有可检查的文档。"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_report_ends_with_an_all_clear_it_cannot_give(tmp_path: Path, lang: str) -> None:
    report = check([str(tmp_path / "nowhere.json")], Options(as_of=AS_OF, lang=lang))
    for name in ("text", "markdown", "html"):
        out = REPORTERS[name](report)
        assert "未发现违规" not in out and "No violations found" not in out
