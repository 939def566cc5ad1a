"""Generated pages are current: the rule reference (`dsr-check docs -o docs/rules.md`) and the
benchmark figures docs/performance.md shows (`python bench/run.py`)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from checker.docs import rules_markdown
from checker.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules.md"


def test_docs_rules_md_is_not_stale() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(load_rulebook(), "en"), (
        "docs/rules.md is stale: run `dsr-check docs -o docs/rules.md`"
    )


def test_the_performance_page_shows_the_benchmark_results() -> None:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    page = bench.PAGE.read_text(encoding="utf-8")
    results = (ROOT / "bench" / "RESULTS.md").read_text(encoding="utf-8")
    assert bench.PAGE == ROOT / "docs" / "performance.md"
    assert bench.START in page and "| 1m |" in page
    assert bench.with_figures(page, results) == page, "docs/performance.md's figures differ from bench/RESULTS.md"


def test_every_page_the_readme_links_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    assert "docs/performance.md" in links and "docs/limits.md" in links
    assert [link for link in links if not (ROOT / link).is_file()] == []
