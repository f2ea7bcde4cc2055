"""The register in Chromium as the office uses it: the heat map's cell opens its risks, a
review is recorded on the risk's page and drawn on its path; a vendor representative
finds no register in the menu.

Uses the browser fixtures of ``tests/browser`` (the system's Chromium, a live server).
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from core import roles
from core.services import user_provision
from risks import services
from risks.models import RiskReview
from tests.browser.fixtures import CHROMIUM
from tests.browser.helpers import field, table_rows
from tests.factories import VendorFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is missing: apt-get install -y chromium",
    ),
]


@pytest.fixture
def register(role_groups):
    north = VendorFactory(name="North", tier=1)
    south = VendorFactory(name="South", tier=2)
    office = user_provision(username="office", role=roles.GOVERNANCE_OFFICE, password="pw-risk-1")
    user_provision(username="rep", role=roles.VENDOR_USER, vendor_id=north.pk, password="pw-risk-1")
    for vendor, title, factors in (
        (north, "Offshore personal data", (5, 5, 3, 4)),
        (south, "Single site", (4, 4, 3, 4)),
        (south, "Small supplier", (2, 2, 1, 1)),
    ):
        likelihood, impact, rl, ri = factors
        services.risk_create(
            actor=office,
            data={"vendor": vendor, "title": title, "category": "privacy", "owner": office,
                  "likelihood": likelihood, "impact": impact,
                  "residual_likelihood": rl, "residual_impact": ri},
        )  # fmt: skip
    return {"north": north, "office": office}


def test_heat_map_cell_opens_its_risks_and_a_review_is_recorded(register, login, page):
    login("office", "pw-risk-1")
    page.goto("/risks/heatmap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk heat map – portfolio")
    cell = page.locator('#residual-map g.cell[data-x="4"][data-y="3"]')
    expect(cell).to_have_attribute("data-count", "2")
    cell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk register")
    expect(table_rows(page)).to_have_count(2)
    expect(page.locator("table")).not_to_contain_text("Small supplier")

    page.get_by_role("link", name="Offshore personal data").click()
    expect(page.locator("main")).to_contain_text("critical")  # inherent 25
    page.get_by_role("link", name="Record review").click()
    field(page, "Residual likelihood").select_option("2")
    field(page, "Residual impact").select_option("3")
    field(page, "Note").fill("Pseudonymisation live in production")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#reviews")).to_contain_text("Pseudonymisation live in production")
    expect(page.locator("#scores")).to_contain_text("6 medium")
    expect(page.locator("#scores svg circle")).to_have_count(2)  # identified, reviewed
    assert RiskReview.objects.filter(kind="reviewed").count() == 1


def test_vendor_representative_finds_no_register(register, login, page):
    login("rep", "pw-risk-1")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu).not_to_contain_text("Risk register")
    response = page.goto("/risks/heatmap/")
    assert response.status == 404
