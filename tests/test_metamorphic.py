"""Metamorphic checks on the sample year: what must not change the findings.

- the order of files and of documents within them, and how documents are split
  into files;
- a consistent renaming of every id and department;
- adding a batch that complies with every rule (it adds its own satisfied
  checks, nothing else).
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

from tests.bundles import Renaming, canonical, run, sample_documents

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
