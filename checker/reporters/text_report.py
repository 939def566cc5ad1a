"""The terminal report: grouped by document, Chinese by default."""

from __future__ import annotations

from collections import defaultdict

from checker.report import Finding, Report
from checker.reporters.common import SHOWN, WORDS, calendar_source, error_message, error_place, evidence_line, verdict
from checker.terminal import visible

_WORDS = {
    "zh": {
        "violations": "违规", "pending": "待履行", "not_evaluated": "未评估", "exempt": "豁免",
        "out_of_scope": "不适用", "input_errors": "输入错误", "documents": "文档",
        "rules_evaluated": "已评估规则", "evidence": "证据", "remedy": "整改", "due": "期限",
        "reason": "原因", "as_of": "基准日", "calendar": "工作日历", "rulebook": "规则集",
        "error": "错误", "warning": "警告", "info": "提示",
        "document": "文档", "waived": "已豁免", "waivers": "豁免单",
        "records": "{n} 项", "more": WORDS["zh"]["more"], "used": "已使用", "unused": "未使用",
        "expired": "已过期", "incomplete": "不完整", "unknown_rule": "规则不存在", "notes": "读取说明",
    },
    "en": {
        "violations": "violations", "pending": "pending", "not_evaluated": "not evaluated",
        "exempt": "exempt", "out_of_scope": "out of scope", "input_errors": "input errors",
        "documents": "documents", "rules_evaluated": "rules evaluated", "evidence": "evidence",
        "remedy": "remedy", "due": "due", "reason": "reason", "as_of": "as of",
        "calendar": "calendar", "rulebook": "rulebook", "error": "error", "warning": "warning",
        "info": "info", "document": "document",
        "waived": "waived", "waivers": "waivers", "notes": "reading notes",
        "records": "{n} records", "more": WORDS["en"]["more"],
    },
}


def _value(v: object) -> str:
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return "—" if v is None else str(v)


def render_text(report: Report) -> str:
    w = _WORDS["en" if report.lang == "en" else "zh"]
    out: list[str] = [verdict(report)]
    c = ": " if report.lang == "en" else "："
    version = f" ({report.rulebook['version']})" if report.lang == "en" else f"（{report.rulebook['version']}）"
    out.append(f"{w['rulebook']}{c}{report.rulebook['title']}{version}")
    out.append(f"{w['as_of']}{c}{report.as_of}    {w['calendar']}{c}{calendar_source(report)}")
    out.append("")
    by_doc: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in report.findings:
        if f.status in {"violation", "pending", "waived"}:
            by_doc[(f.file, f.document)].append(f)
    for (file, document), items in sorted(by_doc.items()):
        out.append(f"■ {w['document']} {document}  ({file})")
        for f in items:
            if f.status == "violation":
                out.append(f"  [{w[f.severity]}] {f.rule} · {f.citation}")
                out.append(f"    {f.subject} {_where(f)}{c}{f.message}")
                out.append(f"    「{f.quote}」")
                out.append(f"    {w['evidence']}{c}{evidence_line(report, f)}")
                out.append(f"    {w['remedy']}{c}{f.remedy}")
            elif f.status == "waived":
                wv = f.waiver or {}
                out.append(f"  [{w['waived']}] {f.rule} · {f.subject}{c}{f.message}")
                out.append(f"    {wv.get('authority', '')} · {wv.get('approver', '')} · {wv.get('expires', '')}"
                           f" · {wv.get('reason', '')}")
            else:
                out.append(f"  [{w['pending']}] {f.rule} · {f.subject}{c}{w['due']} {f.due} — {f.message}")
        out.append("")
    for status in ("not_evaluated", "exempt", "out_of_scope"):
        items = report.of(status)
        if items:
            out.append(f"{w[status]} ({len(items)}):")
            out.extend(_by_reason(items, w))
            out.append("")
    if report.waivers is not None:
        out.append(f"{w['waivers']} ({len(report.waivers)}):")
        for x in report.waivers:
            target = x.get("rule") or x.get("clause") or "?"
            status = str(x.get("status"))
            out.append(f"  {target} {x.get('document', '')}/{x.get('subject', '')}{c}{w.get(status, status)}"
                       f" ({x.get('authority', '')})")
        out.append("")
    if report.input_errors:
        out.append(f"{w['input_errors']} ({len(report.input_errors)}):")
        for e in report.input_errors:
            out.append(f"  {error_place(e)}{c}{error_message(report, e)}")
        out.append("")
    if report.notes:
        out.append(f"{w['notes']} ({len(report.notes)}):")
        for e in report.notes:
            out.append(f"  {error_place(e)}{c}{error_message(report, e)}")
        out.append("")
    s = report.summary()
    out.append(" · ".join(f"{w[k]} {s[k]}" for k in (
        "documents", "rules_evaluated", "violations", "pending", "not_evaluated", "input_errors")))
    return "\n".join(visible(line) for line in out) + "\n"


def _where(f: Finding) -> str:
    """Where a finding is: the cell and its column's header in a spreadsheet (计划!M16「实施时间」),
    else the JSON pointer in the document."""
    src = f.source
    if "sheet" in src:
        header = f"「{src['header']}」" if src.get("header") else ""
        cell = f"{src.get('column') or 'R'}{src['row']}"
        return f"{src['sheet']}!{cell}{header}" if src["sheet"] else f"{cell}{header}"
    return f.path


def _by_reason(items: list[Finding], w: dict[str, str]) -> list[str]:
    """One line a record, its rules and reason; where many records share rules and reason
    (every batch of a directory without entries, say), one line for them all, naming a few."""
    rules_of: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for f in items:
        rules_of[(f.document, f.subject, f.reason)].append(f.rule)
    shared: dict[tuple[tuple[str, ...], str], list[str]] = defaultdict(list)
    for (document, subject, reason), rules in sorted(rules_of.items()):
        who = subject if subject == document else f"{document} · {subject}"
        shared[(tuple(r for r in rules if r), reason)].append(who)
    entries: list[tuple[str, list[str]]] = []
    for (rules, reason), whos in shared.items():
        listed = f" [{', '.join(rules)}]" if rules else ""
        if len(whos) <= SHOWN:
            entries.extend((who, [f"  {who}{listed}: {reason}"]) for who in whos)
        else:
            named = ", ".join(whos[:SHOWN]) + w["more"].format(n=len(whos) - SHOWN)
            entries.append((whos[0], [f"  {w['records'].format(n=len(whos))}{listed}: {reason}", f"    {named}"]))
    return [line for _, lines in sorted(entries) for line in lines]
