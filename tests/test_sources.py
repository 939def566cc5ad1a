"""Findings and input errors point to the line and column of the value in JSON and YAML."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import Options, check
from checker.positions import positions
from tests.helpers import plan

AS_OF = Options(as_of=dt.date(2020, 12, 1))


def _cap_violation(report):
    return next(f for f in report.findings if f.rule == "sampling-ratio-cap")


def test_a_json_finding_points_to_the_line_of_its_field(tmp_path: Path) -> None:
    f = tmp_path / "plan.json"
    f.write_text(json.dumps(plan(count=51), ensure_ascii=False, indent=2), encoding="utf-8")
    finding = _cap_violation(check([str(f)], AS_OF))
    line = next(i for i, text in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if '"count": 51' in text)
    assert finding.to_dict()["source"] == {"file": str(f), "line": line, "column": 7}


def test_a_yaml_finding_points_to_the_line_of_its_field(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text(yaml.safe_dump([plan(count=51)], allow_unicode=True, sort_keys=False), encoding="utf-8")
    finding = _cap_violation(check([str(f)], AS_OF))
    lines = f.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == "count: 51")
    assert finding.source == {"line": line, "column": lines[line - 1].index("count") + 1}


def test_a_missing_field_points_to_its_record() -> None:
    text = '{"tasks": [\n  {"id": "T1"},\n  {"id": "T2"}\n]}'
    found = positions(text, "json", ["/tasks/1/window/end"])
    assert found["/tasks/1"] == (3, 3) and "/tasks/1/window/end" not in found


def test_strings_with_brackets_and_escapes_do_not_confuse_the_scan() -> None:
    text = '{"a": "x}],\\"{[", "b": [1, {"c": "]"}, 3], "d": 4}'
    found = positions(text, "json", ["/d", "/b/2", "/b/1/c"])
    assert found["/d"] == (1, 1 + text.index('"d"'))
    assert found["/b/2"] == (1, 1 + text.index("3]"))
    assert found["/b/1/c"] == (1, 1 + text.index('"c"'))


def test_unparseable_text_has_no_positions() -> None:
    assert positions("{: :", "yaml", ["/a"]) == {}


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='a"\\]}[{,: \n1', max_size=6),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(alphabet='ab"]}/~', max_size=3), inner, max_size=4),
    max_leaves=20,
)


def _pointers(value, path=""):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _pointers(v, path + "/" + k.replace("~", "~0").replace("/", "~1"))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _pointers(v, f"{path}/{i}")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_JSON, st.sampled_from([None, 0, 2]))
def test_a_pointer_is_placed_the_same_alone_as_among_all(value, indent) -> None:
    """Asked alone, a pointer's value is found by stepping over its siblings; asked with
    every pointer, by walking them: the two must agree."""
    text = json.dumps(value, indent=indent)
    every = list(_pointers(value))
    together = positions(text, "json", every)
    assert set(together) == set(every)
    for p in every:
        assert positions(text, "json", [p])[p] == together[p]


def test_a_placed_finding_keeps_every_other_field() -> None:
    """annotate sets a finding's place on the finding itself (a plan of 100,000 rows has 300,000 findings):
    every other field stays, and the findings of one record share its place."""
    import dataclasses

    from checker.report import Finding
    from checker.sources import Cell, SourceIndex, annotate

    names = [f.name for f in dataclasses.fields(Finding)]
    first = Finding(**{**{n: f"{n}-value" for n in names}, "status": "not_evaluated", "file": "plan.csv",
                       "path": "/tasks/0", "evidence": {}, "source": {}})
    second = dataclasses.replace(first, rule="another-rule", evidence={}, source={})
    expected = [dataclasses.replace(f, source={"sheet": "计划", "row": 5}) for f in (first, second)]
    index = SourceIndex({}, {"plan.csv": {"/tasks/0": Cell("计划", 5, record="/tasks/0")}})
    placed, _ = annotate([first, second], [], index, "zh")
    assert placed == expected
    assert placed[0].source is placed[1].source
