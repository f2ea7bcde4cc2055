"""The dashboard's charts (issue #14): escalations by level, notice deadlines and renewals in
the next 90 days, and every tile and chart link leading to the list filtered as it says.

Hand-worked dates (``today`` = 2026-07-04, the window ends 2026-10-02):

* C-JUL: automatic, term end 2026-07-20, 10 days' notice → deadline 2026-07-10; renews (Jul);
* C-AUG: by agreement, term end 2026-08-31, 30 days → deadline 2026-08-01; renews (Aug);
* C-OCT: automatic, term end 2026-10-31, 90 days → deadline 2026-08-02; renews after the window;
* C-NONE: no renewal, term end 2026-09-01 → no deadline, no renewal;
* C-LATE: automatic, term end 2027-03-31, 30 days → deadline 2027-03-01, outside;
* C-DRAFT: a draft with a deadline 2026-08-05 and term end 2026-08-15: not counted.

Notice deadlines: July 1, August 2, September 0, October 0 → 3.
Renewals (term end in the window): July 1, August 1, September 0, October 0 → 2.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts import dates
from contracts import selectors as contract_selectors
from core import roles
from core.dashboard import dashboard_panels
from governance import selectors as governance_selectors
from tests.factories import CertificationFactory, ContractFactory, VendorFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 7, 4)


def _bars(svg) -> dict[str, str]:
    root = ET.fromstring(str(svg))
    return {
        g.get("data-category"): g.get("data-value")
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "bar"
    }


def _contract(reference: str, end: dt.date, renewal: str = "none", notice: int = 0, **kw):
    """A contract with its notice deadline worked out as the contract services store it."""
    terms = dates.ContractTerms(
        end_date=end, renewal=renewal, renewal_months=12 if renewal != "none" else 0,
        notice_days=notice,
    )  # fmt: skip
    return ContractFactory(
        reference=reference,
        end_date=end,
        renewal=renewal,
        renewal_months=terms.renewal_months,
        notice_days=notice,
        notice_deadline=dates.contract_notice_deadline(terms),
        **kw,
    )


@pytest.fixture
def dated_contracts(db):
    vendor = VendorFactory(name="Dated Ltd")
    made = {
        "jul": _contract("C-JUL", dt.date(2026, 7, 20), "automatic", 10, vendor=vendor),
        "aug": _contract("C-AUG", dt.date(2026, 8, 31), "by_agreement", 30, vendor=vendor),
        "oct": _contract("C-OCT", dt.date(2026, 10, 31), "automatic", 90, vendor=vendor),
        "none": _contract("C-NONE", dt.date(2026, 9, 1), vendor=vendor),
        "late": _contract("C-LATE", dt.date(2027, 3, 31), "automatic", 30, vendor=vendor),
        "draft": _contract(
            "C-DRAFT", dt.date(2026, 8, 15), "automatic", 10, vendor=vendor, status="draft"
        ),
    }
    assert made["aug"].notice_deadline == dt.date(2026, 8, 1)  # the dates worked out above
    assert made["oct"].notice_deadline == dt.date(2026, 8, 2)
    return made


def test_notice_deadlines_and_renewals_are_bars_by_month_with_links(dated_contracts, gov_user):
    notice, renewals, _ = contract_selectors.dashboard_panels(user=gov_user, today=TODAY)
    assert notice["count"] == 3 and renewals["count"] == 2
    assert _bars(notice["chart"]) == {
        "2026-07": "1",
        "2026-08": "2",
        "2026-09": "0",
        "2026-10": "0",
    }
    assert _bars(renewals["chart"]) == {
        "2026-07": "1", "2026-08": "1", "2026-09": "0", "2026-10": "0",
    }  # fmt: skip
    # Each month's link is the contract list filtered to that month's part of the window.
    links = {label: url for label, url, _ in notice["chart_links"]}
    assert links["2026-07"].endswith(
        "?status=active&notice_deadline_after=2026-07-04&notice_deadline_before=2026-07-31"
    )
    assert links["2026-10"].endswith(
        "notice_deadline_after=2026-10-01&notice_deadline_before=2026-10-02"
    )
    assert [n for _, _, n in notice["chart_links"]] == [
        "1 deadline", "2 deadlines", "0 deadlines", "0 deadlines",
    ]  # fmt: skip
    assert [r[0].split(" –")[0] for r in renewals["rows"]] == ["C-JUL", "C-AUG"]
    assert renewals["rows"][1][2] == "term ends 2026-08-31, renews 2026-09-01 (by agreement)"


def test_each_month_link_lists_exactly_the_contracts_of_its_bar(dated_contracts, signed_in):
    client = signed_in()
    user = client.get(reverse("dashboard")).wsgi_request.user
    for panel in contract_selectors.dashboard_panels(user=user, today=TODAY)[:2]:
        bars = _bars(panel["chart"])
        for label, url, _ in panel["chart_links"]:
            page = client.get(url)
            assert page.status_code == 200, url
            assert page.context["table"].paginator.count == int(bars[label]), (panel["title"], url)


def test_no_deadline_no_chart(gov_user, db):
    notice, renewals, _ = contract_selectors.dashboard_panels(user=gov_user, today=TODAY)
    assert notice["count"] == renewals["count"] == 0
    assert notice["chart"] == renewals["chart"] == "" and notice["chart_links"] == []


@pytest.fixture
def escalations(db):
    from governance.models import Escalation, EscalationPlan

    vendor = VendorFactory(name="Escalated Ltd")
    plan = EscalationPlan.objects.create(vendor=vendor)
    now = timezone.now()
    for title, level, status, overdue in (
        ("Outage one", 1, "open", False),
        ("Outage two", 1, "open", False),
        ("Slow tickets", 3, "open", True),
        ("Old one", 2, "resolved", False),
    ):
        Escalation.objects.create(
            vendor=vendor, plan=plan, title=title, level=level, status=status,
            opened_at=now, due_at=now, overdue=overdue,
        )  # fmt: skip
    return vendor


def test_open_escalations_by_level_chart_with_gaps_at_zero(escalations, gov_user):
    panel = governance_selectors.dashboard_panels(user=gov_user)[0]
    assert panel["title"] == "Open escalations by level" and panel["count"] == 3
    assert panel["tone"] == "bad"  # one is overdue at the top level
    assert _bars(panel["chart"]) == {"Level 1": "2", "Level 2": "0", "Level 3": "1"}
    assert [(label, note) for label, _, note in panel["chart_links"]] == [
        ("Level 1", "2 open"), ("Level 2", "0 open"), ("Level 3", "1 open"),
        ("Overdue at the top level", "1"),
    ]  # fmt: skip
    assert panel["chart_links"][0][1] == "/governance/escalations/?status=open&level=1"


def test_the_vendors_representative_gets_no_escalation_panel(escalations, make_user):
    rep = make_user(roles.VENDOR_USER, vendor=escalations)
    titles = [p["title"] for p in governance_selectors.dashboard_panels(user=rep)]
    assert "Open escalations by level" not in titles and "Overdue action items" in titles


def test_governance_panels_ask_the_permission_rule_not_the_role_name():
    import inspect

    source = inspect.getsource(governance_selectors.dashboard_panels)
    assert "sees_internal(user)" in source and "role_of" not in source


# Tiles whose count is the number of rows of the list they link to.
LIST_TILES = {
    "Open escalations by level",
    "Overdue action items",
    "Notice deadlines (90 days)",
    "Renewals (90 days)",
    "Overdue obligations",
    "Certifications expired or expiring",
    "Open breaches",
    "Open breaches by severity",
    "SLAs trending to breach",
}


@pytest.fixture
def busy_portfolio(escalations, make_portfolio):
    today = timezone.localdate()
    vendor = VendorFactory(name="Busy Ltd")
    # Notice in 20 days and renewal in 40 (automatic, 12 months); a second one next month.
    _contract("B-1", today + dt.timedelta(days=40), "automatic", 20, vendor=vendor)
    _contract("B-2", today + dt.timedelta(days=70), "by_agreement", 35, vendor=vendor)
    CertificationFactory(vendor=vendor, expires_on=today + dt.timedelta(days=10))
    make_portfolio(2, prefix="Busy")
    return vendor


def test_every_tile_and_chart_link_answers_and_lists_what_the_tile_counts(
    busy_portfolio, signed_in
):
    client = signed_in()
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    panels = {p["title"]: p for p in dashboard_panels(user=page.wsgi_request.user)}
    assert set(panels) >= LIST_TILES, LIST_TILES - set(panels)
    assert panels["Notice deadlines (90 days)"]["count"] == 2
    assert panels["Renewals (90 days)"]["count"] == 2
    # The charts are on the page, as images with a title, and their links beside them.
    for title in ("Open escalations by level", "Notice deadlines per month"):
        assert f'role="img" aria-label="{title}"' in html
    assert html.count('class="chart-links"') >= 3
    tiles = re.findall(r'<a class="tile [^"]*" href="([^"]+)" data-tile="([^"]+)"', html)
    assert len(tiles) == len(panels)  # a tile per panel, each linking to its panel's list
    for title, panel in panels.items():
        urls = [panel["url"], *(u for _, u, _ in panel.get("chart_links", []))]
        urls += [b["url"] for b in panel.get("bars", [])]
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, (title, url)
        if title in LIST_TILES:
            listed = client.get(panel["url"]).context["table"].paginator.count
            assert listed == panel["count"], (title, panel["url"], listed, panel["count"])


def test_the_dashboard_stays_constant_in_queries_with_more_escalations_and_contracts(
    signed_in, make_portfolio
):
    from governance.models import Escalation, EscalationPlan

    client = signed_in()
    today = timezone.localdate()
    counts = []
    for n in (1, 4):
        vendor = VendorFactory(name=f"Q{n} Ltd")
        plan = EscalationPlan.objects.create(vendor=vendor)
        for i in range(n):
            _contract(f"Q{n}-{i}", today + dt.timedelta(days=30 + i * 20), "automatic", 10,
                      vendor=vendor)  # fmt: skip
            Escalation.objects.create(
                vendor=vendor, plan=plan, title=f"E{i}", level=1 + i % 3,
                opened_at=timezone.now(), due_at=timezone.now(),
            )  # fmt: skip
        make_portfolio(n, prefix=f"Q{n}-")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dashboard")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
