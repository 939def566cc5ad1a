"""Strict reading: what is refused, what is accepted, and that nothing raises."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from checker.read.discover import read_bounded
from checker.read.inputs import MAX_DEPTH_CEILING, Limits
from checker.read.json_strict import json_depth
from checker.read.load import load


def _write(tmp_path: Path, name: str, data: bytes | str) -> str:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(p)


def _one_error(tmp_path: Path, name: str, data: bytes | str, limits: Limits | None = None) -> str:
    loaded = load([_write(tmp_path, name, data)], limits)
    assert loaded.documents == []
    assert len(loaded.errors) == 1
    return loaded.errors[0].message


def test_json_duplicate_keys_are_refused(tmp_path: Path) -> None:
    assert "duplicate key 'id'" in _one_error(tmp_path, "a.json", '{"kind": "batch", "id": "a", "id": "b"}')


def test_json_nan_and_infinity_are_refused(tmp_path: Path) -> None:
    assert "NaN" in _one_error(tmp_path, "a.json", '{"kind": "batch", "id": "a", "directory_size": NaN}')
    assert "Infinity" in _one_error(tmp_path, "b.json", '[Infinity]')


def test_yaml_object_tags_are_refused(tmp_path: Path) -> None:
    message = _one_error(tmp_path, "a.yaml", "kind: !!python/object/apply:os.system ['true']\n")
    assert "invalid YAML" in message


def test_yaml_duplicate_keys_are_refused(tmp_path: Path) -> None:
    assert "duplicate key" in _one_error(tmp_path, "a.yaml", "kind: batch\nid: a\nid: b\n")


def test_yaml_keeps_dates_as_text_and_numbers_exact(tmp_path: Path) -> None:
    loaded = load([_write(tmp_path, "a.yaml", "published_on: 2020-03-01\nratio: 0.05\n")])
    data = loaded.documents[0].data
    assert data["published_on"] == "2020-03-01"
    assert str(data["ratio"]) == "0.05"


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    loaded = load([_write(tmp_path, "a.json", b'\xef\xbb\xbf{"kind": "batch", "id": "a"}')])
    assert loaded.errors == [] and loaded.documents[0].data["id"] == "a"


def test_non_utf8_names_the_encoding_problem(tmp_path: Path) -> None:
    message = _one_error(tmp_path, "a.json", '{"id": "市场"}'.encode("gbk"))
    assert "not UTF-8" in message and "offset" in message


def test_deep_nesting_and_long_strings_are_bounded(tmp_path: Path) -> None:
    assert "nested" in _one_error(tmp_path, "a.json", "[" * 100 + "]" * 100)
    assert "limit" in _one_error(tmp_path, "b.json", '{"id": "' + "x" * 50 + '"}', Limits(max_string_chars=10))


def test_missing_paths_and_empty_folders_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    loaded = load([str(tmp_path / "nope.json"), str(tmp_path / "empty")])
    assert [e.message for e in loaded.errors] == [
        "no such file or folder", "folder holds no .json, .jsonl, .yaml, .yml, .xlsx, .csv, .xls or .docx input"]


def test_a_file_holds_one_document_a_list_or_documents(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.json", '{"kind": "batch", "id": "a"}')
    b = _write(tmp_path, "b.json", '[{"kind": "batch", "id": "b"}]')
    c = _write(tmp_path, "c.json", '{"documents": [{"kind": "batch", "id": "c"}]}')
    loaded = load([a, b, c])
    assert [(d.data["id"], d.path) for d in loaded.documents] == [("a", ""), ("b", "/0"), ("c", "/documents/0")]


def test_numbers_too_long_or_too_far_are_refused_not_raised(tmp_path: Path) -> None:
    # Python refuses to convert a 5000-digit integer (ValueError), and an exact reading of
    # 1e-99999999 as a ratio would build a hundred-million-digit integer: both are input errors.
    big = "9" * 5000
    doc = '{"kind": "batch", "directory_size": ' + big + "}"
    assert "out of range" in _one_error(tmp_path, "a.json", doc)
    assert "out of range" in _one_error(tmp_path, "b.yaml", f"kind: batch\ndirectory_size: {big}\n")
    assert "out of range" in _one_error(tmp_path, "c.json", '{"ratio": 1e-99999999}')
    assert "out of range" in _one_error(tmp_path, "d.yaml", "ratio: 1.0e-99999999\n")
    loaded = load([_write(tmp_path, "e.json", '{"ratio": 0.05, "count": -12, "n": 1E+2}')])
    assert loaded.errors == [] and str(loaded.documents[0].data["ratio"]) == "0.05"


def test_yaml_1_1_number_forms_that_misread_are_refused(tmp_path: Path) -> None:
    # PyYAML reads 050 as 40, 0x10 as 16, 1:20 as 80 and 1:20.5 as a float (which Decimal refused
    # with a traceback): a count would silently change, so each is an input error naming the line.
    for i, text in enumerate(["050", "0x10", "0b11", "1:20", "1:20.5"]):
        message = _one_error(tmp_path, f"n{i}.yaml", f"kind: batch\ncount: {text}\n")
        assert text in message and "line 2" in message, message
    loaded = load([_write(tmp_path, "ok.yaml", "a: 50\nb: -0\nc: 1_000\nd: '050'\ne: 0.5\n")])
    assert loaded.errors == []
    assert loaded.documents[0].data == {"a": 50, "b": 0, "c": 1000, "d": "050", "e": Decimal("0.5")}


def test_yaml_tags_that_build_non_json_values_are_refused(tmp_path: Path) -> None:
    # !!set would reach the report as a set, whose order differs from run to run.
    tags = ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2020-01-01"]
    for i, text in enumerate(tags):
        message = _one_error(tmp_path, f"t{i}.yaml", f"kind: batch\nid: {text}\n")
        assert "is not accepted" in message and text.split()[0] in message, message


def test_deep_json_is_refused_before_the_recursive_parser_runs(tmp_path: Path, monkeypatch) -> None:
    def parser_must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("json.loads ran on a value nested too deeply")

    monkeypatch.setattr(json, "loads", parser_must_not_run)
    deep = "[" * 100_000 + "]" * 100_000
    assert _one_error(tmp_path, "a.json", deep) == "nested deeper than 32 levels"
    assert json_depth(deep) == 100_000
    assert json_depth('{"a": "[[[[", "b": [1, [2]], "c": "\\"]"}') == 3  # brackets in strings do not nest


def test_the_depth_limit_is_exact_and_names_the_place(tmp_path: Path) -> None:
    limits = Limits(max_depth=3)
    ok = load([_write(tmp_path, "ok.json", '{"a": {"b": {"c": 1}}}')], limits)
    assert ok.errors == []
    too_deep = load([_write(tmp_path, "deep.json", '{"a": {"b": {"c": {"d": 1}}}}')], limits)
    assert [(e.path, e.message) for e in too_deep.errors] == [("/a/b/c/d", "nested deeper than 3 levels")]
    yaml_deep = load([_write(tmp_path, "deep.yaml", "a:\n b:\n  c:\n   d: 1\n")], limits)
    assert [(e.path, e.message) for e in yaml_deep.errors] == [("/a/b/c/d", "nested deeper than 3 levels")]


def test_a_yaml_file_holds_at_most_max_yaml_values(tmp_path: Path) -> None:
    text = "- {kind: batch, id: a}\n- {kind: batch, id: b}\n"  # 1 list + 2 x (1 mapping + 4 scalars) = 11 values
    assert len(load([_write(tmp_path, "a.yaml", text)], Limits(max_yaml_values=11)).documents) == 2
    message = _one_error(tmp_path, "b.yaml", text, Limits(max_yaml_values=10))
    assert message.startswith("holds more than 10 values") and "JSON Lines" in message
    # the same documents in JSON are not counted so
    assert len(load([_write(tmp_path, "c.json", json.dumps([{"kind": "batch", "id": "a"}] * 2))],
                    Limits(max_yaml_values=1)).documents) == 2


def test_deep_yaml_is_refused_by_the_composer(tmp_path: Path) -> None:
    assert _one_error(tmp_path, "a.yaml", "[" * 100_000 + "]" * 100_000) == "nested deeper than 32 levels"
    block = "".join("  " * i + "- \n" for i in range(5000))
    assert _one_error(tmp_path, "b.yaml", block) == "nested deeper than 32 levels"
    assert "recursive" in _one_error(tmp_path, "c.yaml", "a: &a [*a]\n")


def test_yaml_aliases_cannot_expand_a_small_file_into_a_billion_values(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 10)}]")
    message = _one_error(tmp_path, "laughs.yaml", "\n".join(lines) + "\nkind: batch\n")
    assert "aliases expand it to more than" in message
    # ordinary anchors and merge keys stay welcome
    fine = "base: &b {lead: 市市场监管局, year: 2020}\none: {<<: *b, id: a}\ntwo: {<<: *b, id: b}\n"
    loaded = load([_write(tmp_path, "fine.yaml", fine)])
    assert loaded.errors == [] and loaded.documents[0].data["two"] == {"lead": "市市场监管局", "year": 2020, "id": "b"}


def test_limits_are_positive_and_depth_stays_below_the_recursion_ceiling() -> None:
    for bad in ({"max_depth": 0}, {"max_depth": MAX_DEPTH_CEILING + 1}, {"max_documents": -1},
                {"max_file_bytes": 0}, {"max_string_chars": True}):
        with pytest.raises(ValueError):
            Limits(**bad)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    huge = tmp_path / "line.json"
    with huge.open("wb") as fh:  # a sparse 100 MB file: one line, nothing written
        fh.truncate(100 * 2**20)
    opened: list[Path] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    loaded = load([str(huge)])
    assert [e.message for e in loaded.errors] == [
        f"file is {100 * 2**20} bytes; the limit is {64 * 2**20} bytes (64 MiB, --max-file-mb)"
    ]
    assert opened == [] and loaded.files == {}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_file_that_reports_size_0_is_still_read_no_further_than_the_limit() -> None:
    data, error = read_bounded(Path("/proc/self/status"), 16)
    assert data == b"" and error is not None and "more than 16 bytes" in error.message


def test_too_many_documents_stop_the_reading(tmp_path: Path) -> None:
    files = [_write(tmp_path, f"{n}.json", f'[{{"id": "{n}a"}}, {{"id": "{n}b"}}]') for n in "abc"]
    loaded = load(files, Limits(max_documents=3))
    assert [d.data["id"] for d in loaded.documents] == ["aa", "ab", "ba"]
    assert [(e.file, e.path) for e in loaded.errors] == [(files[1], "/1")]
    assert "more than 3 documents" in loaded.errors[0].message
    assert "1 more file(s) were not read" in loaded.errors[0].message
    assert set(loaded.files) == set(files[:2])


def test_documents_past_the_limit_are_not_taken_even_when_some_before_are_refused(tmp_path: Path) -> None:
    deep = "[" * 40 + "]" * 40
    f = _write(tmp_path, "many.json", f'{{"documents": [{{"id": "a"}}, {{"id": "b", "x": {deep}}}, {{"id": "c"}}, '
                                      f'{{"id": "d"}}, {{"id": "e"}}]}}')
    loaded = load([f], Limits(max_documents=3))
    assert [d.data["id"] for d in loaded.documents] == ["a", "c"]  # b is too deep; d and e are past the limit
    assert [(e.file, e.path) for e in loaded.errors][-1] == (f, "/documents/3")
    assert "more than 3 documents" in loaded.errors[-1].message and len(loaded.errors) == 2


def test_symbolic_link_loops_are_errors_or_walked_once(tmp_path: Path) -> None:
    (tmp_path / "self.json").symlink_to(tmp_path / "self.json")
    loaded = load([str(tmp_path / "self.json")])
    assert [e.message for e in loaded.errors] == ["broken or looping symbolic link"]

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    _write(folder / "sub", "a.json", '{"id": "a"}')
    (folder / "sub" / "back").symlink_to(folder)  # a folder loop: walked once
    (folder / "loop.json").symlink_to(folder / "loop.json")  # a file loop: an error
    (folder / "gone.yaml").symlink_to(folder / "nowhere.yaml")
    loaded = load([str(folder)])
    assert [d.data["id"] for d in loaded.documents] == ["a"]
    assert sorted((Path(e.file).name, e.message) for e in loaded.errors) == [
        ("gone.yaml", "broken or looping symbolic link"), ("loop.json", "broken or looping symbolic link")]


def test_special_files_are_named_and_never_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # reading it would block for ever
    assert [e.message for e in load([str(fifo)]).errors] == ["not a regular file or folder: a FIFO"]
    _write(tmp_path, "a.json", '{"id": "a"}')
    loaded = load([str(tmp_path)])
    assert [d.data["id"] for d in loaded.documents] == ["a"]
    assert [(Path(e.file).name, e.message) for e in loaded.errors] == [("pipe.json", "not a regular file: a FIFO")]


def test_a_special_file_named_twice_is_one_error(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    loaded = load([str(fifo), str(tmp_path / "." / "pipe.json"), str(fifo)])
    assert [(e.file, e.message) for e in loaded.errors] == [(str(fifo), "not a regular file or folder: a FIFO")]


def test_a_link_to_a_device_is_named_for_what_it_leads_to(tmp_path: Path) -> None:
    (tmp_path / "zero.json").symlink_to("/dev/zero")  # not broken, and never read
    loaded = load([str(tmp_path / "zero.json")])
    assert [e.message for e in loaded.errors] == [
        "not a regular file or folder: a character device (through a symbolic link)"]
    loaded = load([str(tmp_path)], Limits(follow_links=True))  # in a folder, it leads out of it (refused first)
    assert [e.message for e in loaded.errors] == ["not a regular file: a character device (through a symbolic link)"]


def test_a_file_reached_twice_is_read_once_whatever_the_order(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.json", '{"id": "a"}')
    b = _write(tmp_path, "b.json", '{"id": "b"}')
    (tmp_path / "link.json").symlink_to(a)
    spellings = [str(tmp_path), a, str(tmp_path / "." / "a.json"), str(tmp_path / "link.json"), b]
    one = load(spellings)
    two = load(list(reversed(spellings)))
    assert [d.data["id"] for d in one.documents] == ["a", "b"] and one.errors == []
    assert (one.documents, one.files) == (two.documents, two.files)


def test_unreadable_folders_and_files_are_errors_and_the_rest_is_read(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    _write(tmp_path / "locked", "x.json", '{"id": "x"}')
    a = _write(tmp_path, "a.json", '{"id": "a"}')
    b = _write(tmp_path, "b.json", '{"id": "b"}')
    real_scandir, real_open = os.scandir, Path.open

    def scandir(path: object = ".") -> object:
        if Path(os.fsdecode(path)).name == "locked":
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    def open_(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "b.json":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "open", open_)
    loaded = load([str(tmp_path)])
    assert [d.data["id"] for d in loaded.documents] == ["a"]
    assert sorted((Path(e.file).name, e.message) for e in loaded.errors) == [
        ("b.json", "cannot read file: Permission denied"), ("locked", "cannot read folder: Permission denied")]
    assert a in loaded.files and b not in loaded.files


def test_unpaired_surrogates_are_refused_where_they_are(tmp_path: Path) -> None:
    # json and YAML decode "\ud800" to half a UTF-16 pair; echoed in an error message it made the
    # report unwritable (UnicodeEncodeError). A proper pair stays one character.
    assert load([_write(tmp_path, "pair.json", '{"id": "\\ud83e\\uddea"}')]).documents[0].data == {"id": "🧪"}
    for name, text, path in [("a.json", '{"kind": "batch", "directory_size": "x\\ud800"}', "/directory_size"),
                             ("b.yaml", 'kind: batch\nid: "\\udfff"\n', "/id"),
                             ("c.json", '{"results": [{"\\ud800": 1}]}', "/results/0")]:
        loaded = load([_write(tmp_path, name, text)])
        assert [e.path for e in loaded.errors] == [path]
        assert "unpaired surrogate" in loaded.errors[0].message
        loaded.errors[0].message.encode("utf-8")


def test_a_file_name_that_is_not_utf8_is_shown_by_its_bytes(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"plan-\xff.json"), "wb") as fh:
        fh.write(b'{"id": "a"}')
    with open(os.path.join(folder, b"bad-\xfe.json"), "wb") as fh:
        fh.write(b"{")
    loaded = load([str(tmp_path)])
    names = sorted(loaded.files) + [d.file for d in loaded.documents] + [e.file for e in loaded.errors]
    assert sorted({Path(n).name for n in names}) == ["bad-\\xfe.json", "plan-\\xff.json"]
    for n in names:
        n.encode("utf-8")
    missing = load([os.fsdecode(os.path.join(folder, b"gone-\xfd.json"))])
    assert missing.errors[0].file.endswith("gone-\\xfd.json")


def test_explicit_yaml_tags_on_values_they_do_not_fit_are_errors(tmp_path: Path) -> None:
    # SafeLoader raised KeyError on `!!bool maybe` and TypeError on `!!map [1]`.
    message = _one_error(tmp_path, "a.yaml", "kind: x\narchived: !!bool maybe\n")
    assert "maybe at line 2 column 11 is not true or false" in message
    assert "!!map at line 1 column 4" in _one_error(tmp_path, "b.yaml", "a: !!map [1]\n")
    loaded = load([_write(tmp_path, "c.yaml", "a: !!bool yes\nb: !!map {c: 1}\n")])
    assert loaded.documents[0].data == {"a": True, "b": {"c": 1}}


def test_a_yaml_key_that_is_a_list_is_refused_before_it_is_turned_into_text(tmp_path: Path) -> None:
    # str() of a key aliasing a billion-laughs list never ended.
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 10)}]")
    assert "a key is text" in _one_error(tmp_path, "k.yaml", "\n".join(lines) + "\n? *i\n: 1\n")
    assert "a key is text" in _one_error(tmp_path, "m.yaml", "? {a: 1}\n: 1\n")
    assert load([_write(tmp_path, "ok.yaml", "1: a\nnull: b\n")]).documents[0].data == {"1": "a", "None": "b"}


def test_a_document_out_of_bounds_does_not_take_its_neighbours_with_it(tmp_path: Path) -> None:
    # The bounds were checked per file: one long text refused every document of the file.
    docs = '[{"id": "a"}, {"id": "' + "x" * 50 + '"}, {"id": "c", "deep": [[[[1]]]]}, {"id": "d"}]'
    loaded = load([_write(tmp_path, "a.json", docs)], Limits(max_string_chars=10, max_depth=4))
    assert [d.data["id"] for d in loaded.documents] == ["a", "d"]
    assert [(e.path, e.message) for e in loaded.errors] == [
        ("/1/id", "text is 50 characters; the limit is 10"), ("/2/deep/0/0/0", "nested deeper than 4 levels")]
    wrapped = load([_write(tmp_path, "b.json", '{"documents": [{"id": "a"}, {"id": "' + "x" * 50 + '"}]}')],
                   Limits(max_string_chars=10))
    assert [d.data["id"] for d in wrapped.documents] == ["a"]
    assert [e.path for e in wrapped.errors] == ["/documents/1/id"]


def test_nesting_up_to_the_ceiling_parses_without_recursion_errors(tmp_path: Path) -> None:
    n = MAX_DEPTH_CEILING
    block = "".join("  " * i + "- \n" for i in range(n - 1)) + "  " * (n - 1) + "- x\n"  # x at depth n
    limits = Limits(max_depth=MAX_DEPTH_CEILING)
    assert load([_write(tmp_path, "a.yaml", block)], limits).errors == []
    assert load([_write(tmp_path, "a.json", "[" * n + "1" + "]" * n)], limits).errors == []


def test_a_link_leading_out_of_the_folder_is_refused_unless_asked(tmp_path: Path) -> None:
    """a.json -> ~/.config/... once had the secrets it held quoted in the report ('ghp_...' is not one of ...)."""
    secret = tmp_path / "home" / "config.json"
    secret.parent.mkdir()
    secret.write_text('{"token": "ghp_secret"}', encoding="utf-8")
    folder = tmp_path / "submission"
    (folder / "sub").mkdir(parents=True)
    _write(folder, "own.json", '{"id": "own"}')
    (folder / "a.json").symlink_to(secret)
    (folder / "inside.json").symlink_to(folder / "own.json")  # within the folder: read as today (once)
    (folder / "sub" / "away").symlink_to(secret.parent)  # a folder outside: not entered
    loaded = load([str(folder)])
    assert [d.data.get("id") for d in loaded.documents] == ["own"]
    assert sorted((Path(e.file).name, e.message.split(" (")[0]) for e in loaded.errors) == [
        ("a.json", "symbolic link leads out of the folder " + str(folder)),
        ("away", "symbolic link leads out of the folder " + str(folder))]
    assert all("--follow-links" in e.message and "ghp_" not in e.message for e in loaded.errors)
    followed = load([str(folder)], Limits(follow_links=True))
    assert sorted(d.data.get("token", d.data.get("id")) for d in followed.documents) == ["ghp_secret", "own"]
    assert load([str(folder / "a.json")]).errors == []  # a link named on the command line is what was asked for
