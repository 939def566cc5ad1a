"""Rulebooks compose: `--rulebook A --rulebook B` finds what each finds alone, each cited to its own book."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.reporters import REPORTERS
from checker.rulebook import load_rulebook, load_rulebooks
from tests.casebook import APL, BOOKS
from tests.helpers import entries

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
GY = BOOKS[0].id


def _check(paths: list[str], *books: str) -> dict[str, Any]:
    args = ["check", *paths, "--as-of", "2021-12-31", "--format", "json"]
    for book in books:
        args += ["--rulebook", book]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _findings(report: dict[str, Any], prefix: str = "") -> set[tuple[str, str, str, str, str]]:
    """(status, rule, clause, subject, citation) of every finding; clause ids without `prefix`."""
    out = set()
    for status in ("violations", "pending", "not_evaluated", "exempt"):
        for f in entries(report, status):
            clause = f["clause"].removeprefix(prefix) if f["clause"].startswith(prefix) else f["clause"]
            out.add((status, f["rule"], clause, f["subject"], f.get("citation", "")))
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sample, and batches that break and keep articles 42 and 43."""
    folder = tmp_path_factory.mktemp("apl")
    two = ["执法员甲", "执法员乙"]
    batches = [
        {"kind": "batch", "id": "APL-one", "inspectors": ["执法员甲"]},
        {"kind": "batch", "id": "APL-stayed", "inspectors": two, "declared_conflicts": ["执法员乙"]},
        {"kind": "batch", "id": "APL-ok", "inspectors": two, "declared_conflicts": ["执法员丙"]},
        # drawn before Guangyuan's plan was in force (its R16): out of its scope, not of the law's
        {"kind": "batch", "id": "APL-old", "draw": {"drawn_on": "2019-01-10"}, "inspectors": ["执法员甲"]},
    ]
    (folder / "batches.json").write_text(json.dumps(batches, ensure_ascii=False), encoding="utf-8")
    return [str(SAMPLE), str(folder)]


def test_composed_findings_are_each_books_own_cited_to_its_book(inputs: list[str]) -> None:
    apl = str(APL.folder)
    alone_gy, alone_apl = _check(inputs, GY), _check(inputs, apl)
    both = _check(inputs, GY, apl)
    gy_codes, apl_codes = set(BOOKS[0].rules), set(APL.rules)
    composed = _findings(both)
    assert {f for f in composed if f[1] in gy_codes} == {
        (s, r, f"{GY}:{c}", subj, cite) for s, r, c, subj, cite in _findings(alone_gy)}
    assert {f for f in composed if f[1] in apl_codes} == {
        (s, r, f"{APL.id}:{c}", subj, cite) for s, r, c, subj, cite in _findings(alone_apl)}
    assert {f[1] for f in composed} - gy_codes - apl_codes == set()
    assert {(f[1], f[3]) for f in composed if f[0] == "violations" and f[1] in apl_codes} == {
        ("at-least-two-inspectors", "APL-one"), ("at-least-two-inspectors", "APL-old"),
        ("conflicted-inspector-withdraws", "APL-stayed")}
    assert "APL-old" in {r["subject"] for r in both["out_of_scope"]}
    assert any(f[4].startswith("《行政处罚法》") for f in composed if f[1] in apl_codes)
    assert both["rulebook"]["id"] == f"{GY}+{APL.id}"


def test_each_rule_is_counted_as_its_book_alone_counts_it(inputs: list[str]) -> None:
    both = _check(inputs, GY, str(APL.folder))
    alone = {book: {r["rule"]: {**r, "clause": f"{book}:{r['clause']}"} for r in _check(inputs, folder)["rules"]}
             for book, folder in ((GY, GY), (APL.id, str(APL.folder)))}
    assert {r["rule"]: r for r in both["rules"]} == alone[GY] | alone[APL.id]


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_report_format_renders_a_composed_run(inputs: list[str], fmt: str) -> None:
    args = ["check", *inputs, "--as-of", "2021-12-31", "--format", fmt,
            "--rulebook", GY, "--rulebook", str(APL.folder)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "APL-stayed" in result.stdout


def test_a_composed_chinese_report_labels_each_books_codes_in_either_order() -> None:
    """Guangyuan's labels.yaml (its channels, platforms...) applies wherever it stands in the list."""

    def text(*books: str) -> list[str]:
        args = ["check", str(SAMPLE), "--as-of", "2021-12-31"]
        for book in books:
            args += ["--rulebook", book]
        return CliRunner().invoke(app, args).stdout.splitlines()

    alone = [line for line in text(GY) if "规则集" not in line and not line.startswith("文档 ")]
    assert any("国家企业信用信息公示系统（四川）" in line for line in alone)
    for order in ((GY, str(APL.folder)), (str(APL.folder), GY)):
        composed = set(text(*order))
        assert [line for line in alone if line not in composed] == []


def test_a_rulebook_composed_with_itself_is_refused() -> None:
    with pytest.raises(ValueError, match=f"rulebook {GY} is in both"):
        load_rulebooks((GY, GY))


def test_rule_codes_may_not_repeat_across_books(tmp_path: Path) -> None:
    copy = tmp_path / "apl-copy"
    shutil.copytree(APL.folder, copy)
    meta = copy / "rulebook.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("id: apl-2021-42", "id: apl-copy"), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(SAMPLE / "plans"), "--rulebook", str(APL.folder),
                                      "--rulebook", str(copy)])
    assert result.exit_code == 3  # bad usage: the rulebooks named cannot be composed
    assert "is in both apl-2021-42 and apl-copy" in result.stderr


def test_a_single_rulebook_is_not_composed() -> None:
    assert load_rulebooks((GY,)) is load_rulebook(GY)
