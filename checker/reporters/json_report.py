"""The contract's JSON report: sorted keys within records kept in contract order, UTF-8."""

from __future__ import annotations

import json

from checker.report import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
