"""The governance part of the demo: plans, an escalation at the executive, one acknowledged,
a year of meetings with decisions and actions (some overdue) — and a second run adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps

from core import registry
from demo.seed import seed
from governance.models import ActionItem, Escalation, EscalationPlan, Meeting
from governance.selectors import overdue_q
from vendors.models import Vendor

pytestmark = pytest.mark.django_db
TODAY = date.today()


def governance_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_app_config("governance").get_models()
    }


@pytest.fixture
def only_governance_demo(monkeypatch):
    """The base seed plus governance's own part (other apps' parts are theirs to test)."""
    everything = registry.apps
    monkeypatch.setattr(
        registry, "apps", lambda: [a for a in everything() if a.label == "governance"]
    )


def test_demo_governance_tells_its_stories_and_reruns_add_nothing(only_governance_demo):
    seed(today=TODAY)
    tiers = set(Vendor.objects.filter(tier__in=[1, 2]).values_list("pk", flat=True))
    assert set(EscalationPlan.objects.values_list("vendor_id", flat=True)) == tiers
    climbed = Escalation.objects.filter(level=3, overdue=True, status="open")
    assert climbed.exists()
    kinds = [e.kind for e in climbed.first().timeline.order_by("at", "id")]
    assert kinds == ["opened", "escalated", "escalated"]
    acknowledged = Escalation.objects.get(status="acknowledged")
    assert [e.kind for e in acknowledged.timeline.order_by("at", "id")] == [
        "opened",
        "acknowledged",
    ]
    assert Meeting.objects.count() >= 12 + 4
    assert ActionItem.objects.filter(overdue_q(TODAY)).exists()
    assert ActionItem.objects.filter(status="done").exists()
    first = governance_counts()
    seed(today=TODAY)
    assert governance_counts() == first


@pytest.fixture
def governance_and_reports_demo(monkeypatch):
    everything = registry.apps
    keep = {"governance", "reports"}
    monkeypatch.setattr(registry, "apps", lambda: [a for a in everything() if a.label in keep])


def test_demo_qbr_report_links_the_meeting_that_reviewed_its_quarter(governance_and_reports_demo):
    from reports import quarters
    from reports.models import QBRReport

    seed(today=TODAY)
    quarter = quarters.just_ended(TODAY)
    _, end = quarters.bounds(quarter)
    northwind = Vendor.objects.get(name="Northwind BPO")
    reviewed = (
        Meeting.objects.filter(vendor=northwind, kind="qbr", date__gt=end).order_by("date").first()
    )
    reports = QBRReport.objects.filter(vendor=northwind, quarter=quarter)
    assert reports.exists()
    assert {r.meeting_id for r in reports} == {reviewed.pk if reviewed else None}
    seed(today=TODAY)  # a second run changes no link
    assert {r.meeting_id for r in reports.all()} == {reviewed.pk if reviewed else None}
