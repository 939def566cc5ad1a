"""Input errors as values: what was wrong, in which file, at which location."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.messages import Msg, in_chinese


@dataclass(frozen=True, order=True)
class InputError:
    """One problem with the input, reported instead of a traceback.

    `path` is a JSON pointer inside the file ("" for the whole file);
    `source` adds sheet/row/column for spreadsheets. `message` is the English
    text; `msg`, when given, is the catalogue's code and parameters it was
    worded from, so a Chinese report words it from the same code.
    """

    file: str
    path: str
    message: str
    source: tuple[tuple[str, str | int], ...] = field(default=())
    # True for what the rules find between values of documents that are still checked (R19, R23,
    # R25); False for what stops a document being read or checked at all
    checked: bool = False
    msg: Msg | None = field(default=None, compare=False, repr=False)

    def text(self, lang: str = "en") -> str:
        """The message in `lang`: from its code when it has one, else the English through the patterns."""
        if self.msg is not None:
            return self.msg.text(lang)
        return self.message if lang == "en" else in_chinese(self.message)

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        out: dict[str, object] = {"file": self.file, "path": self.path, "message": self.text(lang)}
        if self.source:
            out["source"] = dict(self.source)
        return out


def coded(file: str, path: str, m: Msg, source: tuple[tuple[str, str | int], ...] = (),
          checked: bool = False) -> InputError:
    """An input error worded from the catalogue (checker/messages.yaml `codes:`)."""
    return InputError(file, path, m.text("en"), source, checked, m)


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
