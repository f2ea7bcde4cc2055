"""The award: blocking due diligence refuses it; the winner becomes onboarding with a plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sourcing import selectors, services
from sourcing.models import TransitionPlan
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


def test_blocking_item_prevents_award(event_setup, gov_user):
    s = event_setup
    winner = s["candidates"][1]
    services.due_diligence_create(
        actor=gov_user, data={"candidate": winner, "kind": "financials", "blocking": True}
    )
    with pytest.raises(ValidationError) as exc:
        services.event_award(
            event=s["event"], candidate=winner, rationale="Best value", actor=gov_user
        )
    assert exc.value.message_dict["candidate"] == [
        "Blocking due diligence is open for this candidate: Financials."
    ]
    s["event"].refresh_from_db()
    winner.vendor.refresh_from_db()
    assert s["event"].status == "open"
    assert winner.vendor.status == "prospect"
    assert not TransitionPlan.objects.exists()


def test_certification_item_decided_on_the_decision_date(event_setup, gov_user):
    s = event_setup  # decision date 2026-12-01
    winner = s["candidates"][0]
    item = services.due_diligence_create(
        actor=gov_user, data={"candidate": winner, "kind": "iso27001", "blocking": True}
    )
    # Expired the day before the decision: not held.
    CertificationFactory(
        vendor=winner.vendor, issued_on=dt.date(2023, 1, 1), expires_on=dt.date(2026, 11, 30)
    )
    assert not selectors.item_cleared(item=item, on=s["event"].decision_date)
    # Valid through the decision date (inclusive): held.
    CertificationFactory(
        vendor=winner.vendor, issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2026, 12, 1)
    )
    assert selectors.item_cleared(item=item, on=s["event"].decision_date)
    cmmi = services.due_diligence_create(
        actor=gov_user,
        data={"candidate": winner, "kind": "cmmi", "cmmi_min_level": 3, "blocking": True},
    )
    CertificationFactory(vendor=winner.vendor, kind="cmmi", cmmi_level=2)
    assert not selectors.item_cleared(item=cmmi, on=s["event"].decision_date)
    CertificationFactory(vendor=winner.vendor, kind="cmmi", cmmi_level=3)
    assert selectors.item_cleared(item=cmmi, on=s["event"].decision_date)


def test_award_makes_the_winner_onboarding_with_a_transition_plan(event_setup, gov_user):
    s = event_setup
    winner = s["candidates"][1]
    # A non-blocking open item and a passed blocking one do not stop the award.
    services.due_diligence_create(
        actor=gov_user, data={"candidate": winner, "kind": "references", "blocking": False}
    )
    services.due_diligence_create(
        actor=gov_user,
        data={"candidate": winner, "kind": "financials", "blocking": True, "status": "passed"},
    )
    with pytest.raises(ValidationError) as exc:
        services.event_award(event=s["event"], candidate=winner, rationale=" ", actor=gov_user)
    assert "award_rationale" in exc.value.message_dict
    plan = services.event_award(
        event=s["event"], candidate=winner, rationale="Best value", actor=gov_user
    )
    s["event"].refresh_from_db()
    winner.vendor.refresh_from_db()
    assert s["event"].status == "awarded"
    assert s["event"].awarded_candidate == winner
    assert winner.vendor.status == "onboarding"
    assert plan.vendor == winner.vendor
    statuses = {c.vendor.name: c.status for c in s["event"].candidates.select_related("vendor")}
    assert statuses == {"Alpha": "not_selected", "Bravo": "awarded", "Charlie": "not_selected"}
    # Progress: 1 of 2 steps done, readiness 0 of 1 met.
    services.transition_step_create(
        actor=gov_user, data={"plan": plan, "title": "Knowledge transfer", "status": "done"}
    )
    services.transition_step_create(actor=gov_user, data={"plan": plan, "title": "Parallel run"})
    services.readiness_create(actor=gov_user, data={"plan": plan, "description": "Runbooks signed"})
    progress = selectors.vendor_transition(user=gov_user, vendor=winner.vendor)
    assert (progress["steps_done"], progress["steps_total"], progress["percent"]) == (1, 2, 50)
    assert (progress["readiness_met"], progress["go"]) == (0, False)
    # Awarded once: a second award is refused.
    with pytest.raises(ValidationError) as exc:
        services.event_award(event=s["event"], candidate=winner, rationale="x", actor=gov_user)
    assert "status" in exc.value.message_dict


def test_candidate_must_be_a_prospect(gov_user):
    from tests.factories import VendorFactory

    event = services.event_create(actor=gov_user, data={"title": "RFP"})
    with pytest.raises(ValidationError) as exc:
        services.candidate_create(
            actor=gov_user, data={"event": event, "vendor": VendorFactory(status="active")}
        )
    assert "vendor" in exc.value.message_dict


def test_the_transition_plan_pages_answer(event_setup, gov_user, gov_client):
    """A plan has no list page of its own: its page and form show no breadcrumb to one."""
    s = event_setup
    plan = services.event_award(
        event=s["event"], candidate=s["candidates"][1], rationale="Best value", actor=gov_user
    )
    for url in (plan.get_absolute_url(), plan.edit_url, plan.history_url):
        response = gov_client.get(url)
        assert response.status_code == 200, url
    assert b'class="crumbs"' not in gov_client.get(plan.get_absolute_url()).content
