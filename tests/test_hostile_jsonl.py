"""The JSON files of the hostile corpus again, as .jsonl: the fast path is held to the same strictness.

Each .json file of fixtures/hostile/ is rewritten as JSON Lines without reparsing
it: its documents' own bytes (cut at the top level of its list) become the lines,
so a duplicate key, NaN, a deep value, a long or surrogate-holding string, a huge
number or a NUL reaches the .jsonl reader exactly as it reached the .json one. A
file that is not a list of documents becomes one line as it is.

What must hold: an input error of a document becomes the same error placed at its
line (`/N...`, message `line N+1: ...`); an error of a whole file that cannot be
cut is refused on its line with the same message but for positions; the findings
are the same. No input is read more leniently as .jsonl.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from tests.helpers import entries

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
CASES = [c for c in yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["cases"]
         if c["file"].endswith(".json")]
runner = CliRunner()


class _Object(list):  # an object, read as its pairs (duplicates kept)
    pass


_LENIENT = json.JSONDecoder(object_pairs_hook=_Object, parse_constant=str, parse_int=str, parse_float=str)


def _cut(data: bytes) -> tuple[list[bytes], str] | None:
    """The raw bytes of each document of a list (or {"documents": [...]}), and the pointer prefix."""
    try:
        text = data.decode("utf-8-sig")
        value = _LENIENT.decode(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if isinstance(value, _Object):
        if [k for k, _ in value] != ["documents"] or type(value[0][1]) is not list:
            return None  # one document
        start, prefix = text.index("[", text.index('"documents"')), "/documents"
    elif isinstance(value, list):
        start, prefix = text.index("["), ""
    else:
        return None
    items, i = [], start + 1
    while True:
        while text[i] in " \t\r\n,":
            i += 1
        if text[i] == "]":
            return [t.encode("utf-8") for t in items], prefix
        _, end = _LENIENT.raw_decode(text, i)
        items.append(text[i:end])
        i = end


def _run(path: Path, args: list[str]) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["check", str(path), "--as-of", "2021-12-31", "--format", "json", "--lang", "en",
                                 *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout)


def _findings(report: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    keys = ("violations", "pending", "not_evaluated", "exempt", "out_of_scope")
    return {(k, f["rule"], f["document"], f["subject"]) for k in keys for f in entries(report, k)}


_POSITION = re.compile(r"(line|column|offset) \d+")
_LINE = re.compile(r"^line \d+: ")  # read errors of a line start with its number; compared without it
# Files that are no document at all: as JSON Lines, a line that is no document.
# A line is a document, never a list of them or {"documents": ...}.
_NOT_LINES = {"scalar-at-top.json": "expected a document (an object with kind and id)",
              "empty.json": "holds no document (one JSON object a line)",
              "documents-not-a-list.json": "unknown kind None; expected one of"}


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_the_corpus_as_json_lines(case: dict[str, Any], tmp_path: Path) -> None:
    source = CORPUS / case["file"]
    data = source.read_bytes()
    args = case.get("args", [])
    exit_json, as_json = _run(source, args)
    cut = _cut(data)
    lines, prefix = cut if cut else ([data.removeprefix(b"\xef\xbb\xbf")], None)
    jsonl = tmp_path / (source.stem + ".jsonl")
    jsonl.write_bytes(b"\n".join(lines) + b"\n")
    exit_jsonl, as_jsonl = _run(jsonl, args)
    got = [(e["path"], _LINE.sub("", e["message"]).replace(str(jsonl), str(source)))
           for e in as_jsonl["input_errors"]]
    want: list[tuple[str, str]] = []
    for e in as_json["input_errors"]:
        path, message = e["path"], e["message"]
        if prefix is not None and path.startswith(prefix + "/"):
            index = int(path[len(prefix) + 1:].split("/")[0])
            want.append(("/" + path[len(prefix) + 1:], message))
            assert index < len(lines)
        elif prefix is None:
            want.append(("/0" + path, message))
    if case["file"] in _NOT_LINES:
        assert exit_jsonl == 2 and len(got) == 1 and got[0][1].startswith(_NOT_LINES[case["file"]])
        return
    if all(e["path"] for e in as_json["input_errors"]) or prefix is None:
        assert sorted(got) == sorted(want)
        assert exit_jsonl == exit_json
        assert _findings(as_jsonl) == _findings(as_json)
    else:
        # A fault of the whole .json file (its bytes, before any document): as lines, only the
        # line holding it is refused, with the same message but for line, column and offset.
        assert exit_json == exit_jsonl == 2
        whole = {_POSITION.sub("", e["message"]) for e in as_json["input_errors"] if not e["path"]}
        refused = {_POSITION.sub("", m) for _, m in got}
        assert whole <= refused, (whole, refused)
