"""End to end in Debian's Chromium: a department, the conference office and the justice reviewer at work.

Screenshots of each step are saved in the test's temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.web.auth import add_user
from checker.web.db import engine_for, migrate, sessions
from tests.web.conftest import PASSWORD, QINGCHUAN, fixed_qingchuan
from tests.web.test_live import SAMPLE, serving

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> object:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _login(browser: object, url: str, name: str) -> object:
    page = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900}).new_page()  # type: ignore
    page.goto(url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/submissions")
    return page


def test_submit_fix_waive_dashboard_and_file_in_a_browser(browser: object, tmp_path: Path) -> None:
    db = str(tmp_path / "e2e.db")
    engine = engine_for(db)
    migrate(engine)
    with sessions(engine).begin() as s:
        add_user(s, "qc-market", PASSWORD, "department", "青川县市场监督管理局", "青川县")
        add_user(s, "qc-office", PASSWORD, "conference", None, "青川县")
        add_user(s, "qc-justice", PASSWORD, "justice", None, "青川县")
    engine.dispose()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    fixed = tmp_path / "fixed" / "qingchuan-2025.xlsx"
    fixed.parent.mkdir()
    fixed.write_bytes(fixed_qingchuan())
    adjustments = tmp_path / "adjustments.yaml"
    adjustments.write_text((SAMPLE / "adjustments.yaml").read_text("utf-8").replace(
        "  filed_with_justice_on: '2021-06-11'\n", "", 1), "utf-8")

    with serving(db) as (url, _):
        dept = _login(browser, url, "qc-market")
        # the department uploads the county's table as published
        dept.click("text=上传报送")
        dept.set_input_files("input[name=files]", str(QINGCHUAN))
        dept.fill("input[name=title]", "青川县市场监管局2025年度抽查计划")
        dept.fill("input[name=year]", "2025")
        dept.fill("input[name=as_of]", "2025-06-01")
        dept.click("button[type=submit]")
        dept.wait_for_selector("text=已完成")
        found = dept.locator(".finding").count()
        assert found == int(dept.locator("table.summary td").first.inner_text()) > 2
        assert dept.locator(".finding", has_text="任务 qingchuan-2025-1 未写明“抽查比例”").count() == 1
        dept.screenshot(path=shots / "1-department-findings.png", full_page=True)
        # ... the report page is the HTML report
        dept.click("text=检查报告")
        assert "广府办发〔2019〕58号" in dept.content()
        # its strict CSP lets its own style sheet apply (and nothing else)
        assert dept.eval_on_selector("h2", "e => getComputedStyle(e).borderBottomStyle") == "solid"
        dept.screenshot(path=shots / "2-report.png")
        dept.go_back()
        # ... fixes the ratios and uploads again: two fixed, one still open
        dept.set_input_files("input[name=files]", str(fixed))
        dept.click("text=上传新版本 >> xpath=following::button[1]")
        dept.wait_for_selector("#changes")
        cells = dept.locator("#changes td").all_inner_texts()
        assert cells == ["2", "0", str(found - 2)]  # the two ratios fixed, nothing new
        dept.screenshot(path=shots / "3-department-fixed.png", full_page=True)
        # ... and files an adjustment for the justice bureau
        dept.click("text=上传报送")
        dept.set_input_files("input[name=files]", [str(p) for p in sorted((SAMPLE / "plans").glob("*.yaml"))]
                             + [str(adjustments)])
        dept.fill("input[name=title]", "2021年计划调整")
        dept.select_option("select[name=kind]", "adjustment")
        dept.fill("input[name=year]", "2025")
        dept.fill("input[name=as_of]", "2021-12-31")
        dept.fill("textarea[name=plan_fields]", "")
        dept.click("button[type=submit]")
        dept.wait_for_selector("text=已完成")

        # the conference office waives the late submission and reads the dashboard
        office = _login(browser, url, "qc-office")
        office.click("text=青川县市场监管局2025年度抽查计划")
        finding = office.locator(".finding", has_text="department-plan-submitted")
        finding.locator("summary").click()
        finding.locator("input[name=reason]").fill("县政府同意延后报送")
        finding.locator("input[name=authority]").fill("青府办函〔2025〕3号")
        finding.locator("input[name=approver]").fill("青川县人民政府办公室")
        finding.locator("input[name=expires]").fill("2025-12-31")
        finding.locator("button").click()
        office.wait_for_selector("h2:has-text('已豁免 (1)')")
        assert office.locator(".finding").count() == found - 3
        assert office.locator(".finding", has_text="department-plan-submitted").count() == 0
        office.screenshot(path=shots / "4-conference-waiver.png", full_page=True)
        office.click("text=联席会议看板")
        office.fill("input[name=year]", "2025")
        office.click("button:has-text('↻')")
        office.wait_for_url("**/dashboard?year=2025")
        market = office.locator("#members tr", has_text="青川县市场监督管理局").inner_text()
        assert "青川县市场监管局2025年度抽查计划" in market and "截止日期 2024-12-31" in market
        office.screenshot(path=shots / "5-dashboard.png", full_page=True)

        # the justice reviewer records the filing
        justice = _login(browser, url, "qc-justice")
        justice.click("text=备案审查")
        justice.click("text=2021年计划调整")
        justice.select_option("select[name=adjustment]", "adj-2021-01")
        justice.fill("input[name=filed_on]", "2021-06-11")
        justice.click("button:has-text('记录司法备案')")
        justice.wait_for_selector("text=filing adj-2021-01 2021-06-11 by qc-justice")
        assert justice.locator("#changes td").all_inner_texts()[0] == "1"  # the unfiled adjustment, fixed
        justice.screenshot(path=shots / "6-justice-filing.png", full_page=True)
    assert len(list(shots.glob("*.png"))) == 6
