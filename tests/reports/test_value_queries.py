"""The executive's home reads the value of every contract in a fixed number of queries
(``contracts.value.contract_values``): one contract or four, the same count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from slas.evaluation import evaluate
from slas.models import Measurement
from tests.factories import (
    ChangeRequestFactory,
    ContractFactory,
    SLAFactory,
    SpendRecordFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def _contract(vendor, *, breach_month: int, missing: int) -> None:
    """A contract with a business case, a baseline adjustment, a missing month, a credit
    and a volume KPI: every kind of row the value reads."""
    contract = ContractFactory(
        vendor=vendor,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
        monthly_charge=D("10000.00"),
        baseline_annual_cost=D("1200000.00"),
        target_savings_percent=D("10.00"),
        total_value=D("2400000.00"),
    )
    ChangeRequestFactory(
        contract=contract,
        status="approved",
        baseline_adjustment=D("120000.00"),
        baseline_adjustment_date=dt.date(2026, 3, 1),
    )
    for month in range(1, 7):
        if month != missing:
            SpendRecordFactory(contract=contract, month=dt.date(2026, month, 1))
    sla = SLAFactory(contract=contract, effective_from=dt.date(2026, 1, 1))
    Measurement.objects.create(sla=sla, date=dt.date(2026, breach_month, 5), value=D("90"))
    volume = SLAFactory(
        contract=contract,
        kind="kpi",
        unit="count",
        aggregation="sum",
        allocation_percent=D("0"),
        target=D("1"),
        effective_from=dt.date(2026, 1, 1),
    )
    Measurement.objects.create(sla=volume, date=dt.date(2026, 4, 1), value=D("2000"))


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/reports/portfolio/")
    assert response.status_code == 200
    assert "without a spend record" in response.content.decode()
    return len(ctx.captured_queries)


def test_the_executive_home_reads_the_same_queries_for_one_contract_or_four(executive, client):
    alpha = VendorFactory(name="Alpha")
    _contract(alpha, breach_month=3, missing=2)
    evaluate()
    client.force_login(executive)
    client.get("/reports/portfolio/")  # warm: session and first-request reads
    one = _count(client)
    beta = VendorFactory(name="Beta")
    _contract(alpha, breach_month=4, missing=5)
    _contract(beta, breach_month=5, missing=3)
    _contract(beta, breach_month=2, missing=6)
    evaluate()
    four = _count(client)
    assert four == one
