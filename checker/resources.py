"""Where the bundled rulebooks and schemas are, installed or in a checkout.

The wheel carries the repository's top-level `rules/` and `schemas/` inside the
package (`checker/_bundled/`); a source checkout or editable install reads them
from the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def rules_dir() -> Path:
    """The folder holding one sub-folder per rulebook."""
    return _bundled("rules")


def schemas_dir() -> Path:
    """The folder holding the published JSON Schemas."""
    return _bundled("schemas")


DEFAULT_RULEBOOK = "guangyuan-2019-58"
