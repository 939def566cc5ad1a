"""What makes two names the same: the one place ids and department names are read as names.

A reviewer reads names on a screen, so a name must not hold what a screen does not
show: control characters (Cc), format characters (Cf: zero-width spaces and joiners,
bidi marks and overrides, the BOM, soft hyphens, tag characters), line and paragraph
separators (Zl, Zp), and the fillers that render as nothing (U+3164 HANGUL FILLER and
its kin, U+034F COMBINING GRAPHEME JOINER, Mongolian variation selectors). `市生态环境局`
followed by U+200B looks like `市生态环境局` but is another text: rather than strip such a
character (and merge two names that differ, silently), an id or department name holding
one is refused with an input error that names it (validate.py). The same characters
are shown as escapes wherever text reaches a terminal (checker.terminal).

Department names are then compared after NFKC normalisation and trimming; ids as written.
"""

from __future__ import annotations

import re
import unicodedata

# Cc, Cf, Zl and Zp as of Unicode 15.1 (U+13439-1343F became Cf in 15.0; Python 3.11 knows
# 14.0), spelt out so the check costs one regex; tests/test_names.py holds it to unicodedata.
_CONTROL_AND_FORMAT = (
    "\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Letters and marks that render as nothing.
_BLANK = "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\uffa0"
INVISIBLE = re.compile(f"[{_CONTROL_AND_FORMAT}{_BLANK}]")
_BLANK_ONLY = re.compile(f"[{_BLANK}]")


def has_invisible(text: str) -> bool:
    """Whether `text` holds a character of INVISIBLE: the C string tests first, the regex only past them.

    Every control, format and separator character is one `str.isprintable` refuses, so a
    printable text can only hold a blank filler, and an ASCII one none (ten times faster
    than the regex over a year's ids).
    """
    if text.isprintable():
        return not text.isascii() and _BLANK_ONLY.search(text) is not None
    return INVISIBLE.search(text) is not None


def invisible(text: str) -> str | None:
    """The first character of `text` a screen does not show, described (`U+200B ZERO WIDTH SPACE`), or None."""
    m = INVISIBLE.search(text)
    if m is None:
        return None
    c = m.group()
    name = unicodedata.name(c, "") or {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}.get(c, "CONTROL")
    return f"U+{ord(c):04X} {name}"


def department(name: str) -> str:
    """Department names are compared after NFKC normalisation and trimming."""
    return unicodedata.normalize("NFKC", name).strip()
