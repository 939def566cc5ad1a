"""What reaches a terminal: every character that could hide, move or forge text, shown as an escape.

Names are data on a terminal too: a newline or tab in a name would forge a line or a
column, a carriage return or an escape sequence (`ESC ]0;…BEL` retitles the window,
`ESC [2J` clears it, OSC 8 makes a hyperlink) would overwrite or hide one, a bidi
control would reorder it, and a zero-width or tag character would hide in it. The
characters are checker.names.INVISIBLE, the same a name may not hold; each is shown as
its Python escape (`\\x1b`, `\\u202e`, `\\U000e0041`). The text report, the deadlines
table and every message on stderr go through here.
"""

from __future__ import annotations

import re

from checker.names import INVISIBLE


def _escape(m: re.Match[str]) -> str:
    return m.group().encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    """One line or field of text, with every invisible or control character escaped."""
    return INVISIBLE.sub(_escape, text)


def visible_lines(text: str) -> str:
    """Text laid out by this program in lines (and tab-separated columns): each line made visible."""
    return "\n".join("\t".join(visible(cell) for cell in line.split("\t")) for line in text.split("\n"))
