"""Edges of the rules of DESIGN.md section 2 that the other engine tests leave open.

Every figure is worked by hand in the comments. The ``contract`` fixture has a
monthly charge of 10,000.00 at 10 % at risk: an at-risk amount (and monthly
cap) of 1,000.00. SLAs default to monthly, mean, higher is better, target
99.5 and an allocation of 20 % (200.00 a breach).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from slas.evaluation import evaluate, evaluate_touched, sla_trends
from slas.models import Breach, Result
from tests.factories import ContractFactory, SLAFactory
from tests.slas.conftest import TODAY, breach_of, d, dump, result_of

pytestmark = pytest.mark.django_db


def results(sla) -> list[tuple]:
    return list(
        Result.objects.filter(sla=sla)
        .order_by("period_start")
        .values_list("period_start", "period_end", "actual", "status")
    )


def credit_rows(sla) -> list[tuple]:
    return list(
        Breach.objects.filter(sla=sla)
        .order_by("period_start")
        .values_list("period_start", "credit_month", "credit_uncapped", "credit")
    )


# --- status and severity ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "days"),
    [
        ("higher_is_better", "99.5", {
            "2026-03-01": ("99.5", "met", None),  # exactly on target
            "2026-03-02": ("99.500001", "met", None),
            "2026-03-03": ("99.499999", "breached", "major"),
            "2026-03-04": ("0", "breached", "major"),  # no critical level: never critical
        }),
        ("lower_is_better", "4", {
            "2026-03-01": ("4", "met", None),  # exactly on target
            "2026-03-02": ("3.999999", "met", None),
            "2026-03-03": ("4.000001", "breached", "major"),
            "2026-03-04": ("1000", "breached", "major"),
        }),
    ],
)  # fmt: skip
def test_without_warning_or_critical_levels(make_sla, measure, direction, target, days):
    # No warning band: nothing is ever at risk. No critical level: every breach is major.
    sla = make_sla(period="daily", direction=direction, target=target)
    measure(sla, {day: value for day, (value, _, _) in days.items()})
    evaluate(today=TODAY)
    for day, (_, status, severity) in days.items():
        assert result_of(sla, day).status == status, day
        breach = Breach.objects.filter(sla=sla, period_start=d(day)).first()
        assert (breach.severity if breach else None) == severity, day


# Month -> two measurements whose aggregate lands exactly on a boundary.
HIGHER_MEAN = {  # target 99.5, warning 99.8, critical 98; mean of the two values
    "01": (("99.6", "100.0"), D("99.8"), "met", None),  # on the warning level
    "02": (("99.4", "99.6"), D("99.5"), "at_risk", None),  # on target, inside the band
    "03": (("99.0", "99.98"), D("99.49"), "breached", "major"),
    "04": (("97.0", "99.0"), D("98"), "breached", "major"),  # on the critical level
    "05": (("97.0", "98.98"), D("97.99"), "breached", "critical"),
}
LOWER_SUM = {  # target 4, warning 3, critical 8; sum of the two values
    "01": (("1", "2"), D("3"), "met", None),  # on the warning level
    "02": (("1.5", "2"), D("3.5"), "at_risk", None),
    "03": (("2", "2"), D("4"), "at_risk", None),  # on target, inside the band
    "04": (("4", "0.01"), D("4.01"), "breached", "major"),
    "05": (("5", "3"), D("8"), "breached", "major"),  # on the critical level
    "06": (("5", "3.01"), D("8.01"), "breached", "critical"),
}


@pytest.mark.parametrize(
    ("fields", "months"),
    [
        ({"direction": "higher_is_better", "aggregation": "mean", "target": "99.5",
          "warning_level": "99.8", "critical_level": "98"}, HIGHER_MEAN),
        ({"direction": "lower_is_better", "aggregation": "sum", "target": "4",
          "warning_level": "3", "critical_level": "8"}, LOWER_SUM),
    ],
)  # fmt: skip
def test_bands_judge_the_monthly_aggregate_in_both_directions(make_sla, measure, fields, months):
    sla = make_sla(period="monthly", **fields)
    for month, ((first, second), _, _, _) in months.items():
        measure(sla, {f"2026-{month}-05": first, f"2026-{month}-20": second})
    evaluate(today=TODAY)
    for month, (_, actual, status, severity) in months.items():
        result = result_of(sla, f"2026-{month}-01")
        assert (result.actual, result.status, result.measurement_count) == (actual, status, 2)
        breach = Breach.objects.filter(sla=sla, period_start=d(f"2026-{month}-01")).first()
        if severity is None:
            assert breach is None, month
        else:
            # One breach a month, 20 % of 1,000.00 each, far under the cap.
            assert (breach.actual, breach.severity, breach.credit) == (
                actual, severity, D("200.00"),
            ), month  # fmt: skip


@pytest.mark.parametrize("aggregation", ["mean", "sum", "min", "max", "last"])
@pytest.mark.parametrize(
    ("direction", "target", "value", "status"),
    [
        ("higher_is_better", "99.5", "99.5", "met"),  # exactly on target
        ("higher_is_better", "99.5", "99.4", "breached"),
        ("lower_is_better", "4", "4", "met"),
        ("lower_is_better", "4", "4.5", "breached"),
    ],
)
def test_a_month_with_one_measurement_for_every_aggregation(
    make_sla, measure, aggregation, direction, target, value, status
):
    # One value: mean = sum = min = max = last = the value itself.
    sla = make_sla(period="monthly", aggregation=aggregation, direction=direction, target=target)
    measure(sla, {"2026-02-14": value})
    evaluate(today=TODAY)
    result = result_of(sla, "2026-02-01")
    assert (result.period_end, result.actual, result.measurement_count, result.status) == (
        d("2026-02-28"), D(value), 1, status,
    )  # fmt: skip
    if status == "breached":
        assert credit_rows(sla) == [(d("2026-02-01"), d("2026-02-01"), D("200.00"), D("200.00"))]
    else:
        assert not Breach.objects.exists()


@pytest.mark.parametrize(
    ("aggregation", "actual", "status"),
    [
        ("mean", D("2"), "met"),  # (3 + 1 + 2) / 3
        ("sum", D("6"), "breached"),
        ("min", D("1"), "met"),
        ("max", D("3"), "breached"),
        ("last", D("2"), "met"),  # Sunday 4 January, not Monday 5 January's 10
    ],
)
def test_aggregations_take_only_the_iso_week_s_own_measurements(
    make_sla, measure, aggregation, actual, status
):
    # Lower is better, target 2.5. ISO 2026-W01 is Mon 29 Dec 2025 – Sun 4 Jan 2026;
    # the 10s on Sun 28 Dec (W52) and Mon 5 Jan (W02) belong to other weeks.
    sla = make_sla(
        period="weekly", aggregation=aggregation, direction="lower_is_better", target="2.5"
    )
    measure(
        sla,
        {"2025-12-28": "10", "2025-12-29": "3", "2025-12-31": "1", "2026-01-04": "2",
         "2026-01-05": "10"},
    )  # fmt: skip
    evaluate(today=TODAY)
    result = result_of(sla, "2025-12-29")
    assert (result.period_end, result.actual, result.measurement_count, result.status) == (
        d("2026-01-04"), actual, 3, status,
    )  # fmt: skip
    if status == "breached":
        assert breach_of(sla, "2025-12-29").credit_month == d("2026-01-01")


# --- ISO weeks and the month a credit belongs to --------------------------------------------


def test_iso_week_53_across_the_year_end_counts_in_january_s_cap(make_sla, measure):
    # Monthly M at 70 % (700.00) and weekly W at 40 % (400.00 a breached week).
    monthly = make_sla(period="monthly", allocation_percent=D("70"))
    weekly = make_sla(period="weekly", allocation_percent=D("40"))
    measure(monthly, {"2026-12-15": "90", "2027-01-15": "99.9"})  # December breached, January met
    # W52 (Mon 21 – Sun 27 Dec 2026) breached; W53 (Mon 28 Dec 2026 – Sun 3 Jan 2027)
    # breached, all its data in December, but it ends in January 2027.
    measure(weekly, {"2026-12-22": "90", "2026-12-30": "90"})
    evaluate(today=TODAY)
    assert results(weekly)[1][:2] == (d("2026-12-28"), d("2027-01-03"))
    # December: 700 + 400 = 1,100 > 1,000. M: 1,000 x 700 / 1,100 = 636.3636… -> 636.36;
    # W52: 1,000 x 400 / 1,100 = 363.6363… -> 363.64; 1,000.00 exactly, no difference.
    # Had W53 counted in December: 1,500 in all and other shares (466.66, 266.67, 266.67).
    assert credit_rows(monthly) == [
        (d("2026-12-01"), d("2026-12-01"), D("700.00"), D("636.36")),
    ]
    assert credit_rows(weekly) == [
        (d("2026-12-21"), d("2026-12-01"), D("400.00"), D("363.64")),
        (d("2026-12-28"), d("2027-01-01"), D("400.00"), D("400.00")),  # alone in January
    ]


def test_a_week_ending_on_the_last_day_of_a_month_belongs_to_that_month(make_sla, measure):
    # Mon 25 – Sun 31 May 2026 ends in May; Mon 1 – Sun 7 June 2026 is June's.
    weekly = make_sla(period="weekly", allocation_percent=D("40"))
    monthly = make_sla(period="monthly", allocation_percent=D("70"))
    measure(weekly, {"2026-05-31": "90", "2026-06-01": "90"})
    measure(monthly, {"2026-05-15": "90"})
    evaluate(today=TODAY)
    # May: 700 + 400 = 1,100 capped as above (636.36 + 363.64); June: 400.00 alone.
    assert credit_rows(weekly) == [
        (d("2026-05-25"), d("2026-05-01"), D("400.00"), D("363.64")),
        (d("2026-06-01"), d("2026-06-01"), D("400.00"), D("400.00")),
    ]
    assert breach_of(monthly, "2026-05-01").credit == D("636.36")


# --- credits and the cap ------------------------------------------------------------------


def test_credit_rounds_the_at_risk_amount_first_and_half_away_from_zero(db, measure):
    # 3,333.33 x 7.5 % = 249.99975 -> at-risk amount 250.00. Allocation 33.33 %:
    # 250.00 x 33.33 / 100 = 83.325 -> 83.33 (half away from zero; half-even would
    # give 83.32, and 249.99975 x 33.33 / 100 = 83.3249… would give 83.32 too).
    contract = ContractFactory(monthly_charge=D("3333.33"), at_risk_percent=D("7.50"))
    sla = SLAFactory(contract=contract, period="monthly", allocation_percent=D("33.33"))
    measure(sla, {"2026-01-10": "90"})
    evaluate(today=TODAY)
    assert credit_rows(sla) == [(d("2026-01-01"), d("2026-01-01"), D("83.33"), D("83.33"))]
    assert contract.at_risk_amount == D("250.00")


def test_the_engine_cap_equals_the_at_risk_amount_the_contract_shows(db, measure):
    # 100.05 x 10 % = 10.005: a half cent exactly. The engine's cap rounds it half
    # away from zero to 10.01; the contract page must show the same cap.
    contract = ContractFactory(monthly_charge=D("100.05"), at_risk_percent=D("10.00"))
    slas = [
        SLAFactory(contract=contract, period="monthly", allocation_percent=D("100"))
        for _ in range(2)
    ]
    for sla in slas:
        measure(sla, {"2026-01-10": "90"})
    evaluate(today=TODAY)
    # Uncapped 10.01 each, 20.02 > 10.01: shares 10.01 x 10.01 / 20.02 = 5.005 -> 5.01
    # twice = 10.02; the lowest SLA id gives back the cent: 5.00 + 5.01 = 10.01.
    assert [breach_of(s, "2026-01-01").credit for s in slas] == [D("5.00"), D("5.01")]
    assert contract.at_risk_amount == D("10.01")


def test_cap_settles_a_negative_difference_among_equals_on_the_lowest_sla_id(make_sla, measure):
    # Six SLAs at 20 %: 6 x 200 = 1,200 > 1,000. Each 1,000 x 200 / 1,200 = 166.666… ->
    # 166.67; 6 x 166.67 = 1,000.02, so the lowest SLA id gives back 0.02: 166.65.
    slas = [make_sla(period="monthly", allocation_percent=D("20")) for _ in range(6)]
    for sla in slas:
        measure(sla, {"2026-01-10": "90"})
    evaluate(today=TODAY)
    credits = [breach_of(s, "2026-01-01").credit for s in sorted(slas, key=lambda s: s.pk)]
    assert credits == [D("166.65")] + [D("166.67")] * 5
    assert sum(credits) == D("1000.00")


def test_a_waived_breach_takes_no_part_in_a_cap_that_still_bites(make_sla, measure):
    # X (lowest id, 50 % = 500.00) is waived; Y, Z, V at 40 % each are due 1,200 > 1,000:
    # 333.333… -> 333.33 each, 999.99, the cent to the lowest id *due* (Y), not to X.
    # Had X taken part: 1,700 in all, Y's share 1,000 x 400 / 1,700 = 235.29.
    x = make_sla(period="monthly", allocation_percent=D("50"))
    y, z, v = (make_sla(period="monthly", allocation_percent=D("40")) for _ in range(3))
    for sla in (x, y, z, v):
        measure(sla, {"2026-01-10": "90"})
    evaluate(today=TODAY)
    Breach.objects.filter(sla=x).update(status="waived", waiver_reason="Client change freeze")
    # As the breach workflow does after a waiver: the month's credits, afresh.
    evaluate_touched(touched=[(x.pk, d("2026-01-01"))], today=TODAY, refresh_credits=True)
    waived = breach_of(x, "2026-01-01")
    assert (waived.status, waived.credit_uncapped, waived.credit, waived.earn_back) == (
        "waived", D("500.00"), 0, "not_applicable",
    )  # fmt: skip
    assert [breach_of(s, "2026-01-01").credit for s in (y, z, v)] == [
        D("333.34"), D("333.33"), D("333.33"),
    ]  # fmt: skip
    before = dump()
    evaluate(today=TODAY)  # a full run agrees with the touched one
    assert dump() == before


def test_earn_back_leaves_the_cap_as_it_was(contract, make_sla, measure):
    # N = 1. A and B at 60 % breached in January: 1,200 -> 500.00 + 500.00.
    # February: A met (A's January credit earned back), B breached (600.00 alone).
    contract.earn_back_periods = 1
    contract.save()
    a = make_sla(period="monthly", allocation_percent=D("60"))
    b = make_sla(period="monthly", allocation_percent=D("60"))
    measure(a, {"2026-01-10": "90", "2026-02-10": "99.9"})
    measure(b, {"2026-01-10": "90", "2026-02-10": "90"})
    evaluate(today=TODAY)
    jan_a, jan_b, feb_b = (
        breach_of(a, "2026-01-01"),
        breach_of(b, "2026-01-01"),
        breach_of(b, "2026-02-01"),
    )
    # The earned-back 500.00 does not free room under January's cap for B.
    assert (jan_a.credit, jan_a.earn_back) == (D("500.00"), "earned_back")
    assert (jan_b.credit, jan_b.earn_back) == (D("500.00"), "not_earned")  # February breached
    assert (feb_b.credit, feb_b.earn_back) == (D("600.00"), "not_earned")  # March: no data


# --- corrections through the incremental path ---------------------------------------------


def test_a_cured_breach_is_withdrawn_and_the_cap_shared_out_again(make_sla, measure):
    # Three SLAs at 40 %: 1,200 -> 333.34 (lowest id), 333.33, 333.33.
    slas = [make_sla(period="monthly", allocation_percent=D("40")) for _ in range(3)]
    for sla in slas:
        measure(sla, {"2026-01-10": "90"})
    evaluate(today=TODAY)
    assert [breach_of(s, "2026-01-01").credit for s in slas] == [
        D("333.34"), D("333.33"), D("333.33"),
    ]  # fmt: skip
    Breach.objects.filter(sla=slas[1]).update(
        status="acknowledged", root_cause="Failed patch", corrective_action="Roll back"
    )
    measure(slas[0], {"2026-01-10": "99.9"})  # corrected: January met
    evaluate_touched(touched=[(slas[0].pk, d("2026-01-10"))], today=TODAY)
    cured = breach_of(slas[0], "2026-01-01")
    assert (cured.status, cured.status_before_withdrawal, cured.credit, cured.earn_back) == (
        "withdrawn", "open", 0, "not_applicable",
    )  # fmt: skip
    # The other two, not touched, now fit under the cap: 400 + 400 = 800.
    kept = breach_of(slas[1], "2026-01-01")
    assert (kept.credit, kept.status, kept.root_cause, kept.corrective_action) == (
        D("400.00"), "acknowledged", "Failed patch", "Roll back",
    )  # fmt: skip
    assert breach_of(slas[2], "2026-01-01").credit == D("400.00")
    assert Breach.objects.count() == 3  # withdrawn, never deleted
    before = dump()
    evaluate(today=TODAY)
    assert dump() == before


def test_curing_a_breach_in_the_earn_back_window_earns_the_earlier_one_back(
    contract, make_sla, measure
):
    # N = 2: January's credit is earned back if February and March are met or at risk.
    contract.earn_back_periods = 2
    contract.save()
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-10": "98", "2026-02-10": "97", "2026-03-10": "99.9"})
    evaluate(today=TODAY)
    assert breach_of(sla, "2026-01-01").earn_back == "not_earned"  # February breached
    measure(sla, {"2026-02-10": "99.9"})  # February corrected
    evaluate_touched(touched=[(sla.pk, d("2026-02-10"))], today=TODAY)
    assert breach_of(sla, "2026-02-01").status == "withdrawn"
    january = breach_of(sla, "2026-01-01")
    assert (january.earn_back, january.credit) == ("earned_back", D("200.00"))


# --- the effective window and empty periods -------------------------------------------------


def test_quarterly_and_daily_periods_at_the_window_edges(make_sla, measure):
    # Quarterly, effective 1 Feb – 30 Sep 2026: Q1 is partial (not evaluated), Q2 is
    # inside, Q3 ends on effective_to (evaluated), Q4 is outside.
    quarterly = make_sla(
        period="quarterly", effective_from=d("2026-02-01"), effective_to=d("2026-09-30")
    )
    measure(quarterly, {"2026-02-15": "90", "2026-05-15": "99.9", "2026-08-15": "90",
                        "2026-10-15": "90"})  # fmt: skip
    # Daily, effective 10 – 12 March: the 9th and 13th are outside, the 11th is empty.
    daily = make_sla(period="daily", effective_from=d("2026-03-10"), effective_to=d("2026-03-12"))
    measure(daily, {"2026-03-09": "90", "2026-03-10": "99.9", "2026-03-12": "90",
                    "2026-03-13": "90"})  # fmt: skip
    evaluate(today=TODAY)
    assert results(quarterly) == [
        (d("2026-04-01"), d("2026-06-30"), D("99.9"), "met"),
        (d("2026-07-01"), d("2026-09-30"), D("90"), "breached"),
    ]
    assert credit_rows(quarterly) == [
        (d("2026-07-01"), d("2026-09-01"), D("200.00"), D("200.00")),
    ]
    assert results(daily) == [
        (d("2026-03-10"), d("2026-03-10"), D("99.9"), "met"),
        (d("2026-03-12"), d("2026-03-12"), D("90"), "breached"),
    ]


@pytest.mark.parametrize(
    ("effective_from", "effective_to"),
    [("2025-01-01", "2025-12-31"), ("2027-01-01", None)],  # ended before / not yet started
)
def test_an_sla_outside_its_window_has_no_results(make_sla, measure, effective_from, effective_to):
    sla = make_sla(
        period="monthly",
        effective_from=d(effective_from),
        effective_to=d(effective_to) if effective_to else None,
    )
    measure(sla, {"2026-03-10": "90", "2026-06-10": "90"})
    summary = evaluate(today=TODAY)
    assert (summary.periods, summary.breaches) == (0, 0)
    assert not Result.objects.exists() and not Breach.objects.exists()


def test_empty_weeks_have_no_result_and_break_the_earn_back(contract, make_sla, measure):
    contract.earn_back_periods = 1
    contract.save()
    sla = make_sla(period="weekly")
    # W02 (5–11 Jan) breached, W03 (12–18 Jan) empty, W04 (19–25 Jan) breached.
    measure(sla, {"2026-01-06": "90", "2026-01-20": "90"})
    summary = evaluate(today=TODAY)
    assert summary.periods == 2
    assert [row[0] for row in results(sla)] == [d("2026-01-05"), d("2026-01-19")]
    # W02's one following week has no data: no earn-back; W04's (W05) neither.
    assert list(
        Breach.objects.filter(sla=sla).order_by("period_start").values_list("earn_back", "credit")
    ) == [("not_earned", D("200.00")), ("not_earned", D("200.00"))]


# --- recomputation after a rule change -------------------------------------------------------


def test_changing_the_period_kind_re_shares_the_month_the_breach_left(make_sla, measure):
    # A and B at 60 %, both breached in January 2026: 1,200 -> 500.00 + 500.00.
    a = make_sla(period="monthly", allocation_percent=D("60"))
    b = make_sla(period="monthly", allocation_percent=D("60"))
    for sla in (a, b):
        measure(sla, {"2026-01-10": "90"})
    evaluate(today=TODAY)
    assert [breach_of(s, "2026-01-01").credit for s in (a, b)] == [D("500.00")] * 2
    # A becomes quarterly: its breach (same period start, 1 January) is now Q1's and
    # belongs to March. sla_update queues exactly this: evaluate(sla_ids=[A]).
    a.period = "quarterly"
    a.save()
    evaluate(sla_ids=[a.pk], today=TODAY)
    # January holds B alone: 600.00 uncapped; March holds A alone: 600.00.
    assert credit_rows(a) == [(d("2026-01-01"), d("2026-03-01"), D("600.00"), D("600.00"))]
    assert credit_rows(b) == [(d("2026-01-01"), d("2026-01-01"), D("600.00"), D("600.00"))]
    before = dump()
    evaluate(today=TODAY)
    assert dump() == before


# --- the trend: least squares over the last 6 Results, projected one period ahead ----------


def monthly_values(sla, measure, months: dict[int, str]) -> None:
    measure(sla, {f"2026-{month:02d}-01": value for month, value in months.items()})


def test_trend_lower_is_better_uses_only_the_last_six(make_sla, measure):
    sla = make_sla(period="monthly", direction="lower_is_better", target="4")
    # Jan–Feb 9 (dropped), then 1.5, 2, 2.5, 3, 3.5, 4 at x = 0…5: slope 0.5,
    # intercept 1.5, next (x = 6) 1.5 + 0.5 x 6 = 4.5 > 4 -> trending to breach,
    # though the latest month (4) is on target. With all 8 the slope would be < 0.
    monthly_values(sla, measure, {1: "9", 2: "9", 3: "1.5", 4: "2", 5: "2.5", 6: "3",
                                  7: "3.5", 8: "4"})  # fmt: skip
    evaluate(today=TODAY)
    trend = sla_trends(sla_ids=[sla.pk])[sla.pk]
    assert (trend.slope, trend.projected, trend.results, trend.trending_to_breach) == (
        D("0.5"), D("4.5"), 6, True,
    )  # fmt: skip


def test_trend_skips_an_empty_period_and_on_target_is_not_a_breach(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5")
    # January, February, April, May (March empty): 99.9, 99.8, 99.7, 99.6 at x = 0…3
    # (the gap is skipped): slope -0.1, next 99.9 - 0.1 x 4 = 99.5, exactly on target:
    # not on the breached side. Counting March as a gap (x = 0, 1, 3, 4) would give
    # slope -0.07 instead.
    monthly_values(sla, measure, {1: "99.9", 2: "99.8", 4: "99.7", 5: "99.6"})
    evaluate(today=TODAY)
    trend = sla_trends(sla_ids=[sla.pk])[sla.pk]
    assert (trend.slope, trend.projected, trend.results, trend.trending_to_breach) == (
        D("-0.1"), D("99.5"), 4, False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("direction", "target", "months", "slope", "projected", "trending"),
    [
        # Recovering from a breach: 99.0, 99.2, 99.4 -> slope 0.2, next 99.6 >= 99.5.
        ("higher_is_better", "99.5", {1: "99.0", 2: "99.2", 3: "99.4"}, "0.2", "99.6", False),
        # Lower is better, recovering: 6, 5.5, 5, 4.5, 4 -> slope -0.5, next 3.5 <= 4.
        ("lower_is_better", "4", {1: "6", 2: "5.5", 3: "5", 4: "4.5", 5: "4"}, "-0.5", "3.5",
         False),
        # Lower is better, worsening over 3: 3, 3.4, 3.8 -> slope 0.4, next 4.2 > 4.
        ("lower_is_better", "4", {1: "3", 2: "3.4", 3: "3.8"}, "0.4", "4.2", True),
        # Two results: 2, 3.9 -> the line would reach 5.8, but two points never warn.
        ("lower_is_better", "4", {1: "2", 2: "3.9"}, "1.9", "5.8", False),
    ],
)  # fmt: skip
def test_trend_with_fewer_than_six_results(
    make_sla, measure, direction, target, months, slope, projected, trending
):
    sla = make_sla(period="monthly", direction=direction, target=target)
    monthly_values(sla, measure, months)
    evaluate(today=TODAY)
    trend = sla_trends(sla_ids=[sla.pk])[sla.pk]
    assert (trend.slope, trend.projected, trend.results, trend.trending_to_breach) == (
        D(slope), D(projected), len(months), trending,
    )  # fmt: skip


def test_a_breach_arriving_through_the_incremental_path_makes_the_cap_bite(make_sla, measure):
    # Three SLAs at 40 % (400.00 each). A and B breached in January: 800.00, under
    # the 1,000.00 cap. Then C's January measurement arrives, breached: 1,200.00 >
    # 1,000.00, so the month is shared out again, A and B included although
    # their periods were not touched: 333.34 (lowest id), 333.33, 333.33.
    a, b, c = (make_sla(period="monthly", allocation_percent=D("40")) for _ in range(3))
    measure(a, {"2026-01-10": "90"})
    measure(b, {"2026-01-10": "90"})
    evaluate(today=TODAY)
    assert [breach_of(s, "2026-01-01").credit for s in (a, b)] == [D("400.00"), D("400.00")]
    measure(c, {"2026-01-10": "90"})
    evaluate_touched(touched=[(c.pk, d("2026-01-10"))], today=TODAY)
    assert [breach_of(s, "2026-01-01").credit for s in (a, b, c)] == [
        D("333.34"), D("333.33"), D("333.33"),
    ]  # fmt: skip
    # A second value that changes C's actual but not its breach leaves the shares.
    measure(c, {"2026-01-11": "80"})
    evaluate_touched(touched=[(c.pk, d("2026-01-11"))], today=TODAY)
    assert breach_of(c, "2026-01-01").actual == D("85")
    assert [breach_of(s, "2026-01-01").credit for s in (a, b, c)] == [
        D("333.34"), D("333.33"), D("333.33"),
    ]  # fmt: skip
    before = dump()
    evaluate(today=TODAY)  # a full run agrees with the incremental ones
    assert dump() == before
