"""Early warning: the least-squares trend over the last 6 Results."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from slas.evaluation import evaluate, sla_trends
from tests.slas.conftest import TODAY

pytestmark = pytest.mark.django_db


def monthly(sla, measure, values):
    measure(sla, {f"2026-{i + 1:02d}-01": v for i, v in enumerate(values)})


def test_falling_line_projects_a_breach(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5")
    # 99.9 … 99.55: slope -0.07 a month; next month 99.9 - 0.07 x 6 = 99.48 < 99.5.
    monthly(sla, measure, ["99.9", "99.83", "99.76", "99.69", "99.62", "99.55"])
    evaluate(today=TODAY)
    trend = sla_trends(sla_ids=[sla.pk])[sla.pk]
    assert (trend.slope, trend.projected, trend.results) == (D("-0.07"), D("99.48"), 6)
    assert trend.trending_to_breach is True


def test_only_the_last_six_results_count(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5")
    # Two bad old months, then six flat months at 99.7: the line is flat.
    monthly(sla, measure, ["90", "90", "99.7", "99.7", "99.7", "99.7", "99.7", "99.7"])
    evaluate(today=TODAY)
    trend = sla_trends(sla_ids=[sla.pk])[sla.pk]
    assert (trend.slope, trend.projected, trend.trending_to_breach) == (0, D("99.7"), False)


def test_lower_is_better_mirrors(make_sla, measure):
    sla = make_sla(period="monthly", direction="lower_is_better", target="4")
    # 2, 2.5, 3, 3.5: slope 0.5, next 4.0 -> on target, not beyond it.
    monthly(sla, measure, ["2", "2.5", "3", "3.5"])
    other = make_sla(period="monthly", direction="lower_is_better", target="4")
    # 2, 3, 3.5, 3.6 at x = 0..3: mean x 1.5, mean y 3.025, Sxy 2.65, Sxx 5 ->
    # slope 0.53, intercept 3.025 - 0.53 x 1.5 = 2.23 -> next 2.23 + 0.53 x 4 = 4.35 > 4.
    monthly(other, measure, ["2", "3", "3.5", "3.6"])
    evaluate(today=TODAY)
    trends = sla_trends(sla_ids=[sla.pk, other.pk])
    assert (trends[sla.pk].projected, trends[sla.pk].trending_to_breach) == (D("4"), False)
    assert trends[other.pk].slope == D("0.53")
    assert (trends[other.pk].projected, trends[other.pk].trending_to_breach) == (D("4.35"), True)


def test_fewer_than_three_results_never_warn(make_sla, measure):
    two = make_sla(period="monthly", target="99.5")
    monthly(two, measure, ["99.9", "99.6"])  # would project 99.3
    three = make_sla(period="monthly", target="99.5")
    monthly(three, measure, ["99.9", "99.7", "99.6"])  # slope -0.15 -> 99.4333
    one = make_sla(period="monthly", target="99.5")
    monthly(one, measure, ["99.9"])
    evaluate(today=TODAY)
    trends = sla_trends(sla_ids=[one.pk, two.pk, three.pk])
    assert one.pk not in trends  # one point fits no line
    assert (trends[two.pk].projected, trends[two.pk].trending_to_breach) == (D("99.3"), False)
    assert (trends[three.pk].projected, trends[three.pk].trending_to_breach) == (
        D("99.433333"), True,
    )  # fmt: skip


def test_one_query_for_many_slas(make_sla, measure, django_assert_num_queries):
    slas = [make_sla(period="monthly") for _ in range(5)]
    for sla in slas:
        monthly(sla, measure, ["99.9", "99.8", "99.7"])
    evaluate(today=TODAY)
    with django_assert_num_queries(1):
        trends = sla_trends(sla_ids=[s.pk for s in slas])
    assert len(trends) == 5
    assert sla_trends(sla_ids=[]) == {}
