"""The zip guard the Excel reader opens workbooks through: bombs are refused unexpanded."""

from __future__ import annotations

import os
import random
import struct
import zipfile
from pathlib import Path

import pytest

from checker import zipguard
from checker.zipguard import ZipLimits, open_zip, read_member


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _refused(path: Path, limits: ZipLimits | None = None) -> str:
    archive, error = open_zip(path, limits)
    assert archive is None and error is not None and error.file == path.as_posix()
    return error.message


def test_an_ordinary_workbook_opens_and_its_members_read(tmp_path: Path) -> None:
    sheet = b"<worksheet>" + b"<row><c>1</c></row>" * 1000 + b"</worksheet>"
    members = {"xl/worksheets/sheet1.xml": sheet, "[Content_Types].xml": b"<x/>"}
    archive, error = open_zip(_zip(tmp_path / "book.xlsx", members))
    assert error is None and archive is not None
    with archive:
        assert read_member(archive, "xl/worksheets/sheet1.xml") == (sheet, None)
        data, missing = read_member(archive, "xl/nothing.xml")
        assert data is None and missing is not None and missing.source == (("member", "xl/nothing.xml"),)


def test_a_member_that_expands_a_thousandfold_is_refused(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": bytes(4 * 2**20)})  # 4 MiB of zeros → ~4 KiB
    assert "expands" in _refused(bomb) and "the limit is 200" in _refused(bomb)


def test_members_over_the_total_or_one_member_over_its_limit_are_refused(tmp_path: Path) -> None:
    noise = {f"m{i}.bin": os.urandom(300_000) for i in range(4)}  # incompressible: no ratio alarm
    path = _zip(tmp_path / "many.xlsx", noise)
    assert "more than 1000000 bytes in all" in _refused(path, ZipLimits(max_total_bytes=1_000_000))
    assert "declares 300000 bytes" in _refused(path, ZipLimits(max_member_bytes=299_999))


def test_too_many_members_are_refused_before_zipfile_reads_the_directory(tmp_path: Path, monkeypatch) -> None:
    path = _zip(tmp_path / "wide.xlsx", {f"m{i}": b"" for i in range(11)})

    def must_not_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("zipfile parsed a directory the guard should have refused")

    monkeypatch.setattr(zipguard.zipfile, "ZipFile", must_not_open)
    assert _refused(path, ZipLimits(max_members=10)) == "archive declares 11 members; the limit is 10"


def test_a_zip64_member_count_is_read_too(tmp_path: Path) -> None:
    raw = _zip(tmp_path / "small.zip", {"a": b"x"}).read_bytes()
    eocd = raw.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack("<II", raw[eocd + 12 : eocd + 20])
    record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, 70_000, 70_000, cd_size, cd_offset)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, eocd, 1)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path = tmp_path / "zip64.xlsx"
    path.write_bytes(raw[:eocd] + record + locator + end)
    assert _refused(path) == "archive declares 70000 members; the limit is 10000"


def test_members_sharing_compressed_bytes_are_refused(tmp_path: Path) -> None:
    # The overlapping-file bomb: several directory entries point at one compressed kernel.
    raw = _zip(tmp_path / "one.zip", {"a": os.urandom(1000)}).read_bytes()
    eocd = raw.rfind(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack("<II", raw[eocd + 12 : eocd + 20])
    entry = raw[cd_offset : cd_offset + cd_size]
    entries = entry + entry.replace(b"a", b"b", 1)[:46] + b"b" + entry[47:]
    end = raw[eocd : eocd + 8] + struct.pack("<HHII", 2, 2, len(entries), cd_offset) + raw[eocd + 20 :]
    path = tmp_path / "overlap.xlsx"
    path.write_bytes(raw[:cd_offset] + entries + end)
    assert "overlap" in _refused(path)


def test_a_member_read_stops_past_its_limit(tmp_path: Path) -> None:
    archive, error = open_zip(_zip(tmp_path / "b.xlsx", {"big.xml": os.urandom(70_000)}))
    assert error is None and archive is not None
    with archive:
        data, error = read_member(archive, "big.xml", ZipLimits(max_member_bytes=65_536))
    assert data is None and error is not None and "more than the 65536 bytes" in error.message


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04 truncated", b"PK\x05\x06"])
def test_what_is_not_a_zip_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    assert "zip archive" in _refused(path)


def test_a_truncated_or_oversized_archive_is_an_input_error(tmp_path: Path) -> None:
    raw = _zip(tmp_path / "ok.zip", {"a": os.urandom(5000)}).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(raw[: len(raw) // 2])
    assert "zip archive" in _refused(cut)
    archive, error = open_zip(tmp_path / "ok.zip", max_file_bytes=1000)
    assert archive is None and error is not None and "the limit is 1000 bytes" in error.message
    archive, error = open_zip(tmp_path / "missing.xlsx")
    assert archive is None and error is not None and "cannot read file" in error.message


def test_the_guard_never_raises_on_damaged_archives(tmp_path: Path) -> None:
    # Found NotImplementedError ("zip file version 7.5") escaping zipfile on a damaged header.
    raw = _zip(tmp_path / "ok.zip", {"a": b"hello" * 100, "b": b"world"}).read_bytes()
    rng = random.Random(5)
    for i in range(200):
        mutated = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        path = tmp_path / f"m{i}.xlsx"
        path.write_bytes(bytes(mutated))
        archive, error = open_zip(path)
        if archive is not None:
            with archive:
                for name in archive.namelist():
                    read_member(archive, name)
        else:
            assert error is not None and error.message
