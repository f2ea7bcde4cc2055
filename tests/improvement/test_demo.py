"""The improvement programme and webhooks in the demo seed: every story present, seeded once."""

from __future__ import annotations

from datetime import date

import pytest

from core.seeding import Seeder
from demo.seed import seed
from improvement.demo import seed_improvement
from improvement.models import Goal, HealthSurvey, Idea, IssueListPublication, SituationAssessment
from notifications.demo import seed_notifications
from notifications.models import Notification, WebhookSubscription

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 4)


def test_demo_programme_and_rerun(django_user_model):
    seed(today=TODAY)
    rep = django_user_model.objects.get(username="demo-vendor")
    goals = list(Goal.objects.filter(vendor=rep.vendor))
    assert sorted(g.agreement for g in goals) == ["agreed", "agreed", "awaiting_vendor"]
    assert any(g.slas.exists() for g in goals)
    assert Notification.objects.filter(user=rep, kind="goal_awaiting_vendor").count() == 1
    quarters = set(HealthSurvey.objects.values_list("quarter", flat=True))
    assert quarters == {"2025Q4", "2026Q1", "2026Q2", "2026Q3"}
    per_vendor = HealthSurvey.objects.values_list("vendor", flat=True).distinct().count()
    assert per_vendor >= 2
    assert HealthSurvey.objects.count() == per_vendor * 4 * 2
    assert (
        HealthSurvey.objects.filter(vendor=rep.vendor, side="vendor", answered_by=rep).count() == 4
    )
    assert set(Idea.objects.values_list("status", flat=True)) == {
        "proposed",
        "approved",
        "implemented",
        "rejected",
    }
    assert SituationAssessment.objects.filter(vendor=rep.vendor).get().key_issues.count() == 3
    version = IssueListPublication.objects.get(vendor=rep.vendor)
    assert version.version == 1 and version.published_at is not None
    assert WebhookSubscription.objects.count() == 2
    assert not WebhookSubscription.objects.filter(active=True).exists()

    # Seeding again creates nothing more.
    before = {
        m: m.objects.count()
        for m in (Goal, HealthSurvey, Idea, IssueListPublication, WebhookSubscription, Notification)
    }
    from demo.users import seed_staff, seed_vendor_user
    from vendors.models import Vendor

    seeder = Seeder(today=TODAY)
    seed_staff(seeder)
    seed_vendor_user(seeder, vendors={v.name: v for v in Vendor.objects.all()})
    seed_improvement(seeder)
    seed_notifications(seeder)
    assert {m: m.objects.count() for m in before} == before
    assert not seeder.created
