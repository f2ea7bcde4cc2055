"""Calendar periods and the effective window (DESIGN.md section 2, "Periods")."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from slas.evaluation import evaluate
from slas.evaluation.periods import period_bounds, since_floor
from slas.models import Breach, Result
from tests.slas.conftest import TODAY, d, result_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("daily", "2026-02-28", "2026-02-28", "2026-02-28"),
        # ISO week 2026-W01 runs Monday 2025-12-29 to Sunday 2026-01-04.
        ("weekly", "2026-01-01", "2025-12-29", "2026-01-04"),
        ("weekly", "2025-12-29", "2025-12-29", "2026-01-04"),
        ("weekly", "2026-01-04", "2025-12-29", "2026-01-04"),
        ("weekly", "2026-01-05", "2026-01-05", "2026-01-11"),
        ("monthly", "2024-02-29", "2024-02-01", "2024-02-29"),
        ("monthly", "2026-12-31", "2026-12-01", "2026-12-31"),
        ("quarterly", "2026-03-31", "2026-01-01", "2026-03-31"),
        ("quarterly", "2026-11-15", "2026-10-01", "2026-12-31"),
    ],
)
def test_period_bounds_in_python(kind, day, start, end):
    assert period_bounds(kind, d(day)) == (d(start), d(end))


def test_since_floor_reaches_back_to_the_monday_before_the_quarter():
    # 2026-01-01 is a Thursday; the week holding it starts Monday 2025-12-29.
    assert since_floor(d("2026-02-10")) == d("2025-12-29")
    assert since_floor(d("2026-06-30")) == d("2026-03-30")


def test_daily_periods_each_day_its_own_result(make_sla, measure):
    sla = make_sla(period="daily", target="99.5")
    measure(sla, {"2026-03-01": "99.9", "2026-03-02": "99.0"})
    evaluate(today=TODAY)
    rows = list(Result.objects.filter(sla=sla).order_by("period_start").values_list(
        "period_start", "period_end", "status"))  # fmt: skip
    assert rows == [
        (d("2026-03-01"), d("2026-03-01"), "met"),
        (d("2026-03-02"), d("2026-03-02"), "breached"),
    ]


def test_iso_week_across_the_year_end_is_one_period(make_sla, measure):
    sla = make_sla(period="weekly", aggregation="mean", target="99.5")
    # Mon 29 Dec 2025 … Sun 4 Jan 2026: mean (99.0 + 99.6 + 99.3) / 3 = 99.3 -> breached
    measure(sla, {"2025-12-29": "99.0", "2025-12-31": "99.6", "2026-01-04": "99.3"})
    evaluate(today=TODAY)
    result = Result.objects.get(sla=sla)
    assert (result.period_start, result.period_end) == (d("2025-12-29"), d("2026-01-04"))
    assert (result.actual, result.measurement_count, result.status) == (D("99.3"), 3, "breached")
    # Its credit belongs to the month the period ends in: January 2026.
    assert Breach.objects.get(sla=sla).credit_month == d("2026-01-01")


def test_iso_week_across_a_month_end(make_sla, measure):
    sla = make_sla(period="weekly", aggregation="sum", target="10")
    # Mon 27 Apr … Sun 3 May 2026
    measure(sla, {"2026-04-27": "4", "2026-04-30": "3", "2026-05-03": "2"})
    evaluate(today=TODAY)
    result = result_of(sla, "2026-04-27")
    assert (result.period_end, result.actual, result.status) == (d("2026-05-03"), 9, "breached")
    assert Breach.objects.get(sla=sla).credit_month == d("2026-05-01")


def test_quarter_aggregates_its_three_months(make_sla, measure):
    sla = make_sla(period="quarterly", aggregation="mean", target="95")
    measure(sla, {"2026-04-01": "90", "2026-05-01": "96", "2026-06-30": "99", "2026-07-01": "80"})
    evaluate(today=TODAY)
    q2 = result_of(sla, "2026-04-01")
    assert (q2.period_end, q2.actual, q2.measurement_count, q2.status) == (
        d("2026-06-30"), 95, 3, "met",
    )  # fmt: skip
    assert result_of(sla, "2026-07-01").status == "breached"
    assert Breach.objects.get(sla=sla).credit_month == d("2026-09-01")


def test_a_month_with_one_measurement(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5")
    measure(sla, {"2026-02-01": "99.4"})
    evaluate(today=TODAY)
    result = result_of(sla, "2026-02-01")
    assert (result.period_end, result.actual, result.measurement_count) == (
        d("2026-02-28"), D("99.4"), 1,
    )  # fmt: skip
    assert result.status == "breached"


def test_periods_without_measurements_have_no_result(make_sla, measure):
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-15": "99.9", "2026-03-15": "99.9"})
    evaluate(today=TODAY)
    starts = list(Result.objects.filter(sla=sla).values_list("period_start", flat=True))
    assert sorted(starts) == [d("2026-01-01"), d("2026-03-01")]  # no February


def test_an_sla_without_measurements_has_no_results(make_sla):
    make_sla()
    summary = evaluate(today=TODAY)
    assert summary.periods == 0 and Result.objects.count() == 0


# --- the effective window: the whole period must lie inside it ---------------------------


def test_partial_first_and_last_months_are_not_evaluated(make_sla, measure):
    sla = make_sla(period="monthly", effective_from=d("2026-01-15"), effective_to=d("2026-03-15"))
    measure(sla, {"2026-01-20": "90", "2026-02-10": "90", "2026-03-10": "90"})
    evaluate(today=TODAY)
    assert list(Result.objects.filter(sla=sla).values_list("period_start", flat=True)) == [
        d("2026-02-01")
    ]
    assert list(Breach.objects.values_list("period_start", flat=True)) == [d("2026-02-01")]


def test_a_period_ending_on_effective_to_is_evaluated(make_sla, measure):
    sla = make_sla(period="monthly", effective_from=d("2026-02-01"), effective_to=d("2026-02-28"))
    measure(sla, {"2026-01-31": "90", "2026-02-01": "99.9", "2026-03-01": "90"})
    evaluate(today=TODAY)
    assert list(Result.objects.filter(sla=sla).values_list("period_start", "status")) == [
        (d("2026-02-01"), "met")
    ]


def test_a_partial_iso_week_at_the_start_is_not_evaluated(make_sla, measure):
    # Effective from Wednesday 7 Jan 2026: the week of Monday 5 Jan is partial.
    sla = make_sla(period="weekly", effective_from=d("2026-01-07"))
    measure(sla, {"2026-01-08": "90", "2026-01-12": "90"})
    evaluate(today=TODAY)
    assert list(Result.objects.filter(sla=sla).values_list("period_start", flat=True)) == [
        d("2026-01-12")
    ]


def test_moving_the_window_removes_results_and_withdraws_breaches(make_sla, measure):
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-10": "90", "2026-02-10": "99.9"})
    evaluate(today=TODAY)
    assert breach_status(sla, "2026-01-01") == "open"
    sla.effective_from = d("2026-02-01")
    sla.save()
    evaluate(today=TODAY)
    assert list(Result.objects.filter(sla=sla).values_list("period_start", flat=True)) == [
        d("2026-02-01")
    ]
    assert breach_status(sla, "2026-01-01") == "withdrawn"


def breach_status(sla, start):
    return Breach.objects.get(sla=sla, period_start=d(start)).status
