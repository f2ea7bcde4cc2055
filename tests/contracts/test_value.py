"""Value realised by hand: savings against an adjusted baseline, a missing month, credits
applied, cost per transaction and the payback month (contracts/value.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from contracts.value import contract_value
from core import roles
from slas.evaluation import evaluate
from slas.models import Measurement
from tests.conftest import token_client
from tests.factories import ChangeRequestFactory, ContractFactory, SLAFactory, SpendRecordFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 7, 15)  # months January to June 2026


@pytest.fixture
def contract():
    """Baseline 1,200,000.00 a year (100,000.00 a month), target 10 %.

    A change request approved with +120,000.00 a year from 2026-03-01 makes the
    baseline 1,320,000.00 a year = 110,000.00 a month from March; one merely
    proposed (−600,000.00) counts for nothing. Spend: Jan 90,000, Feb none,
    Mar 95,000, Apr 100,000, May 105,000, Jun 98,000. A March SLA breach
    (40 % of the 1,000.00 at-risk amount, no earn-back) is a credit of 400.00.
    """
    contract = ContractFactory(
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
        monthly_charge=D("10000.00"),
        at_risk_percent=D("10.00"),
        baseline_annual_cost=D("1200000.00"),
        target_savings_percent=D("10.00"),
        transition_cost=D("30000.00"),
        transition_cost_month=dt.date(2026, 1, 1),
    )
    ChangeRequestFactory(
        contract=contract,
        status="approved",
        baseline_adjustment=D("120000.00"),
        baseline_adjustment_date=dt.date(2026, 3, 1),
    )
    ChangeRequestFactory(
        contract=contract,
        status="proposed",
        baseline_adjustment=D("-600000.00"),
        baseline_adjustment_date=dt.date(2026, 1, 1),
    )
    for month, amount in ((1, "90000"), (3, "95000"), (4, "100000"), (5, "105000"), (6, "98000")):
        SpendRecordFactory(contract=contract, month=dt.date(2026, month, 1), amount=D(amount))
    sla = SLAFactory(
        contract=contract, allocation_percent=D("40"), effective_from=dt.date(2026, 1, 1)
    )
    Measurement.objects.create(sla=sla, date=dt.date(2026, 3, 5), value=D("90"))
    volume = SLAFactory(
        contract=contract,
        kind="kpi",
        unit="count",
        aggregation="sum",
        allocation_percent=D("0"),
        target=D("1"),
        effective_from=dt.date(2026, 1, 1),
    )
    for day, value in (("2026-04-01", "1500"), ("2026-04-15", "500")):
        Measurement.objects.create(sla=volume, date=dt.date.fromisoformat(day), value=D(value))
    evaluate(today=TODAY)
    return contract


def test_savings_by_hand_with_adjustment_and_missing_month(contract, gov_user):
    value = contract_value(contract=contract, user=gov_user, today=TODAY)
    rows = {m.month.month: m for m in value.months}
    assert list(rows) == [1, 2, 3, 4, 5, 6]
    assert (rows[1].baseline, rows[1].saving, rows[1].target) == (
        D("100000.00"),
        D("10000.00"),
        D("10000.00"),
    )
    # February: missing, not a zero spend (which would be a 100,000.00 saving).
    assert rows[2].missing and rows[2].saving is None and rows[2].target is None
    # March: the adjusted baseline, and the 400.00 credit lowers the net spend.
    assert rows[3].baseline == D("110000.00")
    assert rows[3].credits == D("400.00")
    assert rows[3].net_spend == D("94600.00")
    assert rows[3].saving == D("15400.00")
    assert rows[3].target == D("11000.00")
    assert [rows[m].saving for m in (4, 5, 6)] == [D("10000.00"), D("5000.00"), D("12000.00")]
    q1, q2 = value.quarters
    assert (q1.label, q1.saving, q1.target, q1.recorded, q1.missing) == (
        "2026-Q1",
        D("25400.00"),
        D("21000.00"),
        2,
        1,
    )
    assert q1.on_target
    assert (q2.saving, q2.target, q2.missing, q2.on_target) == (
        D("27000.00"),
        D("33000.00"),
        0,
        False,
    )
    (year,) = value.years
    assert (year.saving, year.target, year.recorded, year.missing) == (
        D("52400.00"),
        D("54000.00"),
        5,
        1,
    )
    assert value.missing_months == [dt.date(2026, 2, 1)]


def test_cost_per_transaction_from_the_volume_kpi(contract, gov_user):
    rows = {
        m.month.month: m
        for m in contract_value(contract=contract, user=gov_user, today=TODAY).months
    }
    # April: 100,000.00 / (1,500 + 500) transactions = 50.0000
    assert rows[4].volume == D("2000")
    assert rows[4].cost_per_transaction == D("50.0000")
    assert rows[5].cost_per_transaction is None  # no volume that month


def test_payback_month_by_hand(contract, gov_user):
    # Transition cost 30,000.00 paid in January: cumulative Jan 10,000, Mar 25,400,
    # Apr 35,400 → paid back in April.
    value = contract_value(contract=contract, user=gov_user, today=TODAY)
    assert value.payback_month == dt.date(2026, 4, 1)
    # Paid in March: Mar 15,400, Apr 25,400, May 30,400 ≥ 30,000 → May.
    contract.transition_cost_month = dt.date(2026, 3, 1)
    contract.save()
    assert contract_value(contract=contract, user=gov_user, today=TODAY).payback_month == dt.date(
        2026, 5, 1
    )
    # 100,000.00 is never reached by June.
    contract.transition_cost = D("100000.00")
    contract.save()
    assert contract_value(contract=contract, user=gov_user, today=TODAY).payback_month is None


def test_value_api(contract, gov_user, make_user):
    url = reverse("contract-value-value", args=[contract.pk])
    response = token_client(gov_user).get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    feb = body["months"][1]
    assert feb["month"] == "2026-02-01" and feb["missing"] is True and feb["saving"] is None
    assert body["baseline_adjustments"][0]["amount"] == "120000.00"
    year = body["years"][0]
    assert (year["period"], year["saving"], year["target"], year["recorded_months"]) == (
        "2026",
        "52400.00",
        "54000.00",
        5,
    )
    # A vendor representative never receives the internal figures.
    rep = make_user(roles.VENDOR_USER, vendor=contract.vendor)
    assert token_client(rep).get(url).status_code == 403
    assert (
        token_client(gov_user).get(reverse("contract-value-value", args=[999999])).status_code
        == 404
    )


def test_value_page(contract, gov_client):
    from improvement.models import Goal

    Goal.objects.create(
        vendor=contract.vendor,
        contract=contract,
        kind="business_case",
        title="Cost per order down",
        baseline_value=D("60"),
        target_value=D("45"),
        unit="EUR",
    )
    response = gov_client.get(reverse("sourcing:contract_value", args=[contract.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "missing" in text and "15,400.00" in text
    assert "Cost per order down" in text
    page = gov_client.get(contract.get_absolute_url()).content.decode()
    assert "Value realised" in page and "<svg" in page
    vendor_page = gov_client.get(contract.vendor.get_absolute_url()).content.decode()
    assert "Value realised" in vendor_page and "52,400.00" in vendor_page
    assert contract.reference in vendor_page


def test_api_root_still_links_the_contracts_list(gov_user):
    root = token_client(gov_user).get("/api/v1/").json()
    assert root["contracts"].endswith("/api/v1/contracts/")
