"""Recomputation is idempotent (DESIGN.md section 2): any order, any split, same rows.

One portfolio — two contracts, every period kind and aggregation, a KPI,
earn-back, a cap that bites — evaluated as a whole is the reference; every
other way of getting there (SLA by SLA backwards, by ``since`` windows, by
touched dates in random chunks from the latest period back, interrupted
halfway, in small batches) must end in identical tables.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D

import pytest

from slas.evaluation import evaluate, evaluate_batch, evaluate_touched, plan_batches
from slas.models import Breach, Measurement, Result
from tests.factories import ContractFactory, SLAFactory
from tests.slas.conftest import BREACH_COLUMNS, dump

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 20)  # mid-data: some earn-back windows still pending
START, DAYS = dt.date(2025, 11, 20), 130


@pytest.fixture
def portfolio(db):
    return build_portfolio()


def build_portfolio():
    a = ContractFactory(
        monthly_charge=D("10000.00"), at_risk_percent=D("10.00"), earn_back_periods=2
    )
    b = ContractFactory(monthly_charge=D("5000.00"), at_risk_percent=D("12.50"))
    specs = [
        (a, {"period": "monthly", "aggregation": "mean", "allocation_percent": D("40")}),
        (a, {"period": "weekly", "aggregation": "sum", "direction": "lower_is_better",
                 "target": D("30"), "warning_level": D("25"), "critical_level": D("40"),
                 "allocation_percent": D("40")}),
        (a, {"period": "daily", "aggregation": "min", "allocation_percent": D("40"),
                 "target": D("97"), "critical_level": D("94")}),
        (a, {"kind": "kpi", "period": "monthly", "aggregation": "max",
             "allocation_percent": D("0")}),
        (b, {"period": "quarterly", "aggregation": "last", "allocation_percent": D("60")}),
        (b, {"period": "weekly", "aggregation": "mean", "allocation_percent": D("70"),
                 "warning_level": D("99.7"), "effective_from": dt.date(2025, 12, 3)}),
    ]  # fmt: skip
    rng = random.Random(20260101)
    slas, rows = [], []
    for contract, fields in specs:
        sla = SLAFactory(contract=contract, **fields)
        slas.append(sla)
        for offset in range(DAYS):
            if rng.random() < 0.15:
                continue  # days without data: some periods end up empty
            day = START + dt.timedelta(days=offset)
            if sla.direction == "lower_is_better":
                value = D(rng.randint(0, 9))
            else:
                value = D(rng.randint(9800, 10000)) / 100
            rows.append(Measurement(sla=sla, date=day, value=value))
    Measurement.objects.bulk_create(rows)
    return slas


def strip(rows):
    """Drop breach ids: rows rebuilt from scratch get new ids."""
    index = BREACH_COLUMNS.index("id")
    return [row[:index] + row[index + 1 :] for row in rows]


def wipe():
    Breach.objects.all().delete()
    Result.objects.all().delete()


def touched_pairs():
    return list(Measurement.objects.values_list("sla_id", "date"))


def test_the_portfolio_exercises_every_rule(portfolio):
    evaluate(today=TODAY)
    breaches = Breach.objects.all()
    assert {b.severity for b in breaches} == {"major", "critical"}
    assert {b.earn_back for b in breaches} >= {"not_applicable", "pending", "not_earned"}
    assert any(b.credit < b.credit_uncapped for b in breaches)  # a cap bites
    assert Result.objects.filter(status="met").exists()
    assert Result.objects.filter(status="at_risk").exists()


def test_evaluating_again_changes_nothing(portfolio):
    evaluate(today=TODAY)
    before = dump()
    summary = evaluate(today=TODAY)
    assert dump() == before
    assert (summary.results_written, summary.results_deleted, summary.breaches_new) == (0, 0, 0)


@pytest.mark.parametrize(
    "how",
    ["sla_by_sla_backwards", "since_windows", "touched_backwards", "interrupted", "small_batches"],
)
def test_any_order_from_scratch_gives_the_same_rows(portfolio, how):
    evaluate(today=TODAY)
    results, breaches = dump()
    wipe()
    if how == "sla_by_sla_backwards":
        for sla in reversed(portfolio):
            evaluate(sla_ids=[sla.pk], today=TODAY)
    elif how == "since_windows":
        for since in ("2026-03-01", "2026-02-01", "2025-12-15", "2025-01-01"):
            evaluate(since=dt.date.fromisoformat(since), today=TODAY)
    elif how == "touched_backwards":
        pairs = sorted(touched_pairs(), key=lambda p: p[1], reverse=True)
        random.Random(5).shuffle(pairs[: len(pairs) // 2])
        for i in range(0, len(pairs), 37):
            evaluate_touched(touched=pairs[i : i + 37], today=TODAY)
    elif how == "interrupted":
        # A run that died after its first batch, then a full run.
        evaluate_batch(batch=plan_batches(sla_ids=[portfolio[4].pk])[0], today=TODAY)
        evaluate(today=TODAY)
    elif how == "small_batches":
        batches = plan_batches(max_slas=1)
        assert len(batches) == 2  # whole contracts: never split
        for batch in reversed(batches):
            evaluate_batch(batch=batch, today=TODAY)
    new_results, new_breaches = dump()
    assert new_results == results
    assert strip(new_breaches) == strip(breaches)


def test_workflow_survives_any_recomputation(portfolio):
    evaluate(today=TODAY)
    first, second, third = Breach.objects.order_by("id")[:3]
    Breach.objects.filter(pk=first.pk).update(
        status="acknowledged", root_cause="Capacity", corrective_action="Scale out"
    )
    Breach.objects.filter(pk=second.pk).update(status="waived", waiver_reason="Client outage")
    Breach.objects.filter(pk=third.pk).update(
        status="resolved", remediation_owner="Vendor SDM", remediation_due=dt.date(2026, 4, 1)
    )
    evaluate(today=TODAY)  # the waiver frees room under the cap
    reference = dump()
    evaluate(sla_ids=[p.pk for p in reversed(portfolio)], today=TODAY)
    evaluate(since=dt.date(2026, 1, 1), today=TODAY)
    evaluate_touched(touched=touched_pairs(), today=TODAY)
    assert dump() == reference
    first.refresh_from_db()
    assert (first.status, first.root_cause, first.corrective_action) == (
        "acknowledged", "Capacity", "Scale out",
    )  # fmt: skip


def test_evaluate_touched_equals_a_full_evaluation_after_corrections(portfolio):
    evaluate(today=TODAY)
    rng = random.Random(99)
    measurements = list(Measurement.objects.order_by("id"))
    for round_ in range(4):
        sample = rng.sample(measurements, 25)
        touched = []
        for m in sample[:20]:  # corrections, both ways
            m.value = D(rng.randint(0, 9)) if m.value < 10 else D(rng.randint(9700, 10000)) / 100
            touched.append((m.sla_id, m.date))
        Measurement.objects.bulk_update(sample[:20], ["value"])
        gone = [m for m in sample[20:] if m.pk]
        touched += [(m.sla_id, m.date) for m in gone]
        Measurement.objects.filter(pk__in=[m.pk for m in gone]).delete()
        measurements = [m for m in measurements if m not in gone]
        evaluate_touched(touched=touched, today=TODAY)
        incremental = dump()
        summary = evaluate(today=TODAY)
        assert dump() == incremental, f"round {round_}"
        assert (summary.results_written, summary.results_deleted) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_batches_on_parallel_connections_give_the_same_rows_and_keep_the_actor(settings):
    # Outside a transaction the batches of one call run on several connections
    # at once (each commits on its own); the rows must be those of one batch
    # after the other, and every audit event must keep the caller's context.
    from django.apps import apps

    from core.audit import actor_context
    from core.models import User

    portfolio = build_portfolio()
    settings.SLAS_EVALUATION_THREADS = 1
    evaluate(today=TODAY, max_slas=1)  # two batches (two contracts), in turn
    results, breaches = dump()
    wipe()
    settings.SLAS_EVALUATION_THREADS = 2
    officer = User.objects.create_user("parallel-officer")
    event_model = apps.get_model("slas", "BreachEvent")
    seen = event_model.objects.order_by("-pgh_id").values_list("pgh_id", flat=True).first()
    with actor_context(user=officer, source="test"):
        summary = evaluate(today=TODAY, max_slas=1)
    assert summary.batches == 2
    assert dump()[0] == results
    assert strip(dump()[1]) == strip(breaches)
    events = event_model.objects.filter(pgh_label="insert", pgh_id__gt=seen)
    assert events.count() == len(breaches)
    contexts = {(e.pgh_context.metadata.get("user"), e.pgh_context.metadata.get("source"))
                for e in events.select_related("pgh_context")}  # fmt: skip
    assert contexts == {(officer.pk, "test")}
    # The incremental path takes the same road.
    before = dump()
    evaluate_touched(touched=touched_pairs(), today=TODAY, touched_max_slas=1)
    assert dump() == before
    assert {sla.contract_id for sla in portfolio} == {
        b.contract_lo for b in plan_batches(max_slas=1)
    }


def test_a_since_pass_withdraws_cured_breaches_inside_its_window_only(portfolio):
    # Two breached periods of one SLA are cured by corrections; a pass over the
    # periods ending on/after `since` withdraws the later one and leaves the
    # earlier one, outside its window, as it was (a full pass withdraws it too).
    evaluate(today=TODAY)
    since = dt.date(2026, 2, 1)
    open_breaches = Breach.objects.filter(status="open").order_by("sla_id", "period_start")
    before = next(b for b in open_breaches if b.period_end < since)
    after = next(b for b in open_breaches if b.period_end >= since and b.sla_id == before.sla_id)
    best = D("0") if before.sla.direction == "lower_is_better" else D("100")
    for breach in (before, after):
        Measurement.objects.filter(
            sla_id=breach.sla_id, date__range=(breach.period_start, breach.period_end)
        ).update(value=best)
    summary = evaluate(since=since, today=TODAY)
    before.refresh_from_db()
    after.refresh_from_db()
    assert (after.status, after.credit, after.status_before_withdrawal) == (
        "withdrawn", D("0.00"), "open",
    )  # fmt: skip
    assert before.status == "open"
    assert summary.breaches_withdrawn == 1
    evaluate(today=TODAY)
    before.refresh_from_db()
    assert before.status == "withdrawn"
