"""A renamed rule keeps its old code as an alias: waivers and `explain` still find it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.resources import rules_dir
from checker.rulebook import load_rulebook
from tests.helpers import plan, write

runner = CliRunner()
OLD, NEW = "sampling-ratio-cap", "sampling-ratio-within-cap"


def _renamed(tmp_path: Path, aliases: list[str]) -> Path:
    """A copy of the bundled rulebook where OLD is renamed NEW, with `aliases`."""
    book = tmp_path / "book"
    shutil.copytree(rules_dir() / "guangyuan-2019-58", book)
    group = book / "4.1-draw"
    lp = group / "rules.lp"
    lp.write_text(lp.read_text(encoding="utf-8").replace(f'"{OLD}"', f'"{NEW}"'), encoding="utf-8")
    spec = yaml.safe_load((group / "rules.yaml").read_text(encoding="utf-8"))
    for rule in spec["rules"]:
        if rule["code"] == OLD:
            rule["code"], rule["aliases"] = NEW, aliases
    (group / "rules.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return book


def test_a_waiver_naming_the_old_code_waives_the_renamed_rule(tmp_path: Path) -> None:
    book = _renamed(tmp_path, [OLD])
    f = write(tmp_path, "plan.json", plan(count=51))
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(yaml.safe_dump({"waivers": [{
        "rule": OLD, "document": "plan-2020", "subject": "T1", "reason": "专项整治",
        "authority": "广府办函〔2020〕12号", "approver": "市人民政府办公室", "expires": "2020-12-31"}]},
        allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["check", f, "--as-of", "2020-12-01", "--format", "json",
                                 "--rulebook", str(book), "--waivers", str(waivers)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(w["rule"], w["subject"]) for w in report["waived"]] == [(NEW, "T1")]
    assert report["waivers"][0]["status"] == "used"


def test_explain_finds_a_rule_by_its_old_code_and_names_both(tmp_path: Path) -> None:
    book = _renamed(tmp_path, [OLD])
    result = runner.invoke(app, ["explain", OLD, "--rulebook", str(book), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{NEW} — ") and f"formerly: {OLD}" in result.stdout


def test_without_the_alias_the_old_code_is_unknown(tmp_path: Path) -> None:
    book = _renamed(tmp_path, [])
    assert runner.invoke(app, ["explain", OLD, "--rulebook", str(book)]).exit_code == 3


@pytest.mark.parametrize("alias", ["stated-ratio-cap", "old-code"])
def test_an_alias_that_is_a_current_code_or_given_twice_is_refused(tmp_path: Path, alias: str) -> None:
    book = _renamed(tmp_path, [alias])
    if alias == "old-code":  # give it to a second rule as well
        group = book / "4.1-draw" / "rules.yaml"
        spec = yaml.safe_load(group.read_text(encoding="utf-8"))
        spec["rules"][0]["aliases"] = [alias]
        group.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=alias):
        load_rulebook(str(book))
