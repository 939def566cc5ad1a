"""The generated rule reference is current: regenerate with `dsr-check docs -o docs/rules.md`."""

from __future__ import annotations

from pathlib import Path

from checker.docs import rules_markdown
from checker.rulebook import load_rulebook

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_not_stale() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(load_rulebook(), "en"), (
        "docs/rules.md is stale: run `dsr-check docs -o docs/rules.md`"
    )
