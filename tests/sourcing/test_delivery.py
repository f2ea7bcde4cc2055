"""The winner's selection scores beside its delivery, on its page and across vendors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from core import roles
from slas.evaluation import evaluate
from slas.models import Measurement
from sourcing import delivery, services
from tests.factories import ContractFactory, SLAFactory
from tests.sourcing.conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(event_setup, gov_user):
    s = event_setup  # decision date 2026-12-01... moved back so delivery follows it
    event = s["event"]
    event.decision_date = dt.date(2025, 12, 1)
    event.save()
    give(s, s["ann"], 1, [5, 3, 3])  # 76.00
    give(s, s["bob"], 1, [4, 4, 4])  # 80.00
    services.evaluator_submit(event=event, actor=s["ann"])
    services.evaluator_submit(event=event, actor=s["bob"])
    winner = s["candidates"][1]
    plan = services.event_award(event=event, candidate=winner, rationale="Best", actor=gov_user)
    # Delivery: a contract with one SLA (40 % of a 1,000.00 at-risk amount), met in
    # January 2026 and breached in February: attainment 1 of 2 = 50.0 %, one
    # breach, a credit of 400.00.
    contract = ContractFactory(
        vendor=winner.vendor, monthly_charge=D("10000.00"), at_risk_percent=D("10.00")
    )
    sla = SLAFactory(contract=contract, allocation_percent=D("40"))
    Measurement.objects.create(sla=sla, date=dt.date(2026, 1, 5), value=D("100"))
    Measurement.objects.create(sla=sla, date=dt.date(2026, 2, 5), value=D("90"))
    evaluate(today=dt.date(2026, 3, 15))
    return s, winner, plan


def test_selection_beside_delivery_by_hand(awarded, gov_user):
    s, winner, _ = awarded
    picked = delivery.vendor_selection_vs_delivery(user=gov_user, vendor=winner.vendor)
    assert (picked["rank"], picked["average"]) == (1, D("78.00"))
    # Mean scores per criterion: cost (5+4)/2 = 4.50, quality 3.50, security 3.50.
    assert [(c.name, m) for c, m in picked["criteria"]] == [
        ("Cost", D("4.50")),
        ("Quality", D("3.50")),
        ("Security", D("3.50")),
    ]
    done = picked["delivery"]
    assert (done["attainment"], done["results"], done["breaches"], done["credits"]) == (
        D("50.0"),
        2,
        1,
        D("400.00"),
    )
    table = delivery.criterion_weight_vs_delivery(user=gov_user)
    cost = next(r for r in table["criteria"] if r["name"] == "Cost")
    assert (cost["events"], cost["weight"], cost["winner_score"], cost["attainment"]) == (
        1,
        D("40.00"),
        D("4.50"),
        D("50.00"),
    )


def test_vendor_page_shows_transition_and_selection(awarded, gov_client, make_user, client):
    s, winner, plan = awarded
    services.transition_step_create(
        actor=None, data={"plan": plan, "title": "Knowledge transfer", "status": "done"}
    )
    services.transition_step_create(actor=None, data={"plan": plan, "title": "Parallel run"})
    text = gov_client.get(winner.vendor.get_absolute_url()).content.decode()
    assert "Transition in" in text and "1 of 2 steps done (50 %)" in text
    assert "Selection beside delivery" in text and "78.00" in text
    assert gov_client.get(reverse("sourcing:selection_vs_delivery")).status_code == 200
    # A vendor representative sees neither the scores nor the cross-vendor table.
    rep = make_user(roles.VENDOR_USER, vendor=winner.vendor)
    client.force_login(rep)
    text = client.get(winner.vendor.get_absolute_url()).content.decode()
    assert "Selection beside delivery" not in text
    assert client.get(reverse("sourcing:selection_vs_delivery")).status_code == 403


def test_transition_leaves_the_vendor_page_once_active(awarded, gov_client, gov_user):
    from vendors.services import vendor_update

    _, winner, _ = awarded
    assert "Transition in" in gov_client.get(winner.vendor.get_absolute_url()).content.decode()
    vendor_update(instance=winner.vendor, actor=gov_user, data={"status": "active"})
    assert "Transition in" not in gov_client.get(winner.vendor.get_absolute_url()).content.decode()
