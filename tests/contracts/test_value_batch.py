"""The batch reader ``contract_values`` gives each contract exactly what ``contract_value``
gives it alone, and reads a fixed number of queries whatever the number of contracts.

TODAY 2026-07-15 → months January to June 2026. At-risk amount 10,000.00 × 10 % =
1,000.00 a month for every contract.

* North: baseline 1,200,000.00 (100,000.00 a month); +120,000.00 approved from
  2026-03-01 → 110,000.00 a month from March; February missing; a March breach of
  a 40 % SLA → credit 400.00 in March; a volume KPI of 2,000 in April.
* South (another vendor): baseline 600,000.00 (50,000.00 a month); May missing; an
  April breach of a 20 % SLA → credit 200.00 in April; no adjustment (one proposed
  change request counts for nothing).
* Later: starts in 2026-09 → no months yet, but its approved adjustment is listed.
* Plain: no business case (baseline 0.00), spend in January only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.value import contract_value, contract_values, value_payload
from slas.evaluation import evaluate
from slas.models import Measurement
from tests.factories import ChangeRequestFactory, ContractFactory, SLAFactory, SpendRecordFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 15)


def _contract(*, baseline: str, spend: dict[int, str], start=dt.date(2026, 1, 1), **extra):
    contract = ContractFactory(
        start_date=start,
        end_date=dt.date(2027, 12, 31),
        monthly_charge=D("10000.00"),
        at_risk_percent=D("10.00"),
        baseline_annual_cost=D(baseline),
        target_savings_percent=D("10.00"),
        **extra,
    )
    for month, amount in spend.items():
        SpendRecordFactory(contract=contract, month=dt.date(2026, month, 1), amount=D(amount))
    return contract


def _breach(contract, *, allocation: str, month: int) -> None:
    sla = SLAFactory(
        contract=contract, allocation_percent=D(allocation), effective_from=dt.date(2026, 1, 1)
    )
    Measurement.objects.create(sla=sla, date=dt.date(2026, month, 5), value=D("90"))


@pytest.fixture
def contracts():
    north = _contract(
        baseline="1200000.00",
        spend={1: "90000", 3: "95000", 4: "100000", 5: "105000", 6: "98000"},
        transition_cost=D("30000.00"),
        transition_cost_month=dt.date(2026, 1, 1),
    )
    ChangeRequestFactory(
        contract=north,
        status="approved",
        baseline_adjustment=D("120000.00"),
        baseline_adjustment_date=dt.date(2026, 3, 1),
    )
    _breach(north, allocation="40", month=3)
    volume = SLAFactory(
        contract=north,
        kind="kpi",
        unit="count",
        aggregation="sum",
        allocation_percent=D("0"),
        target=D("1"),
        effective_from=dt.date(2026, 1, 1),
    )
    Measurement.objects.create(sla=volume, date=dt.date(2026, 4, 1), value=D("2000"))

    south = _contract(
        baseline="600000.00", spend={1: "48000", 2: "47000", 3: "46000", 4: "45000", 6: "44000"}
    )
    ChangeRequestFactory(
        contract=south,
        status="proposed",
        baseline_adjustment=D("-300000.00"),
        baseline_adjustment_date=dt.date(2026, 1, 1),
    )
    _breach(south, allocation="20", month=4)

    later = _contract(baseline="240000.00", spend={}, start=dt.date(2026, 9, 1))
    ChangeRequestFactory(
        contract=later,
        status="approved",
        baseline_adjustment=D("12000.00"),
        baseline_adjustment_date=dt.date(2026, 10, 1),
    )
    plain = _contract(baseline="0.00", spend={1: "1000"})
    evaluate(today=TODAY)
    return [north, south, later, plain]


def test_the_batch_equals_contract_value_for_each_contract(contracts, gov_user):
    north, south, later, plain = contracts
    batch = contract_values(contracts=contracts, user=gov_user, today=TODAY)
    assert set(batch) == {c.pk for c in contracts}
    for contract in contracts:
        alone = contract_value(contract=contract, user=gov_user, today=TODAY)
        assert value_payload(batch[contract.pk]) == value_payload(alone), contract.reference
        assert batch[contract.pk].volume_kpi == alone.volume_kpi

    # By hand: each contract's own credits, adjustments and missing months, none of
    # another's (a batch keyed wrongly would mix them).
    n = {m.month.month: m for m in batch[north.pk].months}
    assert (n[3].baseline, n[3].credits, n[3].saving) == (
        D("110000.00"), D("400.00"), D("15400.00")
    )  # fmt: skip
    assert n[2].missing and n[4].credits == D("0.00")
    assert n[4].volume == D("2000") and n[4].cost_per_transaction == D("50.0000")
    assert batch[north.pk].payback_month == dt.date(2026, 4, 1)
    assert batch[north.pk].total_saving == D("52400.00")

    s = {m.month.month: m for m in batch[south.pk].months}
    assert [s[m].baseline for m in (1, 6)] == [D("50000.00"), D("50000.00")]
    assert (s[3].credits, s[4].credits, s[4].net_spend, s[4].saving) == (
        D("0.00"), D("200.00"), D("44800.00"), D("5200.00")
    )  # fmt: skip
    assert batch[south.pk].missing_months == [dt.date(2026, 5, 1)]
    assert batch[south.pk].adjustments == [] and batch[south.pk].volume_kpi is None
    # 2,000 + 3,000 + 4,000 + 5,200 + 6,000
    assert batch[south.pk].total_saving == D("20200.00")

    assert batch[later.pk].months == [] and len(batch[later.pk].adjustments) == 1
    p = batch[plain.pk].months
    assert len(p) == 6 and p[0].saving == D("-1000.00") and len(batch[plain.pk].missing_months) == 5


def test_the_batch_reads_a_fixed_number_of_queries(contracts, gov_user):
    # Warm: the user's role is read once and kept on the user for the permission rule.
    contract_values(contracts=contracts[:1], user=gov_user, today=TODAY)
    with CaptureQueriesContext(connection) as one:
        contract_values(contracts=contracts[:1], user=gov_user, today=TODAY)
    with CaptureQueriesContext(connection) as four:
        contract_values(contracts=contracts, user=gov_user, today=TODAY)
    assert len(four.captured_queries) == len(one.captured_queries) <= 6
    assert contract_values(contracts=[], user=gov_user, today=TODAY) == {}
