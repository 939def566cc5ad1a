"""Metamorphic checks on the sample year: what must not change the findings.

- the order of files and of documents within them, and how documents are split
  into files;
- a consistent renaming of every id and department;
- adding a batch that complies with every rule (it adds its own satisfied
  checks, nothing else);
- the names and order of the files a spreadsheet plan's item names are resolved
  against (an item name two lists give different ids is an input error either way).
"""

from __future__ import annotations

import copy
import json
import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.bundles import OPTIONS, Renaming, canonical, run, sample_documents

DOCS = sample_documents()
SETTINGS = settings(max_examples=20, deadline=None, derandomize=True, database=None)


def _baseline() -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp), {"all.json": DOCS})
    assert report.input_errors == []
    assert report.of("violation"), "the sample must have findings for the comparison to mean anything"
    return canonical(report)


BASELINE = _baseline()


@SETTINGS
@given(order=st.permutations(range(len(DOCS))), cuts=st.lists(st.integers(0, len(DOCS)), max_size=5),
       labels=st.permutations(range(6)))
def test_reordering_and_resplitting_files_changes_nothing(order: list[int], cuts: list[int],
                                                         labels: list[int]) -> None:
    docs = [DOCS[i] for i in order]
    bounds = [0, *sorted(set(cuts)), len(docs)]
    files = {f"part-{labels[k]}.json": docs[a:b] for k, (a, b) in enumerate(pairwise(bounds))
             if b > a}
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp), files)
    assert report.input_errors == []
    assert canonical(report) == BASELINE


def test_renaming_every_id_and_department_changes_nothing_but_the_names() -> None:
    renaming = Renaming(lambda n: f"name-{n}")
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp), {"all.json": renaming.apply(DOCS)})
    assert report.input_errors == []
    assert len(renaming.back) > 100  # ids and departments were really renamed
    assert canonical(report, renaming) == BASELINE


def _compliant_batch() -> dict[str, Any]:
    """A copy of a batch the sample shows compliant, drawing two objects not drawn before."""
    batch = copy.deepcopy(next(d for d in DOCS if d["kind"] == "batch" and d["id"] == "B2021-01"))
    batch["id"] = "B2021-99"
    directory = next(d for d in DOCS if d["kind"] == "object_directory" and d["id"] == batch["directory"])
    drawn = {o for d in DOCS if d["kind"] == "batch" for o in d.get("selected") or ()}
    batch["selected"] = [o for o in directory["entries"] if o not in drawn][:2]
    assert len(batch["selected"]) == 2
    batch["results"] = [{"object": o, "outcome": "未发现问题", "published": ["gsxt_sichuan", "creditchina_sichuan"]}
                        for o in batch["selected"]]
    return batch


def _document(finding: str) -> str:
    value = json.loads(finding)
    return value[2] if isinstance(value, list) else value["document"]


def test_adding_a_compliant_batch_adds_only_its_own_satisfied_checks() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp), {"all.json": DOCS, "extra.json": [_compliant_batch()]})
    assert report.input_errors == []
    found = canonical(report)
    own = {f for f in found if _document(f) == "B2021-99"}
    assert own, "the batch is checked"
    assert [f for f in own if not isinstance(json.loads(f), list)] == []  # only satisfied checks
    assert found - own == BASELINE


def test_the_order_of_paths_on_the_command_line_changes_no_byte(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from checker.cli import app

    sample = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
    paths = [str(p) for p in sorted(sample.iterdir()) if p.is_dir() or p.suffix == ".yaml"]
    outs = []
    for order in (paths, list(reversed(paths))):
        result = CliRunner().invoke(app, ["check", *order, "--as-of", "2021-12-31", "--format", "json"])
        assert result.exit_code in {0, 1}
        outs.append(result.stdout)
    assert outs[0] == outs[1]


# --- item names across files: renaming and reordering the files changes nothing ----------
FOOD = "食品生产企业检查"  # in both lists, with different ids: ambiguous
LISTS = {
    "provincial": {"kind": "item_list", "id": "L-prov", "level": "provincial", "items": [
        {"id": "P-01", "name": FOOD, "department": "省市场监管局"},
        {"id": "P-02", "name": "药品经营检查", "department": "省药监局"}]},
    "municipal": {"kind": "item_list", "id": "L-city", "level": "municipal", "items": [
        {"id": "M-01", "name": FOOD, "department": "市市场监管局"},
        {"id": "M-03", "name": "农资检查", "department": "市农业农村局"}]},
}


def _plan_workbook(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "计划"
    for row in ([["年度", 2021], ["层级", "部门"], ["部门", "市市场监管局"], ["报送日期", "2020-12-20"],
                 ["序号", "任务名称", "抽查事项", "检查对象", "抽查基数", "检查方式", "抽查比例", "抽查数量",
                  "牵头部门", "参与部门", "检查时间"],
                 [1, "食品联合抽查", f"{FOOD}；药品经营检查；农资检查", "食品生产企业", 1000, "实地核查", "5%", 50,
                  "市市场监管局", "市卫生健康委", "3月-6月"]]):
        ws.append(row)
    wb.save(path)


def _outcome(report: Any, names: dict[str, str]) -> tuple[set[str], list[tuple[str, str]]]:
    """Findings and input errors, with the files' names replaced by their roles."""
    def roles(text: str) -> str:
        for role, name in names.items():
            text = text.replace(name, role)
        return text
    errors = sorted((e.path, roles(e.message)) for e in report.input_errors)
    return {roles(f) for f in canonical(report)}, errors


def _item_run(labels: list[str], reverse: bool) -> tuple[set[str], list[tuple[str, str]]]:
    from checker.api import Options, check
    from checker.tables import TableOptions

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = {"plan": f"{labels[0]}-plan.xlsx", "provincial": f"{labels[1]}-list.json",
                 "municipal": f"{labels[2]}-list.json"}
        _plan_workbook(folder / names["plan"])
        for role in ("provincial", "municipal"):
            (folder / names[role]).write_text(json.dumps(LISTS[role], ensure_ascii=False), encoding="utf-8")
        paths = [str(folder / n) for n in names.values()]
        options = Options(as_of=OPTIONS.as_of, list_satisfied=True, tables=TableOptions(plan=(("id", "P1"),)))
        report = check(list(reversed(paths)) if reverse else paths, options)
        return _outcome(report, {role: str(folder / n) for role, n in names.items()})


ITEMS_BASELINE = _item_run(["a", "b", "c"], False)


def test_an_item_name_in_two_lists_with_different_ids_is_an_input_error_naming_them() -> None:
    findings, errors = ITEMS_BASELINE
    assert errors == [("/tasks/0/items", f"the item name {FOOD!r} matches items of different ids: "
                                         "M-01 in L-city (municipal); P-01 in L-prov (provincial); "
                                         "write the item's id instead of its name")]
    off_list = [f for f in findings if not f.startswith("[") and json.loads(f)["rule"] == "task-item-on-list"]
    assert off_list == []  # P-02 and M-03 resolved; the ambiguous name left out, not reported as off the list
    assert any(f.startswith("[") and "task-item-on-list" in f for f in findings)


@SETTINGS
@given(labels=st.permutations(["a", "b", "c"]), reverse=st.booleans())
def test_item_names_resolve_alike_whatever_the_files_are_named_and_ordered(labels: list[str], reverse: bool) -> None:
    """A name in a provincial and a municipal list resolved to whichever file came first."""
    assert _item_run(labels, reverse) == ITEMS_BASELINE
