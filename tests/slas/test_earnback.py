"""Earn-back (DESIGN.md section 2): the N periods right after a breach decide it.

Contract with N = 2 earn-back periods and a monthly SLA (target 99.5, warning
99.8): a January breach is earned back when February and March are both met
or at risk; pending until 31 March has passed.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from slas.evaluation import evaluate, evaluate_touched
from slas.models import Breach, Measurement
from tests.slas.conftest import TODAY, breach_of, d

pytestmark = pytest.mark.django_db


@pytest.fixture
def sla(contract, make_sla):
    contract.earn_back_periods = 2
    contract.save()
    return make_sla(period="monthly", target="99.5", warning_level="99.8")


def january(sla):
    return breach_of(sla, "2026-01-01")


@pytest.mark.parametrize(
    ("february", "march", "state"),
    [
        ("99.9", "99.9", "earned_back"),
        ("99.6", "99.5", "earned_back"),  # at risk counts as good enough
        ("99.0", "99.9", "not_earned"),  # February breached
        ("99.9", "99.4", "not_earned"),  # March breached
        (None, "99.9", "not_earned"),  # February has no data
    ],
)
def test_earn_back_after_the_two_following_months(sla, measure, february, march, state):
    values = {"2026-01-10": "98", "2026-03-10": march}
    if february:
        values["2026-02-10"] = february
    measure(sla, values)
    evaluate(today=TODAY)
    breach = january(sla)
    assert breach.earn_back == state
    assert breach.credit_earned_back == (state == "earned_back")
    assert breach.credit == D("200.00")  # the credit stays shown either way


def test_pending_until_the_last_period_has_ended(sla, measure):
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9", "2026-03-10": "99.9"})
    evaluate(today=d("2026-03-31"))  # March not over yet
    assert january(sla).earn_back == "pending"
    evaluate(today=d("2026-04-01"))
    assert january(sla).earn_back == "earned_back"


def test_pending_while_a_following_period_has_no_data_yet(sla, measure):
    measure(sla, {"2026-01-10": "98"})
    evaluate(today=d("2026-02-15"))
    assert january(sla).earn_back == "pending"
    # February ended without data: no earn-back.
    evaluate(today=d("2026-03-05"))
    assert january(sla).earn_back == "not_earned"


def test_a_breach_inside_the_window_ends_it_before_the_window_ends(sla, measure):
    measure(sla, {"2026-01-10": "98", "2026-02-10": "97"})
    evaluate(today=d("2026-02-20"))
    assert january(sla).earn_back == "not_earned"
    # February is itself a breach, pending on March and April.
    assert breach_of(sla, "2026-02-01").earn_back == "pending"


def test_late_data_reopens_the_question(sla, measure):
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9"})
    evaluate(today=d("2026-04-15"))
    assert january(sla).earn_back == "not_earned"  # March had no data
    measure(sla, {"2026-03-10": "99.9"})
    evaluate_touched(touched=[(sla.pk, d("2026-03-10"))], today=d("2026-04-15"))
    assert january(sla).earn_back == "earned_back"


def test_a_correction_in_the_window_takes_the_earn_back_away(sla, measure):
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9", "2026-03-10": "99.9"})
    evaluate(today=TODAY)
    assert january(sla).earn_back == "earned_back"
    measure(sla, {"2026-02-10": "95"})
    evaluate_touched(touched=[(sla.pk, d("2026-02-10"))], today=TODAY)
    assert january(sla).earn_back == "not_earned"


def test_weekly_window_counts_iso_weeks(contract, make_sla, measure):
    contract.earn_back_periods = 3
    contract.save()
    sla = make_sla(period="weekly")
    # Breach in 2026-W01 (29 Dec–4 Jan); met in W02, W03, W04 (ends Sun 25 Jan).
    measure(
        sla,
        {"2025-12-30": "90", "2026-01-05": "99.9", "2026-01-12": "99.9", "2026-01-19": "99.9"},
    )
    evaluate(today=d("2026-01-25"))
    assert breach_of(sla, "2025-12-29").earn_back == "pending"
    evaluate(today=d("2026-01-26"))
    assert breach_of(sla, "2025-12-29").earn_back == "earned_back"


def test_not_applicable_without_earn_back_periods(contract, make_sla, measure):
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9"})
    evaluate(today=TODAY)
    assert january(sla).earn_back == "not_applicable"


def test_not_applicable_for_waived_breaches_and_kpis(sla, measure, make_sla):
    kpi = make_sla(kind="kpi", allocation_percent=0, period="monthly")
    for item in (sla, kpi):
        measure(item, {"2026-01-10": "98", "2026-02-10": "99.9", "2026-03-10": "99.9"})
    evaluate(today=TODAY)
    assert january(kpi).earn_back == "not_applicable"
    Breach.objects.filter(sla=sla).update(status="waived", waiver_reason="Agreed")
    evaluate(today=TODAY)
    assert january(sla).earn_back == "not_applicable"


def test_a_period_outside_the_effective_window_is_a_period_without_data(sla, measure):
    sla.effective_to = d("2026-02-28")
    sla.save()
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9", "2026-03-10": "99.9"})
    evaluate(today=TODAY)
    assert january(sla).earn_back == "not_earned"
    assert Measurement.objects.filter(sla=sla).count() == 3
