"""Days added after a period's last measured date are folded into its stored aggregate.

``evaluate_touched`` reads a period whole unless its Result holds the
aggregate up to a date before every touched day (slas.evaluation.sql, the
touched scope). These tests hold it to the rows a full evaluation gives, for
every aggregation, whatever arrives: days in order, several at once, gaps,
corrections and deletions between them, a changed aggregation or period.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D

import pytest
from django.db import transaction

from slas.evaluation import evaluate, evaluate_touched
from slas.models import SLA, Measurement, Result
from tests.slas.conftest import dump, result_of
from tests.slas.test_evaluation_recompute import DAYS, START, TODAY, build_portfolio

pytestmark = pytest.mark.django_db


def full_rows():
    """(the rows now, the rows after a full evaluation); the database is left as it is.

    A full evaluation reads every period whole, so it is the reference: after
    the incremental path it must find nothing to change. (Not one from
    scratch: a breach that a later day cured stays, withdrawn.)
    """
    current = dump()
    with transaction.atomic():
        summary = evaluate(today=TODAY)
        reference = dump()
        transaction.set_rollback(True)
    assert (summary.results_written, summary.results_deleted) == (0, 0)
    return current, reference


@pytest.mark.parametrize("aggregation", ["mean", "sum", "min", "max", "last"])
@pytest.mark.parametrize("direction", ["higher_is_better", "lower_is_better"])
def test_each_appended_day_gives_the_rows_of_a_full_evaluation(make_sla, aggregation, direction):
    levels = (
        {"target": D("99.5"), "warning_level": D("99.7"), "critical_level": D("98")}
        if direction == "higher_is_better"
        else {"target": D("30"), "warning_level": D("25"), "critical_level": D("40")}
    )
    sla = make_sla(aggregation=aggregation, direction=direction, **levels)
    rng = random.Random(f"{aggregation}{direction}")
    day = dt.date(2026, 1, 1)
    Measurement.objects.create(sla=sla, date=day, value=D("99.6"))
    evaluate(today=TODAY)
    for _ in range(40):  # into February: new periods begin on the path too
        day += dt.timedelta(days=rng.choice([1, 1, 1, 2]))  # some days without data
        value = D(rng.randint(9700, 10000)) / 100 if rng.random() < 0.8 else D(rng.randint(0, 45))
        Measurement.objects.create(sla=sla, date=day, value=value)
        evaluate_touched(touched=[(sla.pk, day)], today=TODAY)
        current, reference = full_rows()
        assert current == reference, day


def test_a_period_with_six_decimals_keeps_its_mean_exact(make_sla):
    # 1/3 has no finite decimal form: the mean is the exact sum over the count,
    # never a rounded mean carried forward.
    sla = make_sla(target=D("0.333333"), warning_level=D("0.333334"))
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(3)]
    for day, value in zip(days, ["0.000001", "0.999998", "0.000001"], strict=True):
        Measurement.objects.create(sla=sla, date=day, value=D(value))
        evaluate_touched(touched=[(sla.pk, day)], today=TODAY)
    result = result_of(sla, "2026-03-01")
    # 1.000000 / 3 = 0.3333333…: above the target, below the warning level.
    assert (result.actual, result.status, result.value_sum, result.measurement_count) == (
        D("0.333333"), "at_risk", D("1.000000"), 3,
    )  # fmt: skip


def test_the_stored_aggregate_is_what_the_next_day_is_folded_into(make_sla):
    # White box, to show the short path runs: a measurement changed behind the
    # engine's back (no evaluation queued, which no write path of Covenant
    # does) stays out of the next day's fold; the evaluation touching the
    # changed day rebuilds the period from all its measurements.
    sla = make_sla(aggregation="sum", target=D("0"))
    for i in range(3):
        Measurement.objects.create(sla=sla, date=dt.date(2026, 4, 1 + i), value=D("10"))
    evaluate(today=TODAY)
    assert (result_of(sla, "2026-04-01").actual, result_of(sla, "2026-04-01").last_date) == (
        D("30"), dt.date(2026, 4, 3),
    )  # fmt: skip
    Measurement.objects.filter(sla=sla, date=dt.date(2026, 4, 2)).update(value=D("15"))
    Measurement.objects.create(sla=sla, date=dt.date(2026, 4, 4), value=D("10"))
    evaluate_touched(touched=[(sla.pk, dt.date(2026, 4, 4))], today=TODAY)
    assert result_of(sla, "2026-04-01").actual == D("40")  # 30 stored + 10 folded in
    evaluate_touched(touched=[(sla.pk, dt.date(2026, 4, 2))], today=TODAY)
    result = result_of(sla, "2026-04-01")
    assert (result.actual, result.measurement_count, result.last_date) == (
        D("45"), 4, dt.date(2026, 4, 4),
    )  # fmt: skip


def test_a_changed_aggregation_or_period_reads_the_period_whole(make_sla):
    sla = make_sla(aggregation="max", target=D("0"))
    for i, value in enumerate(["5", "9", "7"]):
        Measurement.objects.create(sla=sla, date=dt.date(2026, 5, 1 + i), value=D(value))
    evaluate(today=TODAY)
    # The definition changes without its re-evaluation having run yet.
    SLA.objects.filter(pk=sla.pk).update(aggregation="min")
    Measurement.objects.create(sla=sla, date=dt.date(2026, 5, 4), value=D("6"))
    evaluate_touched(touched=[(sla.pk, dt.date(2026, 5, 4))], today=TODAY)
    result = result_of(sla, "2026-05-01")
    assert (result.actual, result.aggregation, result.measurement_count) == (D("5"), "min", 4)
    # Monthly to weekly: 2026-06-01 is a Monday, so both periods start there.
    SLA.objects.filter(pk=sla.pk).update(period="weekly")
    Measurement.objects.create(sla=sla, date=dt.date(2026, 6, 1), value=D("8"))
    evaluate_touched(touched=[(sla.pk, dt.date(2026, 6, 1))], today=TODAY)
    Result.objects.filter(sla=sla, period_start=dt.date(2026, 6, 1)).update(
        period_end=dt.date(2026, 6, 30)  # as a monthly evaluation left it
    )
    Measurement.objects.create(sla=sla, date=dt.date(2026, 6, 2), value=D("3"))
    evaluate_touched(touched=[(sla.pk, dt.date(2026, 6, 2))], today=TODAY)
    result = result_of(sla, "2026-06-01")
    assert (result.period_end, result.actual, result.measurement_count) == (
        dt.date(2026, 6, 7), D("3"), 2,
    )  # fmt: skip


def test_days_arriving_in_order_with_corrections_give_the_rows_of_a_full_evaluation():
    # The recomputation portfolio (every period kind and aggregation, both
    # directions, a KPI, earn-back, a cap that bites, a late effective date),
    # fed day by day as an integration would, some days in twos, with
    # corrections and deletions of earlier days in between.
    build_portfolio()
    rng = random.Random(31)
    everything = list(
        Measurement.objects.order_by("date", "sla_id").values("sla_id", "date", "value")
    )
    Measurement.objects.all().delete()
    evaluate(today=TODAY)
    by_day: dict[dt.date, list[dict]] = {}
    for row in everything:
        by_day.setdefault(row["date"], []).append(row)
    days = [START + dt.timedelta(days=i) for i in range(DAYS)]
    i = 0
    while i < len(days):
        chunk = days[i : i + rng.choice([1, 1, 2])]
        i += len(chunk)
        rows = [row for day in chunk for row in by_day.get(day, [])]
        Measurement.objects.bulk_create(Measurement(**row) for row in rows)
        touched = [(row["sla_id"], row["date"]) for row in rows]
        if rng.random() < 0.3:
            earlier = list(Measurement.objects.filter(date__lt=chunk[0]).order_by("?")[:3])
            for m in earlier[:2]:
                m.value = m.value + D("0.5") if m.value < 10 else m.value - D("1.25")
            Measurement.objects.bulk_update(earlier[:2], ["value"])
            Measurement.objects.filter(pk__in=[m.pk for m in earlier[2:]]).delete()
            touched += [(m.sla_id, m.date) for m in earlier]
        evaluate_touched(touched=touched, today=TODAY)
    current, reference = full_rows()
    assert current == reference
    assert Result.objects.filter(measurement_count__gt=1).count() > 30  # periods were folded into
