"""Where a report goes, without clobbering what it must not.

- `-` is standard output.
- A regular file is replaced whole: a temporary file beside it, flushed, renamed into place.
- A FIFO or a character device (a pipe, a terminal, /dev/null) is written through: a
  rename would replace the FIFO or the device node itself (`-o /dev/stdout` run as root
  once replaced the /dev/stdout link with a regular file).
- A symbolic link to a FIFO or a character device (/dev/stdout) is written through too; a
  link to a file, or to nothing, is refused (renaming over it would replace the link, and
  writing through it could write wherever a planted link points): name the file itself.
- A folder, a block device or a socket is refused.
- A file this run reads is never written: every path named on the command line (inputs,
  --calendar, --waivers) and every input file found in the folders named, whatever its
  size or name (one refused by --max-file-mb, one past --max-documents, one whose name
  is not UTF-8), compared by device and inode, not by name.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from checker.read.discover import expand

STDOUT = "-"


class Refused(Exception):
    """A target a report may not be written to; the message says why."""


def protected(paths: Iterable[str]) -> set[tuple[int, int]]:
    """The device and inode of every file a run with these paths named reads or may read."""
    named = list(paths)
    found, _ = expand(named, follow_links=True)  # whatever --follow-links says: all a run could read
    out: set[tuple[int, int]] = set()
    for p in [*found, *named]:
        try:
            st = os.stat(p)
        except (OSError, ValueError):
            continue
        if not stat.S_ISDIR(st.st_mode):
            out.add((st.st_dev, st.st_ino))
    return out


def _route(target: str) -> tuple[str, os.stat_result | None]:
    """How a report reaches `target`: "stdout", "through" (a FIFO, a character device) or "replace"."""
    if target == STDOUT:
        return "stdout", None
    try:
        st: os.stat_result | None = os.stat(target)  # through any link: /dev/stdout -> /proc/self/fd/1 -> a pipe
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise Refused(f"{target}: {exc.strerror or exc}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise Refused(f"cannot write {target}: Is a directory")
        if not (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode)):
            raise Refused(f"{target} is a {'block device' if stat.S_ISBLK(st.st_mode) else 'socket'}; "
                          "a report goes to a file, a FIFO, a terminal or - (standard output)")
        return "through", st
    if os.path.islink(target):
        raise Refused(f"{target} is a symbolic link; name the file it leads to ({os.path.realpath(target)}), "
                      "or - for standard output")
    return "replace", st


def check_targets(targets: Iterable[str], reads: set[tuple[int, int]]) -> None:
    """Refuse, before anything is written, a target that is read, unwritable, or given twice."""
    seen: dict[object, str] = {}
    for target in targets:
        try:
            st = None if target == STDOUT else os.stat(target)
        except OSError:
            st = None
        if st is not None and (st.st_dev, st.st_ino) in reads:
            raise Refused(f"{target} is one of the inputs this run reads (a file named or found in a folder "
                          "named, the calendar or the waiver file); the report would replace it")
        how, st = _route(target)
        key: object = STDOUT if how == "stdout" else (st.st_dev, st.st_ino) if st else os.path.realpath(target)
        if key in seen:
            same = "standard output" if key == STDOUT else "the same file"
            raise Refused(f"{seen[key]} and {target}: two reports would be written to {same}")
        seen[key] = target


def write(target: str, data: str | bytes, newline: str = "\n") -> None:
    """Write a whole report to `target` as the module docstring says (raises OSError or Refused)."""
    how, st = _route(target)
    if how == "stdout":
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
    elif how == "through":
        with (open(target, "wb") if isinstance(data, bytes)
              else open(target, "w", encoding="utf-8", newline=newline)) as out:
            out.write(data)
    else:
        _replace(Path(target), data, newline, None if st is None else stat.S_IMODE(st.st_mode))


def _replace(path: Path, data: str | bytes, newline: str, mode: int | None) -> None:
    """A temporary file beside `path`, flushed to disk and renamed into place.

    It gets the mode a new file would (mkstemp makes it private); an existing file keeps its mode.
    """
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=".dsr-check-", dir=path.parent)
    try:
        with (os.fdopen(fd, "wb") if isinstance(data, bytes)
              else os.fdopen(fd, "w", encoding="utf-8", newline=newline)) as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
