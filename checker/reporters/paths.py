"""Where a report names a file: relative to a base folder when the file is inside it.

Code-scanning and Code Quality views match a report's paths against the
repository's files, so those reporters name a file relative to the report's
base folder (`--base-dir`, by default the current folder when every input is
inside it); a file outside it keeps the name it was given.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath


def relative(file: str, base: str | None) -> str | None:
    """`file` relative to `base` in POSIX form, or None when there is no base or it lies outside."""
    if not base or not file:
        return None
    target = Path(os.path.abspath(file))
    root = Path(os.path.abspath(base))
    if target != root and root not in target.parents:
        return None
    return PurePosixPath(target.relative_to(root).as_posix()).as_posix()


def default_base(files: list[str], cwd: str) -> str | None:
    """The current folder, when every input file is inside it."""
    return cwd if files and all(relative(f, cwd) is not None for f in files) else None
