"""Goals: agreed only by both sides, the vendor through its own login, notified once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core import roles
from improvement import selectors, services
from notifications.models import Notification
from slas.evaluation import evaluate
from tests.factories import ContractFactory, SLAFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(office, north):
    return services.goal_create(
        actor=office,
        data={
            "vendor": north,
            "title": "Cut the cost per transaction",
            "kind": "improvement",
            "baseline_value": D("4.00"),
            "target_value": D("3.00"),
            "unit": "EUR",
            "target_date": dt.date(2027, 6, 30),
        },
    )


def test_agreed_only_with_both_sides(goal, office, rep):
    assert goal.agreement == "draft"
    goal = services.goal_agree(instance=goal, actor=office)
    assert goal.agreement == "awaiting_vendor" and not goal.is_agreed
    goal = services.goal_agree(instance=goal, actor=rep)
    assert goal.agreement == "agreed" and goal.is_agreed
    assert (goal.client_agreed_by, goal.vendor_agreed_by) == (office, rep)


def test_vendor_first_then_client(goal, office, rep):
    assert services.goal_agree(instance=goal, actor=rep).agreement == "awaiting_client"
    assert services.goal_agree(instance=goal, actor=office).agreement == "agreed"
    assert Notification.objects.filter(kind="goal_awaiting_vendor").count() == 0


def test_awaiting_vendor_notified_once(goal, office, rep):
    services.goal_agree(instance=goal, actor=office)
    services.goal_agree(instance=goal, actor=office)  # again: nothing more
    notes = Notification.objects.filter(kind="goal_awaiting_vendor")
    assert [n.user for n in notes] == [rep]
    assert [m.to for m in mail.outbox] == [["rep@north.example"]]


def test_changed_terms_ask_both_sides_again(goal, office, rep):
    services.goal_agree(instance=goal, actor=office)
    services.goal_agree(instance=goal, actor=rep)
    same = services.goal_update(instance=goal, actor=office, data={"title": goal.title})
    assert same.is_agreed  # nothing changed
    changed = services.goal_update(instance=goal, actor=office, data={"target_value": D("2.50")})
    assert changed.agreement == "draft"
    services.goal_agree(instance=changed, actor=office)
    # A new round of agreement asks the vendor again.
    assert Notification.objects.filter(kind="goal_awaiting_vendor").count() == 2


def test_other_vendors_rep_and_read_only_roles_cannot_agree(goal, users, make_user, south):
    other_rep = make_user(roles.VENDOR_USER, vendor=south)
    with pytest.raises(PermissionDenied):
        services.goal_agree(instance=goal, actor=other_rep)
    with pytest.raises(PermissionDenied):
        services.goal_agree(instance=goal, actor=users[roles.EXECUTIVE])
    # the vendor manager owning North may agree for the client
    agreed = services.goal_agree(instance=goal, actor=users[roles.VENDOR_MANAGER])
    assert agreed.agreement == "awaiting_vendor"


def test_contract_of_another_vendor_refused(office, north, south):
    contract = ContractFactory(vendor=south)
    with pytest.raises(ValidationError) as caught:
        services.goal_create(
            actor=office, data={"vendor": north, "contract": contract, "title": "x"}
        )
    assert "contract" in caught.value.message_dict


def test_progress_from_the_latest_result_by_hand(office, north):
    contract = ContractFactory(vendor=north, start_date=dt.date(2025, 1, 1))
    kpi = SLAFactory(
        contract=contract,
        kind="kpi",
        unit="EUR",
        direction="lower_is_better",
        target=D("3.00"),
        allocation_percent=D("0"),
        category="cost",
    )
    other = SLAFactory(contract=contract, kind="kpi", unit="%", allocation_percent=D("0"))
    services.goal_create(
        actor=office,
        data={
            "vendor": north,
            "title": "Cost per transaction",
            "baseline_value": D("4.00"),
            "target_value": D("3.00"),
            "unit": "EUR",
            "slas": [kpi, other],
        },
    )
    _measure(kpi, other)
    evaluate(sla_ids=[kpi.pk, other.pk], today=dt.date(2026, 12, 4))
    [found] = selectors.goals_for(vendor=north)
    # Latest EUR result: October, 3.35. (3.35 − 4.00) / (3.00 − 4.00) = 0.65 → 65.0 %
    assert found.progress == D("65.0")
    assert found.latest_results[kpi.pk].actual == D("3.35")
    assert found.latest_results[other.pk].actual == D("99.9")


def _measure(kpi, other):
    from tests.factories import MeasurementFactory

    MeasurementFactory(sla=kpi, date=dt.date(2026, 9, 1), value=D("3.80"))
    MeasurementFactory(sla=kpi, date=dt.date(2026, 10, 1), value=D("3.35"))
    MeasurementFactory(sla=other, date=dt.date(2026, 11, 1), value=D("99.9"))
