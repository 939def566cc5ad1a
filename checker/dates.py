"""The one reader of dates written in documents, waivers, calendars and options.

A date is text `YYYY-MM-DD` (ten characters, nothing before or after, not even a
newline) naming a day of years 0001-9999 that exists. Python's own
`date.fromisoformat` also takes `20210101`, `2021-W01-1` and `2021W527`, and a
YAML integer would be turned into such text: none of those is a date here.
"""

from __future__ import annotations

import datetime as dt
import re

# The schemas' pattern (common.schema.json#/$defs/date) says the same: year 0000 excluded.
_DATE = re.compile(r"([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}")


def read_date(value: object) -> dt.date | None:
    """The day `value` names, or None when it is not a date YYYY-MM-DD that exists."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # 2021-02-30
        return None
