"""`dsr-check template`: canonical headers, drop-down lists, instructions; a filled template
is checked exactly as the same data written as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from checker.api import Options, check
from checker.cli import app

runner = CliRunner()

PLAN = {
    "kind": "annual_plan", "id": "plan-2021-sc", "level": "department", "year": 2021, "jurisdiction": "广元市",
    "department": "市市场监管局", "submitted_on": "2021-01-05", "platform": "provincial",
    "tasks": [
        {"id": "T1", "name": "食品生产企业联合抽查", "items": ["I-01", "I-02"],
         "objects": {"description": "食品生产企业", "directory": "dir-food", "directory_size": 999},
         "methods": ["on_site", "document"], "ratio": "5%", "count": 50, "lead": "市市场监管局",
         "participants": ["市卫生健康委"], "window": {"start": "2021-03-01", "end": "2021-11-30"}},
        {"id": "T2", "name": "医疗机构联合抽查", "items": ["I-03"],
         "objects": {"description": "医疗机构", "directory_size": 200},
         "methods": ["on_site"], "ratio": "10%", "count": 20, "lead": "市卫生健康委",
         "participants": ["市市场监管局"], "window": {"start": "2021-04-01", "end": "2021-06-30"},
         "exception": {"basis": "key_area", "cap": "10%", "note": "重点领域"}},
        {"id": "T3", "name": "农资联合抽查", "items": ["I-04"], "methods": ["online"], "ratio": "6%",
         "lead": "市农业农村局", "window": {"start": "2021-05-01", "end": "2021-12-15"},
         "special_timing": {"reason": "农时"}},
    ],
}
ITEMS = {
    "kind": "item_list", "id": "list-sc", "level": "provincial", "issuer": "四川省市场监管局",
    "published_on": "2020-06-01",
    "items": [
        {"id": "I-01", "name": "食品生产企业监督检查", "category": "key", "department": "市市场监管局",
         "object_type": "食品生产企业", "basis": "食品安全法"},
        {"id": "I-02", "name": "食品添加剂使用检查", "category": "general", "department": "市卫生健康委"},
        {"id": "I-03", "name": "医疗机构执业检查", "category": "key", "department": "市卫生健康委"},
        {"id": "I-04", "name": "农药经营检查", "category": "general", "department": "市农业农村局"},
    ],
}
METHODS = {"on_site": "实地核查", "document": "书面检查", "online": "网络监测", "third_party": "委托第三方"}
BASIS = {"key_area": "重点领域", "special_industry": "特殊行业", "higher_requirement": "上级要求"}


def _template(tmp_path: Path, kind: str) -> openpyxl.Workbook:
    out = tmp_path / f"{kind}.xlsx"
    result = runner.invoke(app, ["template", "--kind", kind, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


def _block_rows(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(2, 20) if ws.cell(r, 1).value}


def _header(ws) -> tuple[int, dict[str, int]]:
    for r in range(1, 30):
        names = [ws.cell(r, c).value for c in range(1, 30)]
        if "序号" in names:
            return r, {n: i + 1 for i, n in enumerate(names) if n}
    raise AssertionError("no header row")


def test_the_plan_template_has_canonical_headers_lists_and_instructions(tmp_path: Path) -> None:
    wb = _template(tmp_path, "plan")
    assert wb.sheetnames == ["计划", "说明"]
    _, cols = _header(wb["计划"])
    for name in ("抽查计划名称", "抽查事项", "检查对象", "检查方式", "抽查比例", "抽查数量", "牵头部门", "参与部门",
                 "检查日期"):
        assert name in cols
    lists = {dv.formula1 for dv in wb["计划"].data_validations.dataValidation}
    assert '"实地核查,书面检查,网络监测,委托第三方"' in lists and '"重点领域,特殊行业,上级要求"' in lists
    assert '"部门,联席会议"' in lists
    text = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "--plan" in text and "不低于0.5%" in text and "发起部门" in text


def test_the_items_template_has_a_category_list(tmp_path: Path) -> None:
    wb = _template(tmp_path, "items")
    lists = {dv.formula1 for dv in wb["事项清单"].data_validations.dataValidation}
    assert '"重点,一般"' in lists and '"省级,市级,县级"' in lists


def _fill_plan(tmp_path: Path) -> Path:
    wb = _template(tmp_path, "plan")
    ws = wb["计划"]
    block = _block_rows(ws)
    for label, value in (("计划编号", PLAN["id"]), ("年度", "2021年"), ("行政区域", PLAN["jurisdiction"]),
                         ("层级", "部门"), ("部门", PLAN["department"]), ("报送日期", dt.datetime(2021, 1, 5)),
                         ("平台", "省级平台")):
        ws.cell(block[label], 2, value)
    row, cols = _header(ws)
    names = {i["id"]: i["name"] for i in ITEMS["items"]}
    for n, t in enumerate(PLAN["tasks"], start=1):
        r = row + n
        objects = t.get("objects", {})
        values = {
            "序号": n, "任务编号": t["id"], "抽查计划名称": t["name"],
            "抽查事项": "\n".join(names[i] for i in t["items"]),
            "检查对象": objects.get("description"), "名录库编号": objects.get("directory"),
            "抽查基数": objects.get("directory_size"), "检查方式": "、".join(METHODS[m] for m in t["methods"]),
            "抽查比例": t.get("ratio"), "抽查数量": t.get("count"), "牵头部门": t["lead"],
            "参与部门": "、".join(t.get("participants", [])) or None,
            "检查日期": f"{t['window']['start']}至{t['window']['end']}",
            "例外依据": BASIS[t["exception"]["basis"]] if "exception" in t else None,
            "比例上限": t.get("exception", {}).get("cap"), "例外说明": t.get("exception", {}).get("note"),
            "特殊时间要求": t.get("special_timing", {}).get("reason"),
        }
        for name, value in values.items():
            if value is not None:
                ws.cell(r, cols[name], value)
    path = tmp_path / "plan-filled.xlsx"
    wb.save(path)
    return path


def _fill_items(tmp_path: Path) -> Path:
    wb = _template(tmp_path, "items")
    ws = wb["事项清单"]
    block = _block_rows(ws)
    for label, value in (("清单编号", ITEMS["id"]), ("层级", "省级"), ("发布单位", ITEMS["issuer"]),
                         ("公布日期", "2020年6月1日")):
        ws.cell(block[label], 2, value)
    row, cols = _header(ws)
    for n, it in enumerate(ITEMS["items"], start=1):
        for name, value in (("序号", n), ("事项编号", it["id"]), ("抽查事项", it["name"]),
                            ("事项类别", {"key": "重点", "general": "一般"}[it["category"]]),
                            ("检查主体", it["department"]), ("检查对象", it.get("object_type")),
                            ("检查依据", it.get("basis"))):
            if value is not None:
                ws.cell(row + n, cols[name], value)
    path = tmp_path / "items-filled.xlsx"
    wb.save(path)
    return path


def _essence(report) -> list[tuple]:
    """What a check says, without where it says it: status, rule, document, subject, path, message, evidence."""
    def plain(ev: dict) -> str:
        return json.dumps({k: v for k, v in ev.items() if not k.endswith(("_as_written", "_read_as"))},
                          ensure_ascii=False, sort_keys=True)
    return sorted((f.status, f.rule, f.clause, f.document, f.subject, f.path, f.message, plain(f.evidence), f.reason)
                  for f in report.findings)


def test_a_filled_template_checks_exactly_as_the_same_data_in_json(tmp_path: Path) -> None:
    opts = Options(as_of=dt.date(2021, 12, 31))
    (tmp_path / "json").mkdir()
    plan_json = tmp_path / "json" / "plan.json"
    items_json = tmp_path / "json" / "items.json"
    plan_json.write_text(json.dumps(PLAN, ensure_ascii=False), encoding="utf-8")
    items_json.write_text(json.dumps(ITEMS, ensure_ascii=False), encoding="utf-8")
    from_json = check([str(plan_json), str(items_json)], opts)
    from_xlsx = check([str(_fill_plan(tmp_path)), str(_fill_items(tmp_path))], opts)
    assert from_xlsx.input_errors == [] and from_json.input_errors == []
    assert from_json.of("violation"), "the data is chosen to break rules"
    assert _essence(from_xlsx) == _essence(from_json)
    assert [vars(t) for t in from_xlsx.tallies] == [vars(t) for t in from_json.tallies]
    assert from_xlsx.exit_code == from_json.exit_code == 1


def test_the_template_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"a filled-in plan")
    result = runner.invoke(app, ["template", "-o", str(out)])
    assert result.exit_code == 3 and "--force" in result.output
    assert out.read_bytes() == b"a filled-in plan"
    assert runner.invoke(app, ["template", "-o", str(out), "--force"]).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "计划"


# --- the YAML forms: adjustment, batch with results, progress report, work norm ----------
_PLAN = {"kind": "annual_plan", "id": "plan-2021", "level": "department", "year": 2021, "department": "市市场监管局",
         "submitted_on": "2020-12-20", "platform": "provincial",
         "tasks": [{"id": "T1", "name": "食品联合抽查", "items": ["I-01"], "methods": ["on_site"], "ratio": "5%",
                    "count": 5, "lead": "市市场监管局", "participants": ["市卫生健康委"],
                    "objects": {"description": "食品生产企业", "directory": "D1", "directory_size": 100},
                    "window": {"start": "2021-03-01", "end": "2021-10-31"}}]}
FORMS = {
    "adjustment": {"kind": "adjustment", "id": "adj-1", "plan": "plan-2021", "action": "change",
                   "task": {**_PLAN["tasks"][0], "count": 4}, "filed_with_conference_on": "2021-05-06",
                   "published_on": "2021-05-10", "effective_on": "2021-05-09"},
    "batch": {"kind": "batch", "id": "B1", "task": "T1", "origin": "plan", "year": 2021, "lead": "市市场监管局",
              "participants": ["市卫生健康委"], "platform": "provincial", "scheme_entered_on": "2021-04-01",
              "draw": {"method": "platform_lottery", "drawn_on": "2021-04-01"}, "directory": "D1",
              "directory_size": 100, "selected": ["o1"], "inspectors": ["P1", "P2"], "methods": ["on_site"],
              "started_on": "2021-04-12", "completed_on": "2021-04-20", "results_entered_on": "2021-05-30",
              "results": [{"object": "o1", "outcome": "未发现问题", "entered_on": "2021-05-30",
                           "published": ["gsxt_sichuan"]}]},
    "progress_report": {"kind": "progress_report", "id": "R1", "department": "市市场监管局", "period": "2021-Q2",
                        "submitted_on": "2021-07-20"},
    "work_norm": {"kind": "work_norm", "id": "N1", "department": "市市场监管局",
                  "covers": ["draw_method", "process", "approval", "publication"]},
}


def _fill(template: str, doc: dict) -> str:
    """The form filled in as a person would: each field's value written after its colon."""
    import re

    def get(path: list) -> object:
        node: object = doc
        for part in path:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return None
        return node

    out, stack = [], []
    for line in template.splitlines():
        m = re.match(r"^( *)(- )?([a-z_]+):(.*)$", line)
        if not m or line.startswith("kind:"):
            out.append(line)
            continue
        indent = len(m.group(1)) + (2 if m.group(2) else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if m.group(2):
            stack.append((indent - 1, 0))  # the first item of the list
        value = get([p for _, p in stack] + [m.group(3)])
        stack.append((indent, m.group(3)))
        container = isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict))
        if value is None or container:
            out.append(line)
        else:
            out.append(f"{m.group(1)}{m.group(2) or ''}{m.group(3)}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def _findings(paths: list[str]) -> list[tuple]:
    report = check(paths, Options(as_of=dt.date(2021, 12, 31)))
    found = sorted((f.status, f.rule, f.subject, json.dumps(f.evidence, sort_keys=True)) for f in report.findings)
    return [*found, ("errors", len(report.input_errors))]


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_a_filled_form_checks_exactly_as_the_same_document_in_json(tmp_path: Path, kind: str) -> None:
    form = tmp_path / f"{kind}.yaml"
    result = runner.invoke(app, ["template", "--kind", kind, "-o", str(form)])
    assert result.exit_code == 0, result.output
    blank = form.read_text(encoding="utf-8")
    form.write_text(_fill(blank, FORMS[kind]), encoding="utf-8")
    as_json = tmp_path / f"{kind}.json"
    as_json.write_text(json.dumps(FORMS[kind], ensure_ascii=False), encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_PLAN, ensure_ascii=False), encoding="utf-8")
    filled = _findings([str(plan), str(form)])
    assert filled == _findings([str(plan), str(as_json)]) and filled[-1] == ("errors", 0)
    assert yaml.safe_load(form.read_text(encoding="utf-8"))["kind"] == kind


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_a_blank_form_names_only_the_fields_it_must_have(tmp_path: Path, kind: str) -> None:
    form = tmp_path / f"{kind}.yaml"
    runner.invoke(app, ["template", "--kind", kind, "-o", str(form)])
    report = check([str(form)], Options(as_of=dt.date(2021, 12, 31)))
    assert report.input_errors and all("required" in e.message for e in report.input_errors)
    assert "必填" in form.read_text(encoding="utf-8") and "2021年8月3日" in form.read_text(encoding="utf-8")


def test_each_kind_has_the_template_of_its_own_file_type(tmp_path: Path) -> None:
    assert runner.invoke(app, ["template", "--kind", "batch", "-o", str(tmp_path / "b.txt")]).exit_code == 3
    assert runner.invoke(app, ["template", "--kind", "plan", "-o", str(tmp_path / "p.yaml")]).exit_code == 3
    assert runner.invoke(app, ["template", "--kind", "batch", "-o", str(tmp_path / "b.xlsx")]).exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames == ["抽查批次", "检查结果", "说明"]
