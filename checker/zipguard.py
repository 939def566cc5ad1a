"""Open zip archives (.xlsx) only when they cannot explode.

An .xlsx file is a zip archive. A few kilobytes of zip can declare gigabytes of
content (a member of zeros compressed 1000:1, or many central-directory
entries pointing at the same compressed bytes), and `zipfile` reads the whole
central directory as soon as it opens an archive. So, before anything is
decompressed:

1. the file's size is checked against the input limit, unread;
2. the member count is read from the end-of-central-directory record (zip64
   too) and refused over the limit before `zipfile` parses the directory;
3. every member's declared size, its compression ratio, the declared total,
   and overlapping members are checked from the directory;
4. `read_member` streams a member and stops one byte past what it may hold,
   whatever the headers said.

Every refusal is an InputError value naming the file (and member); nothing
here raises to the caller. The Excel reader opens workbooks through this.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from checker.errors import InputError
from checker.read.inputs import Limits

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_CHUNK = 1 << 16
# What zipfile raises on a malformed archive (found by mutating archives byte by byte):
# a bad version number raises NotImplementedError, a bad stream zlib.error.
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
           NotImplementedError, RuntimeError, struct.error, zlib.error)


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on one archive; a workbook of the data contract is far inside each."""

    max_members: int = 10_000
    max_member_bytes: int = 256 * 2**20  # declared uncompressed size of one member
    max_total_bytes: int = 512 * 2**20  # declared uncompressed size of all members
    max_ratio: int = 200  # uncompressed / compressed, for members over `ratio_floor`
    ratio_floor: int = 1 * 2**20  # small members may compress as well as they like


def open_zip(
    path: str | Path, limits: ZipLimits | None = None, max_file_bytes: int | None = None
) -> tuple[zipfile.ZipFile | None, InputError | None]:
    """The archive, opened, or the reason it is refused. The caller closes it."""
    limits = limits or ZipLimits()
    max_file_bytes = max_file_bytes or Limits().max_file_bytes
    p = Path(path)
    name = p.as_posix()
    try:
        size = p.stat().st_size
        if size > max_file_bytes:
            return None, InputError(name, "", f"file is {size} bytes; the limit is {max_file_bytes} bytes")
        with p.open("rb") as fh:
            declared = _declared_members(fh, size)
    except OSError as exc:
        return None, InputError(name, "", f"cannot read file: {exc.strerror or exc}")
    if declared is None:
        return None, InputError(name, "", "not a zip archive (an .xlsx workbook is one)")
    if declared > limits.max_members:
        return None, InputError(name, "", f"archive declares {declared} members; the limit is {limits.max_members}")
    try:
        archive = zipfile.ZipFile(p)
    except _BROKEN as exc:
        return None, InputError(name, "", f"not a readable zip archive: {exc}")
    error = _check_members(name, archive.infolist(), limits)
    if error:
        archive.close()
        return None, error
    return archive, None


def check_zip_bytes(name: str, data: bytes, limits: ZipLimits | None = None) -> InputError | None:
    """As `open_zip`, for an archive the loader has already read (within its limit) into memory."""
    limits = limits or ZipLimits()
    declared = _declared_members(io.BytesIO(data), len(data))
    if declared is None:
        return InputError(name, "", "not a zip archive (an .xlsx workbook is one)")
    if declared > limits.max_members:
        return InputError(name, "", f"archive declares {declared} members; the limit is {limits.max_members}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_members(name, archive.infolist(), limits)
    except _BROKEN as exc:
        return InputError(name, "", f"not a readable zip archive: {exc}")


T = TypeVar("T")


def open_office(name: str, data: bytes, what: str, open_: Callable[[io.BytesIO], T]) -> T | InputError:
    """An .xlsx or .docx opened by its library only once `check_zip_bytes` passes it; the library's
    warnings silenced and whatever it raises on a damaged or foreign file an input error."""
    refused = check_zip_bytes(name, data)
    if refused:
        return refused
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return open_(io.BytesIO(data))
    except Exception as exc:  # the libraries raise many types for a damaged or foreign file
        return InputError(name, "", f"cannot read the {what}: {type(exc).__name__}: {exc}")


def read_member(
    archive: zipfile.ZipFile, member: str, limits: ZipLimits | None = None
) -> tuple[bytes | None, InputError | None]:
    """A member's bytes, streamed, never more than it declared or the limit allows."""
    limits = limits or ZipLimits()
    file = Path(archive.filename or "").as_posix()
    source = (("member", member),)
    try:
        info = archive.getinfo(member)
        cap = min(info.file_size, limits.max_member_bytes)
        chunks: list[bytes] = []
        got = 0
        with archive.open(info) as fh:
            while got <= cap:
                chunk = fh.read(min(_CHUNK, cap + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
    except KeyError:
        return None, InputError(file, "", "no such member in the archive", source)
    except _BROKEN as exc:
        return None, InputError(file, "", f"member cannot be read: {exc}", source)
    if got > cap:
        return None, InputError(file, "", f"member holds more than the {cap} bytes it may", source)
    return b"".join(chunks), None


def _declared_members(fh: object, size: int) -> int | None:
    """The member count the end-of-central-directory record declares; None if no zip."""
    tail_size = min(size, _EOCD_SIZE + _MAX_COMMENT)
    fh.seek(size - tail_size)  # type: ignore[attr-defined]
    tail = fh.read(tail_size)  # type: ignore[attr-defined]
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        return None
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if count != 0xFFFF:
        return count
    # zip64: a locator just before the record points at the zip64 record, which holds the count
    locator_at = size - tail_size + at - 20
    if locator_at < 0:
        return None
    fh.seek(locator_at)  # type: ignore[attr-defined]
    locator = fh.read(20)  # type: ignore[attr-defined]
    if locator[:4] != _ZIP64_LOCATOR:
        return count
    (record_at,) = struct.unpack("<Q", locator[8:16])
    if record_at > size - 56:
        return None
    fh.seek(record_at)  # type: ignore[attr-defined]
    record = fh.read(56)  # type: ignore[attr-defined]
    if record[:4] != _ZIP64_EOCD:
        return None
    (total,) = struct.unpack("<Q", record[32:40])
    return total


def _check_members(name: str, infos: list[zipfile.ZipInfo], limits: ZipLimits) -> InputError | None:
    if len(infos) > limits.max_members:
        return InputError(name, "", f"archive holds {len(infos)} members; the limit is {limits.max_members}")
    total = 0
    for info in infos:
        source = (("member", info.filename),)
        if info.file_size > limits.max_member_bytes:
            return InputError(name, "", f"member declares {info.file_size} bytes; the limit is "
                              f"{limits.max_member_bytes}", source)
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            return InputError(name, "", f"member expands {ratio} times (a zip bomb?); the limit is "
                              f"{limits.max_ratio}", source)
        total += info.file_size
        if total > limits.max_total_bytes:
            return InputError(name, "", f"members declare more than {limits.max_total_bytes} bytes "
                              "in all (a zip bomb?)")
    # members whose compressed data overlap share bytes: the overlapping-file bomb
    spans = sorted((i.header_offset, i.header_offset + i.compress_size, i.filename) for i in infos)
    for (start, end, first), (next_start, _, second) in pairwise(spans):
        if next_start < end or next_start == start:
            return InputError(name, "", f"members {first!r} and {second!r} overlap (a zip bomb?)")
    return None
