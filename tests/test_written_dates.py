"""Hand-written YAML: dates as a table holds them (2022年5月10日), actions as 新增/删除/变更."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from checker.api import Options, check
from checker.read.load import load
from checker.validate import validate

ISO = {"kind": "adjustment", "id": "adj-1", "plan": "plan-2020", "action": "remove", "task_id": "T1",
       "filed_with_conference_on": "2020-05-06", "filed_with_justice_on": "2020-05-08",
       "published_on": "2020-05-10", "effective_on": "2020-05-09"}
WRITTEN = {**ISO, "action": "删除", "filed_with_conference_on": "2020年5月6日", "filed_with_justice_on": "2020.5.8",
           "published_on": "2020年5月10日", "effective_on": "2020年05月09日"}


def _yaml(tmp_path: Path, name: str, doc: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return str(path)


def _findings(path: str) -> list[tuple[str, str, str]]:
    report = check([path], Options(as_of=dt.date(2020, 12, 31)))
    assert report.input_errors == []
    return sorted((f.status, f.rule, json.dumps(f.evidence, sort_keys=True)) for f in report.findings)


def test_dates_and_actions_written_by_hand_check_as_the_contracts_forms(tmp_path: Path) -> None:
    written, iso = _yaml(tmp_path, "written.yaml", WRITTEN), _yaml(tmp_path, "iso.yaml", ISO)
    assert _findings(written) == _findings(iso)
    assert any(rule == "adjustment-effective-after-filings" for _, rule, _ in _findings(written))


def test_each_date_read_so_is_noted_with_what_was_written(tmp_path: Path) -> None:
    loaded = load([_yaml(tmp_path, "written.yaml", WRITTEN)])
    [doc] = loaded.documents
    assert doc.data["published_on"] == "2020-05-10" and doc.data["action"] == "删除"
    notes = {n.path: n.message for n in loaded.notes}
    assert notes["/published_on"] == "'2020年5月10日' read as the date 2020-05-10"
    assert set(notes) == {"/filed_with_conference_on", "/filed_with_justice_on", "/published_on", "/effective_on"}


@pytest.mark.parametrize("day", ["2020年2月30日", "2020年5月", "五月十日"])
def test_a_written_date_that_names_no_day_is_an_input_error_at_its_field(tmp_path: Path, day: str) -> None:
    report = check([_yaml(tmp_path, "bad.yaml", {**ISO, "published_on": day})], Options(as_of=dt.date(2020, 12, 31)))
    assert [e.path for e in report.input_errors] == ["/published_on"]


def test_json_is_written_by_programs_and_stays_strict(tmp_path: Path) -> None:
    path = tmp_path / "written.json"
    path.write_text(json.dumps({**ISO, "published_on": "2020年5月10日"}, ensure_ascii=False), encoding="utf-8")
    report = check([str(path)], Options(as_of=dt.date(2020, 12, 31)))
    assert [e.path for e in report.input_errors] == ["/published_on"]


def test_a_text_field_holding_a_date_is_left_as_written(tmp_path: Path) -> None:
    plan = {"kind": "annual_plan", "id": "2020年5月10日", "level": "department", "year": 2020,
            "department": "市市场监管局", "submitted_on": "2019年12月20日", "tasks": []}
    [doc] = load([_yaml(tmp_path, "plan.yaml", plan)]).documents
    assert doc.data["id"] == "2020年5月10日" and doc.data["submitted_on"] == "2019-12-20"


@pytest.mark.parametrize(("word", "action"), [("新增", "add"), ("删除", "remove"), ("变更", "change")])
def test_adjustment_actions_may_be_written_in_chinese(word: str, action: str) -> None:
    from checker.read.inputs import RawDocument

    task = {"id": "T9", "name": "新增任务", "lead": "市市场监管局"}
    doc = {**ISO, "action": word, **({"task": task} if action != "remove" else {})}
    if action != "remove":
        doc.pop("task_id")
    valid, errors = validate([RawDocument("f", "", doc)])
    assert errors == [] and valid[0].model.action == action
    if action == "remove":  # the schema's rule: a removal names its task
        del doc["task_id"]
        assert validate([RawDocument("f", "", doc)])[1]


def test_the_readmes_adjustment_example_finds_what_the_readme_says(tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"## An adjustment, as the justice bureau reads it\n.*?```yaml\n(.*?)```", readme, re.S)
    path = tmp_path / "adjustment.yaml"
    path.write_text(example, encoding="utf-8")
    report = check([str(path)], Options(as_of=dt.date(2021, 12, 31)))
    assert report.input_errors == []
    assert sorted((f.rule, f.clause) for f in report.of("violation")) == [
        ("adjustment-effective-after-filings", "3.5.3"), ("adjustment-filed-with-justice", "3.5.3")]
    assert {f.rule for f in report.of("not_evaluated")}  # the plan was not supplied
