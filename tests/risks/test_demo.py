"""The risks part of the demo seed: spread across the heat map, a year of reviews, the
assessments, the continuity plans — and idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from core import roles
from core.seeding import Seeder
from risks import selectors
from risks.demo import RISKS, seed_risks
from risks.models import Assessment, ContinuityPlan, Finding, Risk, RiskReview
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)


def test_seed_twice(make_user):
    tiers = {"Northwind BPO": 1, "Meridian Infotech": 1}
    for name in sorted({spec[0] for spec in RISKS}):
        VendorFactory(name=name, tier=tiers.get(name, 2))
    office = make_user(roles.GOVERNANCE_OFFICE)
    seeder = Seeder(today=TODAY, users={"governance": office, "manager": office})
    seed_risks(seeder)
    counts = [M.objects.count() for M in (Risk, RiskReview, Assessment, Finding, ContinuityPlan)]
    assert counts[0] == len(RISKS) and counts[2:] == [2, 7, 3]
    first = RiskReview.objects.order_by("reviewed_on").first()
    assert first.reviewed_on == dt.date(2025, 12, 4) and first.kind == "identified"
    assert not RiskReview.objects.filter(reviewed_on__gt=TODAY).exists()
    inherent = selectors.heatmap_counts(user=office, residual=False)
    assert sum(1 for row in inherent for n in row if n) >= 15  # across the map
    assert sum(1 for row in inherent for n in row[3:] if n) and inherent[0][0] == 0  # 1×1 closed
    states = {v.name: s for v, s, _ in selectors.continuity_flagged(user=office, today=TODAY)}
    assert states == {"Northwind BPO": "stale", "Meridian Infotech": "never_tested"}
    seed_risks(seeder)
    again = [M.objects.count() for M in (Risk, RiskReview, Assessment, Finding, ContinuityPlan)]
    assert again == counts
