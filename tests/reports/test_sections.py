"""The sections fed by governance/, risks/ and improvement/, with hand-worked figures.

On top of conftest's Acme quarter (2026Q3):
* risks (residual likelihood × impact): 4 × 4 = 16 critical, 3 × 4 = 12 high, 2 × 2 = 4
  low, all open; a closed 5 × 5 one that does not count → "2 of 3 open";
* one escalation opened 2026-08-10, escalated to level 2, still open;
* decisions: one of a 2026-09-15 meeting (in), one of a 2026-06-10 meeting (out);
* an action item due 2026-10-01, still open → overdue; opened 2026-08-01;
* health: client 4, 4, 3, 4, 3, 4 → 22 / 6 = 3.67; vendor 4, 5, 4, 4, 4, 4 → 25 / 6 = 4.17;
  gap client − vendor = −0.50;
* an idea implemented on 2026-08-20 with 12,000.00 EUR realised; one still proposed;
* a goal agreed by both sides, due 2027-02-28 (inside the next two quarters).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from reports import gather, render
from reports.gather_portfolio import portfolio_snapshot
from tests.factories import VendorFactory
from tests.reports.conftest import pdf_text

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def governed(acme, gov_user):
    from governance.models import (
        ActionItem,
        Decision,
        Escalation,
        EscalationPlan,
        EscalationTimelineEvent,
        Forum,
        Meeting,
    )
    from improvement.models import Goal, HealthSurvey, Idea
    from risks.models import Risk

    vendor = acme["vendor"]
    for title, rl, ri, status in (
        ("Single data centre", 4, 4, "open"),
        ("Key staff attrition", 3, 4, "mitigating"),
        ("Minor tooling gap", 2, 2, "open"),
        ("Retired risk", 5, 5, "closed"),
    ):
        Risk.objects.create(
            vendor=vendor, title=title, category="operational", likelihood=5, impact=5,
            residual_likelihood=rl, residual_impact=ri, status=status,
        )  # fmt: skip
    plan = EscalationPlan.objects.create(vendor=vendor)
    escalation = Escalation.objects.create(
        vendor=vendor, plan=plan, title="Availability below target twice", level=2,
        opened_at=at(2026, 8, 10, 9), due_at=at(2026, 8, 12, 9),
    )  # fmt: skip
    EscalationTimelineEvent.objects.create(
        escalation=escalation, at=at(2026, 8, 10, 9), kind="opened", level=1
    )
    EscalationTimelineEvent.objects.create(
        escalation=escalation, at=at(2026, 8, 11, 9), kind="escalated", level=2
    )
    forum = Forum.objects.create(name="Acme JSC", kind="jsc", cadence="quarterly", vendor=vendor)
    for day, text in ((dt.date(2026, 9, 15), "Add a second data centre by 2027Q1"),
                      (dt.date(2026, 6, 10), "An old decision of Q2")):  # fmt: skip
        meeting = Meeting.objects.create(forum=forum, vendor=vendor, date=day, kind="jsc")
        Decision.objects.create(meeting=meeting, text=text, decided_at=day)
    item = ActionItem.objects.create(
        title="Fail-over test", owner=gov_user, vendor=vendor, due_date=dt.date(2026, 10, 1)
    )
    ActionItem.objects.filter(pk=item.pk).update(created_at=at(2026, 8, 1, 12))
    for side, scores in (("client", (4, 4, 3, 4, 3, 4)), ("vendor", (4, 5, 4, 4, 4, 4))):
        names = ("communication", "responsiveness", "flexibility", "quality", "innovation", "trust")
        HealthSurvey.objects.create(
            vendor=vendor, quarter="2026Q3", side=side, **dict(zip(names, scores, strict=True))
        )
    Idea.objects.create(
        vendor=vendor, proposed_by="vendor", title="Automate invoice matching",
        status="implemented", realised_benefit=D("12000.00"), decided_at=at(2026, 8, 20, 10),
    )  # fmt: skip
    Idea.objects.create(vendor=vendor, proposed_by="client", title="Chatbot triage")
    Goal.objects.create(
        vendor=vendor, title="Cut P1 response to 3 hours", target_value=D("3"), unit="hours",
        target_date=dt.date(2027, 2, 28), client_agreed_at=timezone.now(),
        vendor_agreed_at=timezone.now(),
    )  # fmt: skip
    return acme


def test_the_sections_in_the_snapshot_and_the_pdf(governed):
    snap = gather.vendor_snapshot(vendor=governed["vendor"], quarter="2026Q3", edition="internal")
    assert (snap["risks"]["open"], len(snap["risks"]["high_critical"])) == (3, 2)
    assert [r["score"] for r in snap["risks"]["high_critical"]] == [16, 12]
    assert snap["risks"]["heatmap"][3][3] == 1 and snap["risks"]["heatmap"][2][3] == 1
    assert (snap["escalations"]["open"], snap["escalations"]["by_level"]) == (1, {"level 2": 1})
    assert [d["text"] for d in snap["decisions"]["items"]] == ["Add a second data centre by 2027Q1"]
    assert [a["title"] for a in snap["actions"]["overdue"]] == ["Fail-over test"]
    assert [a["title"] for a in snap["actions"]["opened"]] == ["Fail-over test"]
    health = snap["health"]
    assert (health["client_index"], health["vendor_index"], health["gap"]) == (
        "3.67", "4.17", "-0.50"
    )  # fmt: skip
    assert snap["summary"]["sentence"].endswith("1 escalation open. 2 trending to breach.")
    data = render.render(snap)
    text = pdf_text(data)
    for needle in (
        "Single data centre", "Key staff attrition", "2 of 3 open",
        "Availability below target twice", "Escalated", "Add a second data centre",
        "Fail-over test", "client 3.67", "vendor 4.17", "-0.50", "Automate invoice matching",
        "12,000.00 EUR", "Cut P1 response to 3 hours", "2027-02-28", "Chatbot triage",
    ):  # fmt: skip
        assert needle in text, needle
    assert "An old decision of Q2" not in text and "Retired risk" not in text
    assert "Not tracked yet" not in text


def test_the_vendor_edition_has_no_risk_register(governed):
    snap = gather.vendor_snapshot(vendor=governed["vendor"], quarter="2026Q3", edition="vendor")
    text = pdf_text(render.render(snap))
    assert "Single data centre" not in text and "heat map" not in text.lower()
    # What the vendor's representatives cannot see in the app stays out of their edition.
    assert snap["escalations"] is None and snap["decisions"] is None
    assert "Availability below target twice" not in text and "second data centre" not in text
    assert "Automate invoice matching" in text and "Fail-over test" in text


def test_the_portfolio_ranks_the_riskiest_first(governed):
    calm = VendorFactory(name="Aardvark Calm Ltd")
    snap = portfolio_snapshot(quarter="2026Q3")
    names = [v["name"] for v in snap["vendors"]]
    assert names.index("Acme Outsourcing") < names.index(calm.name)
    acme_row = snap["vendors"][names.index("Acme Outsourcing")]
    assert acme_row["risks"] == {"high": 1, "critical": 1, "open": 3}
    assert acme_row["credits"] == {"EUR": "8500.00"} and acme_row["escalations_open"] == 1
