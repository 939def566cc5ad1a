"""Messages and remedies name what the user wrote: the cell and its header in a spreadsheet,
the field's Chinese label in JSON and YAML; the steps still missing, in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from checker.api import Options, check
from checker.report import Finding, Report
from checker.reporters import REPORTERS
from checker.tables import TableOptions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
AS_OF = dt.date(2021, 12, 31)


def finding(report: Report, rule: str, subject: str) -> Finding:
    return next(f for f in report.of("violation") if f.rule == rule and f.subject == subject)


def adjustments(tmp_path: Path, **change: Any) -> Report:
    """The sample with its second adjustment changed."""
    docs = yaml.safe_load((SAMPLE / "adjustments.yaml").read_text(encoding="utf-8"))
    adj = next(d for d in docs if d["id"] == "adj-2021-02")
    for key, value in change.items():
        if value is None:
            adj.pop(key, None)
        else:
            adj[key] = value
    folder = tmp_path / "sample"
    for p in SAMPLE.rglob("*.yaml"):
        target = folder / p.relative_to(SAMPLE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(p.read_bytes())
    (folder / "adjustments.yaml").write_text(yaml.safe_dump(docs, allow_unicode=True), encoding="utf-8")
    return check([str(folder)], Options(as_of=AS_OF))


def test_a_json_or_yaml_remedy_names_the_field_by_its_label() -> None:
    report = check([str(SAMPLE)], Options(as_of=AS_OF))
    f = finding(report, "adjustment-filed-with-justice", "adj-2021-02")
    assert "在“司法部门备案日期”（filed_with_justice_on）中记录备案日期" in f.remedy
    norm = finding(report, "work-norm-covers-aspects", "norm-jt")
    assert norm.message == "工作规范 norm-jt 未对“归档方式”作出明确规定。"
    assert "“规范涵盖事项”（covers）" in norm.remedy and "archiving" not in norm.remedy


def test_a_spreadsheet_finding_names_its_cell_and_header_in_the_remedy_and_the_text_report() -> None:
    given = (("level", "conference"), ("jurisdiction", "旺苍县"), ("compiled_on", "2021-01-25"),
             ("issued_on", "2021-02-03"), ("published_on", "2021-02-05"))
    report = check([str(ROOT / "fixtures" / "excel" / "county-plan-2021.xlsx")],
                   Options(as_of=AS_OF, tables=TableOptions(plan=given)))
    f = finding(report, "sampling-ratio-cap", "county-plan-2021-4")
    assert f.source["sheet"] == "抽查计划" and f.source["header"] == "抽查户数（户）"
    text = REPORTERS["text"](report)
    assert "county-plan-2021-4 抽查计划!G7「抽查户数（户）」：任务 county-plan-2021-4 计划抽查 13 户" in text
    window = finding(report, "task-window-by-nov-20", "county-plan-2021-2")
    assert "抽查计划!K5「实施时间」" in text and window.source["column"] == "K"


def test_the_effective_date_remedy_names_every_step_still_missing_in_order(tmp_path: Path) -> None:
    one = finding(check([str(SAMPLE)], Options(as_of=AS_OF)), "adjustment-effective-after-filings", "adj-2021-02")
    assert one.remedy.startswith("先报司法部门备案，再将计划调整 adj-2021-02 的“生效日期”（effective_on）改为")
    two = finding(adjustments(tmp_path, filed_with_conference_on=None), "adjustment-effective-after-filings",
                  "adj-2021-02")
    assert two.remedy.startswith("先报联席会议备案、报司法部门备案，再将计划调整 adj-2021-02")
    done = finding(adjustments(tmp_path / "all", filed_with_justice_on="2021-08-04"),
                   "adjustment-effective-after-filings", "adj-2021-02")
    assert done.remedy.startswith("将计划调整 adj-2021-02 的“生效日期”（effective_on）改为不早于")
    assert "（目前为 2021-08-06）" in done.remedy


def test_messages_read_as_an_official_writes_them() -> None:
    report = check([str(SAMPLE)], Options(as_of=AS_OF))
    member = finding(report, "every-member-reports-quarterly", "plan-gy-2021")
    assert "的成员单位市教育局没有 2021 年第 3 季度" in member.message
    late = finding(report, "start-within-5-workdays", "B2021-07")
    assert late.message.endswith("实际开始日期：2021-05-11。") and "“—”" not in late.message
    plan = finding(report, "department-plan-submitted", "plan-ny-2021")
    assert plan.remedy.startswith("于 2020-12-31 前将下一年度联合抽查计划报送同级联席会议")
    assert "每年不晚于" not in plan.remedy
    adj = finding(report, "adjustment-effective-after-filings", "adj-2021-02")
    assert "司法部门备案未填写" in adj.message


def test_a_fixed_value_is_read_in_chinese_words_and_in_english_by_its_code() -> None:
    """A Chinese report says a synonym is read as the Chinese word, never as the contract's code."""
    from checker.tables.readers import read_value, read_values
    from checker.tables.vocabulary import vocabulary

    actions = vocabulary()["values"]["action"]
    written = read_value("变更", actions, "an action")
    assert written.value == "change" and written.note is not None
    assert (written.note("zh"), written.note("en")) == ("", "变更 → change")  # nothing to say in Chinese
    synonym = read_value("修改", actions, "an action")
    assert (synonym.note("zh"), synonym.note("en")) == ("修改 → 变更", "修改 → change")
    both = read_values("删除、修改", actions, "actions")
    assert (both.value, both.note("zh"), both.note("en")) == \
        (["remove", "change"], "修改 → 变更", "删除 → remove、修改 → change")
