"""The breach workflow: every legal and illegal move, roles, reasons, the transition log, credits.

The breach is made by the engine from real measurements: SLA ``a`` (target
99.5, allocation 20 %) measures 99.2 in January 2026 → breached, major
(critical level 99.0). Contract A's at-risk amount is 10,000.00 × 10 % =
1,000.00, so the credit is 1,000.00 × 20 % = 200.00, in credit month 2026-01.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from slas.evaluation import evaluate
from slas.models import Breach, BreachTransition, Measurement
from slas.services import (
    allowed_actions,
    breach_acknowledge,
    breach_remediate,
    breach_reopen,
    breach_resolve,
    breach_waive,
)
from tests.slas.test_ingestion import build_world

PLAN = {
    "root_cause": "Storage controller firmware",
    "corrective_action": "Upgrade firmware on all arrays",
    "remediation_owner": "Vendor ops lead",
    "remediation_due": dt.date(2026, 3, 31),
}


@pytest.fixture
def w(db):
    return build_world()


def make_breach(w, sla=None, value="99.2") -> Breach:
    sla = sla or w.a
    Measurement.objects.create(sla=sla, date=dt.date(2026, 1, 1), value=D(value))
    evaluate(sla_ids=[sla.pk], today=dt.date(2030, 1, 1))
    return Breach.objects.get(sla=sla)


@pytest.fixture
def breach(w):
    b = make_breach(w)
    assert (b.status, b.severity, b.credit, b.credit_month) == (
        "open",
        "major",
        D("200.00"),
        dt.date(2026, 1, 1),
    )
    return b


def log(b):
    return list(
        BreachTransition.objects.filter(breach=b).values_list(
            "from_status", "to_status", "actor__username", "note"
        )
    )


def test_the_full_chain_is_recorded(w, breach):
    b = breach_acknowledge(breach=breach, actor=w.ma, note="seen")
    assert b.status == "acknowledged"
    b = breach_remediate(breach=b, actor=w.ma, note="plan agreed", **PLAN)
    assert (b.status, b.root_cause, b.remediation_due) == (
        "remediating",
        PLAN["root_cause"],
        dt.date(2026, 3, 31),
    )
    b = breach_resolve(breach=b, actor=w.gov, note="verified")
    assert b.status == "resolved"
    assert log(b) == [
        ("open", "acknowledged", "ma", "seen"),
        ("acknowledged", "remediating", "ma", "plan agreed"),
        ("remediating", "resolved", "governance_office", "verified"),
    ]
    b = breach_reopen(breach=b, actor=w.ma, note="recurred")
    assert b.status == "open"
    assert log(b)[-1] == ("resolved", "open", "ma", "recurred")
    Breach.objects.get(pk=b.pk)  # still one row, never duplicated


def test_remediate_straight_from_open(w, breach):
    assert breach_remediate(breach=breach, actor=w.gov, **PLAN).status == "remediating"


@pytest.mark.parametrize(
    "start, move",
    [
        ("open", "resolve"),
        ("open", "reopen"),
        ("acknowledged", "acknowledge"),
        ("acknowledged", "resolve"),
        ("remediating", "acknowledge"),
        ("remediating", "remediate"),
        ("resolved", "acknowledge"),
        ("resolved", "remediate"),
        ("resolved", "resolve"),
        ("resolved", "waive"),
        ("waived", "acknowledge"),
        ("waived", "waive"),
        ("withdrawn", "acknowledge"),
        ("withdrawn", "remediate"),
        ("withdrawn", "resolve"),
        ("withdrawn", "waive"),
        ("withdrawn", "reopen"),
    ],
)
def test_illegal_moves_are_a_status_error(w, breach, start, move):
    Breach.objects.filter(pk=breach.pk).update(status=start, waiver_reason="x")
    calls = {
        "acknowledge": lambda: breach_acknowledge(breach=breach, actor=w.gov),
        "remediate": lambda: breach_remediate(breach=breach, actor=w.gov, **PLAN),
        "resolve": lambda: breach_resolve(breach=breach, actor=w.gov),
        "waive": lambda: breach_waive(breach=breach, actor=w.gov, reason="r"),
        "reopen": lambda: breach_reopen(breach=breach, actor=w.gov),
    }
    with pytest.raises(ValidationError) as caught:
        calls[move]()
    assert list(caught.value.message_dict) == ["status"]
    assert f"Cannot {move} a breach that is {start}" in caught.value.message_dict["status"][0]
    assert Breach.objects.get(pk=breach.pk).status == start
    assert not BreachTransition.objects.exists()


def test_waive_needs_a_reason_and_the_governance_office(w, breach):
    with pytest.raises(ValidationError) as caught:
        breach_waive(breach=breach, actor=w.gov, reason="  ")
    assert caught.value.message_dict == {"reason": ["This field is required."]}
    with pytest.raises(PermissionDenied):
        breach_waive(breach=breach, actor=w.ma, reason="goodwill")
    assert Breach.objects.get(pk=breach.pk).status == "open"


@pytest.mark.parametrize("start", ["open", "acknowledged", "remediating"])
def test_waive_from_any_open_state_drops_the_credit_and_reopen_restores_it(w, breach, start):
    Breach.objects.filter(pk=breach.pk).update(status=start)
    b = breach_waive(breach=breach, actor=w.gov, reason="Client-side change window")
    assert (b.status, b.waiver_reason, b.credit) == (
        "waived",
        "Client-side change window",
        D("0.00"),
    )
    assert b.credit_uncapped == D("200.00")  # what was given up stays visible
    assert log(b) == [(start, "waived", "governance_office", "Client-side change window")]
    with pytest.raises(PermissionDenied):
        breach_reopen(breach=b, actor=w.ma)  # only the governance office undoes a waiver
    b = breach_reopen(breach=b, actor=w.admin)
    assert (b.status, b.waiver_reason, b.credit) == ("open", "", D("200.00"))


def test_remediate_needs_its_fields(w, breach):
    with pytest.raises(ValidationError) as caught:
        breach_remediate(
            breach=breach,
            actor=w.gov,
            root_cause="",
            corrective_action="x",
            remediation_owner=" ",
            remediation_due=None,
        )
    assert set(caught.value.message_dict) == {"root_cause", "remediation_owner", "remediation_due"}


@pytest.mark.parametrize("who", ["mb", "ua", "ub", "exe", "aud"])
def test_who_may_not_move_a_breach_of_vendor_a(w, breach, who):
    with pytest.raises(PermissionDenied):
        breach_acknowledge(breach=breach, actor=getattr(w, who))
    assert allowed_actions(breach=breach, user=getattr(w, who)) == []


def test_allowed_actions_per_role_and_state(w, breach):
    assert allowed_actions(breach=breach, user=w.gov) == ["acknowledge", "remediate", "waive"]
    assert allowed_actions(breach=breach, user=w.ma) == ["acknowledge", "remediate"]
    Breach.objects.filter(pk=breach.pk).update(status="waived", waiver_reason="x")
    breach.refresh_from_db()
    assert allowed_actions(breach=breach, user=w.gov) == ["reopen"]
    assert allowed_actions(breach=breach, user=w.ma) == []


def test_workflow_survives_recomputation(w, breach):
    b = breach_remediate(breach=breach, actor=w.ma, **PLAN)
    evaluate(sla_ids=[w.a.pk], today=dt.date(2030, 1, 1))
    b.refresh_from_db()
    assert (b.status, b.root_cause) == ("remediating", PLAN["root_cause"])
