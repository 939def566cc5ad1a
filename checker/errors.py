"""Input errors as values: what was wrong, in which file, at which location."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class InputError:
    """One problem with the input, reported instead of a traceback.

    `path` is a JSON pointer inside the file ("" for the whole file);
    `source` adds sheet/row/column for spreadsheets.
    """

    file: str
    path: str
    message: str
    source: tuple[tuple[str, str | int], ...] = field(default=())
    # True for what the rules find between values of documents that are still checked (R19, R23,
    # R25); False for what stops a document being read or checked at all
    checked: bool = False

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"file": self.file, "path": self.path, "message": self.message}
        if self.source:
            out["source"] = dict(self.source)
        return out


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
