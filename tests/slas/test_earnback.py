"""Earn-back (DESIGN.md section 2): the N periods right after a breach decide it.

Contract with N = 2 earn-back periods and a monthly SLA (target 99.5, warning
99.8): a January breach is earned back when February and March are both met
or at risk; pending until 31 March has passed.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from slas.evaluation import evaluate, evaluate_touched
from slas.models import Breach, Measurement, Result
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


# --- Edges of the set-based computation (sql.SETTLE) --------------------------------------
# The engine counts the ended periods among the N arithmetically (the period
# index of today from the breached period) and reads the N Results with one
# index range scan; these pin the boundaries of both.


def test_weekly_window_across_the_year_end_with_a_missing_week(contract, make_sla, measure):
    contract.earn_back_periods = 3
    contract.save()
    sla = make_sla(period="weekly")
    # Breach in 2025-W51 (Mon 15 Dec); the window is W52 (22 Dec), 2026-W01
    # (29 Dec–Sun 4 Jan, no data) and W02 (5–11 Jan).
    measure(sla, {"2025-12-16": "90", "2025-12-23": "99.9", "2026-01-06": "99.9"})
    evaluate(today=d("2026-01-04"))  # W01's last day: not ended yet
    assert breach_of(sla, "2025-12-15").earn_back == "pending"
    evaluate(today=d("2026-01-05"))  # W01 ended without data
    assert breach_of(sla, "2025-12-15").earn_back == "not_earned"
    # Data for W01 arrives: earned back once W02 has ended (Sunday 11 January).
    measure(sla, {"2026-01-01": "99.6"})
    evaluate(today=d("2026-01-11"))
    assert breach_of(sla, "2025-12-15").earn_back == "pending"
    evaluate(today=d("2026-01-12"))
    assert breach_of(sla, "2025-12-15").earn_back == "earned_back"


def test_quarterly_window(contract, make_sla, measure):
    contract.earn_back_periods = 2
    contract.save()
    sla = make_sla(period="quarterly", target="99.5", warning_level="99.8")
    # Breach in Q4 2025; Q1 2026 met, Q2 2026 at risk; Q3 breached but outside the window.
    measure(sla, {"2025-11-15": "98", "2026-02-15": "99.9", "2026-05-15": "99.6"})
    measure(sla, {"2026-08-15": "90"})
    evaluate(today=d("2026-04-01"))  # Q1 ended with a Result, Q2 still running
    assert breach_of(sla, "2025-10-01").earn_back == "pending"
    evaluate(today=d("2026-06-30"))  # Q2's last day
    assert breach_of(sla, "2025-10-01").earn_back == "pending"
    evaluate(today=d("2026-07-01"))
    assert breach_of(sla, "2025-10-01").earn_back == "earned_back"
    # Q2 is itself not a breach; Q3 is, and Q4 2026/Q1 2027 have no data.
    assert breach_of(sla, "2026-07-01").earn_back == "pending"
    evaluate(today=TODAY)
    assert breach_of(sla, "2026-07-01").earn_back == "not_earned"


def test_daily_window_counts_only_the_days_that_have_ended(contract, make_sla, measure):
    contract.earn_back_periods = 3
    contract.save()
    sla = make_sla(period="daily")
    # Breach on 10 Jan; the window is 11, 12, 13 Jan; 12 Jan has no data yet.
    measure(sla, {"2026-01-10": "90", "2026-01-11": "99.9", "2026-01-13": "99.9"})
    evaluate(today=d("2026-01-12"))  # only the 11th has ended, and it has a Result
    assert breach_of(sla, "2026-01-10").earn_back == "pending"
    evaluate(today=d("2026-01-13"))  # the 12th has ended without one
    assert breach_of(sla, "2026-01-10").earn_back == "not_earned"
    measure(sla, {"2026-01-12": "99.9"})
    evaluate(today=d("2026-01-13"))  # the 13th is today: not ended
    assert breach_of(sla, "2026-01-10").earn_back == "pending"
    evaluate(today=d("2026-01-14"))
    assert breach_of(sla, "2026-01-10").earn_back == "earned_back"


def test_more_earn_back_periods_than_have_elapsed(contract, make_sla, measure):
    contract.earn_back_periods = 6
    contract.save()
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9", "2026-03-10": "99.9"})
    evaluate(today=d("2026-01-15"))  # the breached month itself is still running
    assert january(sla).earn_back == "pending"
    evaluate(today=d("2026-04-01"))  # 2 of the 6 ended, both met
    assert january(sla).earn_back == "pending"
    evaluate(today=d("2026-05-01"))  # April ended without data
    assert january(sla).earn_back == "not_earned"


def test_the_window_ends_after_n_periods(sla, measure):
    # N = 2: a breached April is not part of January's window (February, March).
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9", "2026-03-10": "99.9"})
    measure(sla, {"2026-04-10": "90"})
    evaluate(today=TODAY)
    assert january(sla).earn_back == "earned_back"
    assert breach_of(sla, "2026-04-01").earn_back == "not_earned"  # May, June: no data


def test_a_result_left_from_another_period_kind_is_not_one_of_the_n(sla, measure):
    # N = 2, monthly: January earned back on February and March.
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9", "2026-03-10": "99.9"})
    evaluate(today=TODAY)
    assert january(sla).earn_back == "earned_back"
    # Daily for a while, re-evaluated from 10 February: the February and March
    # month Results are replaced by the daily ones of 10 February and 10 March.
    sla.period = "daily"
    sla.save()
    evaluate(since=d("2026-02-10"), today=TODAY)
    # Monthly again, re-evaluated from 1 March: March is a month again, the
    # daily Result of 10 February (ending before 1 March) stays where it is.
    sla.period = "monthly"
    sla.save()
    evaluate(since=d("2026-03-01"), today=TODAY)
    assert Result.objects.filter(sla=sla).count() == 3  # January, 10 February, March
    # February (the month) has no Result: the daily one inside it does not count.
    assert january(sla).earn_back == "not_earned"


def test_a_breach_left_from_another_period_kind_steps_from_its_own_start(
    contract, make_sla, measure
):
    contract.earn_back_periods = 1
    contract.save()
    sla = make_sla(period="weekly")
    measure(sla, {"2026-03-31": "90"})  # breach in the week of Monday 30 March
    evaluate(today=d("2026-04-01"))
    sla.period = "monthly"
    sla.save()
    # Re-evaluated from 6 April, the weekly breach (ending 5 April) is kept as
    # it was; its window is the month-long period one step on from 30 March:
    # 30 April to 29 May (30 April + 1 month - 1 day), which has no Result.
    evaluate(since=d("2026-04-06"), today=d("2026-05-29"))
    assert breach_of(sla, "2026-03-30").status == "open"
    assert breach_of(sla, "2026-03-30").earn_back == "pending"
    evaluate(since=d("2026-04-06"), today=d("2026-05-30"))
    assert breach_of(sla, "2026-03-30").earn_back == "not_earned"
