"""Which files a run reads, the syntax each is in, and their bytes within the size limit.

`SUFFIXES` is the one table from a file's suffix to its syntax: the folder walk,
the loader's dispatch, the calendar and waiver readers and the source index all
read it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from checker.errors import InputError
from checker.read.inputs import SURROGATE

SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx", ".csv": "csv",
            ".xls": "xls", ".docx": "docx"}
# Office files a table may be published as that are not read: each one named or found is an
# input error saying how to save it, never skipped without a word.
UNREADABLE = {".doc": "a Word 97–2003 document", ".dot": "a Word 97–2003 template", ".wps": "a WPS 文字 document",
              ".wpt": "a WPS 文字 template", ".et": "a WPS 表格 workbook", ".ett": "a WPS 表格 template",
              ".xlsb": "a binary Excel workbook", ".ods": "an OpenDocument spreadsheet",
              ".odt": "an OpenDocument text", ".rtf": "a rich-text document"}
# The syntaxes whose text is kept (up to inputs.MAX_KEPT_TEXT_BYTES), for line and column (checker.positions).
KEPT_TEXT = {"json", "yaml"}


_NAMES = ", ".join(list(SUFFIXES)[:-1]) + " or " + list(SUFFIXES)[-1]


def not_read(path: Path | str) -> InputError | None:
    """The input error for an office file that is not read (a .doc, .et, .wps…), or None."""
    what = UNREADABLE.get(Path(path).suffix.lower())
    if what is None:
        return None
    suffix = Path(path).suffix.lower()
    return InputError(shown(path), "", f"{suffix} files ({what}) are not read: save it as .xlsx or .docx")


def syntax_of(path: Path | str) -> str:
    """A file's syntax by its suffix; a file of any other name is read as JSON."""
    return SUFFIXES.get(Path(path).suffix.lower(), "json")


def text_syntax_of(path: Path | str) -> str:
    """How a file given whole on its own (a calendar, a waiver file) is parsed: YAML by its name, else JSON."""
    return "yaml" if syntax_of(path) == "yaml" else "json"


def expand(paths: Iterable[str], follow_links: bool = False) -> tuple[list[Path], list[InputError]]:
    """Files named or found (recursively) in the folders named, in name order.

    A file reached twice (named twice, spelt differently, or through a symbolic
    link) is read once, under its first name in that order; so the order the
    paths are given in changes nothing. A symbolic link found in a folder that
    leads out of the folder named is refused unless `follow_links` (--follow-links):
    a link `a.json -> ~/.config/gh/hosts.yml` once had its secrets quoted in the report.
    """
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found, walk_errors = _walk(p, follow_links)
            if not found and not walk_errors:
                errors.append(InputError(shown(raw), "", f"folder holds no {_NAMES} input"))
            files.extend(found)
            errors.extend(walk_errors)
        elif p.is_file():
            refused = not_read(p)
            if refused:
                errors.append(refused)
            else:
                files.append(p)
        elif os.path.lexists(raw):
            errors.append(InputError(shown(raw), "", _refusal(p, "not a regular file or folder")))
        else:
            errors.append(InputError(shown(raw), "", "no such file or folder"))
    errors = _once(errors)
    unique: dict[object, Path] = {}
    for f in sorted(files, key=lambda f: f.as_posix()):
        unique.setdefault(_identity(f), f)
    return list(unique.values()), errors


def shown(path: Path | str) -> str:
    """A path as the report names it: a name that is not UTF-8 shows its bytes as \\xNN.

    Python decodes such names with surrogates, which no UTF-8 report can hold.
    """
    text = path.as_posix() if isinstance(path, Path) else path
    if not SURROGATE.search(text):
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")


_SPECIAL = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISSOCK, "a socket"))


def _refusal(p: Path, what: str) -> str:
    """Why an existing path that is not a regular file (or folder) is not read.

    A link to /dev/zero is not broken: it is named for what it leads to.
    """
    try:
        mode = p.stat().st_mode
    except OSError:
        return "broken or looping symbolic link"
    kind = next((name for test, name in _SPECIAL if test(mode)), "")
    via = " (through a symbolic link)" if p.is_symlink() else ""
    return f"{what}: {kind}{via}" if kind else what + via


def _once(errors: list[InputError]) -> list[InputError]:
    """One error per thing refused, under its first name: a FIFO named twice is one error."""
    seen: set[tuple[object, str]] = set()
    out = []
    for e in errors:
        key = (_identity(Path(e.file)), e.message)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _identity(f: Path) -> object:
    try:
        st = f.stat()
    except OSError:
        return f.as_posix()
    return (st.st_dev, st.st_ino)


def _walk(folder: Path, follow_links: bool = False) -> tuple[list[Path], list[InputError]]:
    """Input files below `folder`, following links but entering each folder once.

    Without `follow_links`, a link (to a file or a folder) whose target lies outside
    `folder` is an error and is not followed; links within it are read as any file.
    """
    files: list[Path] = []
    errors: list[InputError] = []
    inside = os.path.realpath(folder)

    def leaves(p: Path) -> bool:
        if follow_links or not p.is_symlink():
            return False
        target = os.path.realpath(p)
        if os.path.commonpath([inside, target]) == inside:
            return False
        errors.append(InputError(shown(p), "", f"symbolic link leads out of the folder {shown(folder)} "
                                               f"(to {shown(target)}); it is not read (--follow-links reads it)"))
        return True

    def unreadable(exc: OSError) -> None:
        where = shown(Path(exc.filename) if exc.filename else folder)
        errors.append(InputError(where, "", f"cannot read folder: {exc.strerror or exc}"))

    seen: set[tuple[int, int]] = set()
    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(root)
        except OSError as exc:
            unreadable(exc)
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # a link back to a folder already walked
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not leaves(Path(root) / d))
        for name in sorted(names):
            f = Path(root) / name
            if name.startswith("~$"):  # ~$: an Excel or Word lock file
                continue
            if f.suffix.lower() in UNREADABLE and f.is_file():
                errors.append(not_read(f))  # type: ignore[arg-type]
                continue
            if f.suffix.lower() not in SUFFIXES:
                continue
            if leaves(f):
                continue
            if f.is_file():
                files.append(f)
            else:
                errors.append(InputError(shown(f), "", _refusal(f, "not a regular file")))
    return sorted(files, key=lambda f: f.as_posix()), errors



def read_bounded(f: Path, max_bytes: int) -> tuple[bytes, InputError | None]:
    """A file's bytes, refused unread when it is larger than `max_bytes`."""
    name = shown(f)
    limit = f"the limit is {max_bytes} bytes ({max_bytes / 2**20:g} MiB, --max-file-mb)"
    try:
        size = f.stat().st_size
        if size > max_bytes:
            return b"", InputError(name, "", f"file is {size} bytes; {limit}")
        with f.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return b"", InputError(name, "", f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return b"", InputError(name, "", f"file holds more than {max_bytes} bytes; {limit}")
    return data, None

