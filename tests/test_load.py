"""Strict reading: what is refused, what is accepted, and that nothing raises."""

from __future__ import annotations

from pathlib import Path

from checker.load import Limits, load


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
    assert [e.message for e in loaded.errors] == ["no such file or folder", "folder holds no .json, .yaml, .yml, .xlsx or .csv input"]


def test_a_file_holds_one_document_a_list_or_documents(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.json", '{"kind": "batch", "id": "a"}')
    b = _write(tmp_path, "b.json", '[{"kind": "batch", "id": "b"}]')
    c = _write(tmp_path, "c.json", '{"documents": [{"kind": "batch", "id": "c"}]}')
    loaded = load([a, b, c])
    assert [(d.data["id"], d.path) for d in loaded.documents] == [("a", ""), ("b", "/0"), ("c", "/documents/0")]
