"""The untested-plan flag: a tier-1 vendor without a plan tested in the last 12 months.

The rule (risks.rules): a test counts when it is on or after the same day
twelve calendar months before today. On 2026-12-04, 2025-12-04 counts (exactly
12 months), 2025-12-03 does not; 2025-12-05 obviously does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from risks import rules, selectors
from tests.risks.conftest import make_plan

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    "tested, flagged",
    [(dt.date(2025, 12, 3), True), (dt.date(2025, 12, 4), False), (dt.date(2025, 12, 5), False)],
)
def test_flag_at_exactly_twelve_months_and_a_day_either_side(north, gov_user, tested, flagged):
    make_plan(north, last_test_date=tested, last_test_result="pass")
    found = selectors.continuity_flagged(user=gov_user, today=TODAY)
    assert [(v.name, s) for v, s, _ in found] == ([("North", "stale")] if flagged else [])


def test_month_ends_are_clamped():
    assert rules.continuity_cutoff(dt.date(2025, 2, 28)) == dt.date(2024, 2, 28)
    assert rules.continuity_cutoff(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


def test_states(north, south, gov_user):
    vendors = type(north).objects.filter(pk__in=[north.pk, south.pk])
    assert selectors.continuity_by_vendor(vendors=vendors, today=TODAY) == {
        north.pk: "no_plan",
        south.pk: "not_required",  # tier 2: no plan needed
    }
    plan = make_plan(north)
    assert selectors.continuity_by_vendor(vendors=vendors, today=TODAY)[north.pk] == "never_tested"
    plan.last_test_date, plan.last_test_result = dt.date(2026, 6, 1), "fail"
    plan.save()
    assert selectors.continuity_by_vendor(vendors=vendors, today=TODAY)[north.pk] == "failed"
    # A second plan tested later and passed is the one that counts.
    make_plan(north, title="Site B", last_test_date=dt.date(2026, 9, 1), last_test_result="pass")
    assert selectors.continuity_by_vendor(vendors=vendors, today=TODAY)[north.pk] == "tested"
    assert selectors.continuity_flagged(user=gov_user, today=TODAY) == []


def test_never_tested_and_missing_plans_are_flagged(north, gov_user):
    found = selectors.continuity_flagged(user=gov_user, today=TODAY)
    assert [(v.name, s) for v, s, _ in found] == [("North", "no_plan")]
    make_plan(north)
    found = selectors.continuity_flagged(user=gov_user, today=TODAY)
    assert [(v.name, s) for v, s, _ in found] == [("North", "never_tested")]
    north.status = "exited"
    north.save()
    assert selectors.continuity_flagged(user=gov_user, today=TODAY) == []


def test_a_test_needs_date_and_result_and_no_future_date(north):
    with pytest.raises(ValidationError) as caught:
        make_plan(north, last_test_date=dt.date(2026, 1, 1))
    assert "last_test_result" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make_plan(north, last_test_date=dt.date(2099, 1, 1), last_test_result="pass")
    assert "last_test_date" in caught.value.message_dict


def test_flag_on_the_dashboard_and_the_vendor_page(north, gov_client):
    page = gov_client.get(reverse("dashboard")).content.decode()
    assert "Tier-1 vendors without a continuity plan tested in 12 months" in page
    body = gov_client.get(north.get_absolute_url() + "?tab=risks").content.decode()
    assert 'data-continuity="no_plan"' in body and "No continuity plan" in body
    listing = gov_client.get(reverse("risks:continuityplan_list"))
    assert [v.name for v, _, _ in listing.context["flagged"]] == ["North"]
