"""dsr-check as a library: check documents, get a Report value.

    import datetime as dt
    from dsr_check import Options, check, render

    report = check(["fixtures/sample"], Options(as_of=dt.date(2021, 12, 31), lang="en"))
    for finding in report.of("violation"):
        print(finding.clause, finding.rule, finding.subject, finding.message)
    print(render(report, "sarif"))  # any --format name
    raise SystemExit(report.exit_code)

The name is the project's own; the engine's package, `checker`, works the same
(`checker.api.check`), and this module only re-exports it.
"""

from __future__ import annotations

from checker import __version__
from checker.api import Options, check, check_documents, read
from checker.read.inputs import Limits, RawDocument
from checker.report import Finding, Report
from checker.reporters import REPORTERS
from checker.tables import TableOptions


def render(report: Report, fmt: str = "json") -> str:
    """The report in one of the command's formats (`text`, `json`, `sarif`, …)."""
    return REPORTERS[fmt](report)


__all__ = ["REPORTERS", "Finding", "Limits", "Options", "RawDocument", "Report", "TableOptions", "__version__",
           "check", "check_documents", "read", "render"]
