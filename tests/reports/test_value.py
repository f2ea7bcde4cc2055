"""Value realised in the QBR, the portfolio pack and the executive's home, by hand, and equal
to the contract's ``value`` in the API (``GET /api/v1/contracts/{id}/value/``).

Contract C-VEGA from 2026-01-01: baseline 1,200,000.00 a year (100,000.00 a month),
target 10 %; a change request approved with +120,000.00 a year from 2026-05-01 makes
May on 110,000.00 a month (target 11,000.00). Transition cost 30,000.00 from January.
Spend Jan 90,000, Feb 92,000, Mar 95,000, Apr 96,000, May 98,000, June none (missing).
An April breach (40 % of the 1,000.00 at-risk amount) is a credit of 400.00.

2026Q2: Apr 100,000 − (96,000 − 400) = 4,400.00 (target 10,000.00); May 110,000 −
98,000 = 12,000.00 (target 11,000.00); June missing → savings 16,400.00 against
21,000.00, not on target; spend 194,000.00, credits 400.00, net 193,600.00 against a
baseline of 210,000.00. Q1: 10,000 + 8,000 + 5,000 = 23,000.00 (target 30,000.00), so
the year to date is 39,400.00 against 51,000.00 (5 months recorded, 1 missing).
Payback: cumulative 10,000, 18,000, 23,000, 27,400, 39,400 → May 2026.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from core import roles
from reports import gather, gather_portfolio, render
from slas.evaluation import evaluate
from slas.models import Measurement
from tests.conftest import token_client
from tests.factories import (
    ChangeRequestFactory,
    ContractFactory,
    SLAFactory,
    SpendRecordFactory,
    VendorFactory,
)
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def vega():
    vendor = VendorFactory(name="Vega Services")
    contract = ContractFactory(
        vendor=vendor,
        reference="C-VEGA",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
        monthly_charge=D("10000.00"),
        at_risk_percent=D("10.00"),
        baseline_annual_cost=D("1200000.00"),
        target_savings_percent=D("10.00"),
        transition_cost=D("30000.00"),
        transition_cost_month=dt.date(2026, 1, 1),
        total_value=D("2400000.00"),
    )
    ChangeRequestFactory(
        contract=contract,
        status="approved",
        baseline_adjustment=D("120000.00"),
        baseline_adjustment_date=dt.date(2026, 5, 1),
    )
    for month, amount in ((1, "90000"), (2, "92000"), (3, "95000"), (4, "96000"), (5, "98000")):
        SpendRecordFactory(contract=contract, month=dt.date(2026, month, 1), amount=D(amount))
    sla = SLAFactory(
        contract=contract, allocation_percent=D("40"), effective_from=dt.date(2026, 1, 1)
    )
    Measurement.objects.create(sla=sla, date=dt.date(2026, 4, 5), value=D("90"))
    evaluate()
    return contract


def test_the_quarter_by_hand_equals_the_api(vega, gov_user):
    snap = gather.vendor_snapshot(vendor=vega.vendor, quarter="2026Q2", edition="internal")
    (entry,) = snap["value"]["contracts"]
    q, ytd = entry["quarter"], entry["year_to_date"]
    assert (q["saving"], q["target"], q["recorded_months"], q["missing_months"]) == (
        "16400.00", "21000.00", 2, 1
    )  # fmt: skip
    assert q["on_target"] is False
    assert (q["spend"], q["credits"], q["net_spend"], q["baseline"]) == (
        "194000.00", "400.00", "193600.00", "210000.00"
    )  # fmt: skip
    assert (ytd["saving"], ytd["target"], ytd["recorded_months"], ytd["missing_months"]) == (
        "39400.00", "51000.00", 5, 1
    )  # fmt: skip
    assert entry["missing_months"] == ["2026-06-01"]
    june = entry["months"][2]
    assert june["missing"] and june["spend"] is None and june["saving"] is None
    assert [m["baseline"] for m in entry["months"]] == ["100000.00", "110000.00", "110000.00"]
    assert (entry["transition_cost"], entry["payback_month"]) == ("30000.00", "2026-05-01")

    # The same figures as the contract's value in the API, for the same periods.
    api = token_client(gov_user).get(f"/api/v1/contracts/{vega.pk}/value/")
    assert api.status_code == 200, api.content
    body = api.json()
    (api_q2,) = [p for p in body["quarters"] if p["period"] == "2026-Q2"]
    assert (api_q2["saving"], api_q2["target"]) == (q["saving"], q["target"])
    assert (api_q2["recorded_months"], api_q2["missing_months"]) == (2, 1)
    api_months = {m["month"]: m for m in body["months"]}
    for row in entry["months"]:
        api_row = api_months[row["month"]]
        for key in ("missing", "baseline", "spend", "net_spend", "saving", "target"):
            assert row[key] == api_row[key], (row["month"], key)
    to_june = [m for m in body["months"] if m["month"] <= "2026-06-01" and not m["missing"]]
    assert str(sum(D(m["saving"]) for m in to_june)) == ytd["saving"]
    assert str(sum(D(m["target"]) for m in to_june)) == ytd["target"]
    assert body["payback_month"] == entry["payback_month"]

    totals = snap["value"]["totals"]["EUR"]
    assert (totals["saving"], totals["ytd_saving"], totals["missing_months"]) == (
        "16400.00", "39400.00", 1
    )  # fmt: skip


def test_the_pdf_shows_the_value(vega):
    snap = gather.vendor_snapshot(vendor=vega.vendor, quarter="2026Q2", edition="internal")
    text = pdf_text(render.render(snap))
    first = text.split("\f")[0]
    # Page one's line: net spend against baseline, savings against target, missing months.
    for needle in ("193,600.00", "210,000.00", "16,400.00", "21,000.00", "39,400.00"):
        assert needle in first, needle
    assert "51,000.00" in first and "without a spend record" in first
    for needle in ("Value realised", "missing", "4,400.00", "12,000.00", "May 2026"):
        assert needle in text, needle
    assert "paid back" in text and "30,000.00" in text
    vendor_edition = gather.vendor_snapshot(vendor=vega.vendor, quarter="2026Q2", edition="vendor")
    assert vendor_edition["value"] is None
    assert "16,400.00" not in pdf_text(render.render(vendor_edition))


def test_the_executive_home_and_the_pack_read_the_same_value(vega, executive, client):
    # To date (contracts.value, the API's months): Jan–May recorded, June on missing.
    client.force_login(executive)
    html = client.get("/reports/portfolio/").content.decode()
    for figure in ("2,400,000.00 EUR", "470,600.00 EUR", "510,000.00 EUR", "39,400.00 EUR"):
        assert figure in html, figure
    assert "51,000.00 EUR" in html and "without a spend record" in html
    pack = gather_portfolio.portfolio_snapshot(quarter="2026Q2")
    value = pack["summary"]["value"]["EUR"]
    assert (value["net_spend"], value["baseline"], value["saving"], value["target"]) == (
        "470600.00", "510000.00", "39400.00", "51000.00"
    )  # fmt: skip
    assert value["missing_months"] == 1  # June; the pack reads up to the quarter's end
    text = pdf_text(render.render(pack))
    assert "39,400.00 EUR" in text and "470,600.00 EUR" in text


def test_a_vendor_user_never_gets_the_value(vega, make_user, client):
    client.force_login(make_user(roles.VENDOR_USER, vendor=vega.vendor))
    assert client.get("/reports/portfolio/").status_code == 403
