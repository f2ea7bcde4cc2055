"""The dashboard's charts in a real browser (issue #14): each chart is an image with a name,
each of its links leads to a list filtered as the link says, and axe-core finds no serious
or critical violation on the dashboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-12345678"


@pytest.fixture
def charted(role_groups, make_user):
    """Two breached SLAs, three open escalations (levels 1, 1, 3), a notice deadline and a
    renewal in the next 90 days, an open risk, and an officer."""
    from contracts import dates
    from governance.models import Escalation, EscalationPlan
    from tests.factories import ContractFactory, VendorFactory
    from tests.ui.conftest import portfolio

    portfolio(2, prefix="Charted")
    vendor = VendorFactory(name="Charted Escalations Ltd")
    plan = EscalationPlan.objects.create(vendor=vendor)
    now = timezone.now()
    for title, level in (("Outage one", 1), ("Outage two", 1), ("Slow tickets", 3)):
        Escalation.objects.create(
            vendor=vendor, plan=plan, title=title, level=level, opened_at=now, due_at=now
        )
    end = timezone.localdate() + dt.timedelta(days=50)
    terms = dates.ContractTerms(
        end_date=end, renewal="automatic", renewal_months=12, notice_days=30
    )
    ContractFactory(
        vendor=vendor, reference="CH-1", end_date=end, renewal="automatic", renewal_months=12,
        notice_days=30, notice_deadline=dates.contract_notice_deadline(terms),
    )  # fmt: skip
    from risks.models import Risk

    # An open risk: the heat map's cell for it is a link, inside the chart.
    Risk.objects.create(
        vendor=vendor, title="Single data centre", category="operational", likelihood=4,
        impact=4, residual_likelihood=4, residual_impact=4, status="open",
    )  # fmt: skip
    make_user("governance_office", username="officer")
    return "officer"


def _count(page) -> int:
    """The number of rows the list says it holds ("3 contracts")."""
    return int(re.match(r"\s*(\d+)", page.locator(".table-tools .count").inner_text())[1])


def test_the_charts_links_lead_to_lists_filtered_as_they_say(charted, login, page):
    login(charted, PASSWORD)
    for name in ("Open escalations by level", "Notice deadlines per month"):
        expect(page.get_by_role("img", name=name)).to_be_visible()
    walked = 0
    for panel in ("Open escalations by level", "Notice deadlines (90 days)", "Renewals (90 days)"):
        page.goto("/")
        links = page.get_by_role("list", name=f"{panel}: the lists behind the chart").get_by_role(
            "link"
        )
        expected = []
        for i in range(links.count()):
            item = links.nth(i).locator("xpath=..")
            note = item.locator(".muted").inner_text()  # "2 open", "1 deadline"
            expected.append((links.nth(i).get_attribute("href"), int(note.split()[0])))
        assert expected, panel
        for href, count in expected:
            response = page.goto(href)
            assert response.status == 200, href
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert _count(page) == count, (panel, href)
            walked += 1
    assert walked >= 3 + 2 + 2  # three levels, and at least two months each
    # The level 3 bar's list holds the one escalation at level 3.
    page.goto("/")
    page.get_by_role(
        "list", name="Open escalations by level: the lists behind the chart"
    ).get_by_role("link", name="Level 3").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody")).to_contain_text("Slow tickets")


def test_every_tile_answers_and_axe_is_clean_on_the_dashboard_with_charts(charted, login, page):
    login(charted, PASSWORD)
    assert page.locator("svg.bar-chart").count() >= 3
    assert axe_violations(page) == []
    tiles = page.locator(".tiles a")
    hrefs = [tiles.nth(i).get_attribute("href") for i in range(tiles.count())]
    assert len(hrefs) >= 8
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, href
        expect(page.get_by_role("heading", level=1)).to_be_visible()
