"""In Chromium: an executive signs in, lands on the portfolio and downloads a QBR; the
governance office requests one and watches it become ready (marker ``browser``).

Uses the browser fixtures of ``tests/browser/fixtures.py``; skipped without the system
Chromium (failing on CI, like the other browser tests).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import CHROMIUM
from tests.reports.conftest import pdf_info

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]


def test_executive_lands_on_the_portfolio_and_downloads_a_qbr(demo, login, page, shot, tmp_path):
    # The demo seed renders last quarter's QBR of Northwind BPO and Meridian Infotech.
    login("demo-executive")
    assert page.url.endswith("/reports/portfolio/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    expect(page.locator("#ranking")).to_contain_text("Northwind BPO")
    shot("qbr-executive-home")
    page.locator("#latest-reports a", has_text="Northwind BPO").first.click()
    expect(page.locator("[data-status]")).to_have_text("Ready")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    path = tmp_path / "qbr.pdf"
    info.value.save_as(path)
    facts = pdf_info(path.read_bytes())
    assert facts["Tagged"] == "yes" and "Northwind BPO" in facts["Title"]


def test_the_office_requests_a_qbr_and_it_becomes_ready(demo, login, page):
    login("demo-governance")
    page.goto("/reports/qbr-reports/add/")
    page.get_by_label("Vendor").select_option(label="Luzon Contact Solutions")
    page.get_by_label("Quarter").fill("2026Q2")
    page.get_by_role("button", name="Request").click()
    # Eager mode renders at commit; a page still rendering would refresh itself.
    expect(page.locator("[data-status]")).to_have_text("Ready", timeout=60_000)
    expect(page.locator("[data-verdict]")).not_to_be_empty()
