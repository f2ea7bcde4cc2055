"""Every read path of a credit figure shows the same numbers (issue 9: money read in one place).

Hand-worked months of one contract: monthly charge 10,000.00 at 10 % at
risk, so an at-risk amount (the monthly cap) of 1,000.00, and one earn-back
period. Five monthly SLAs (target ≥ 99.5), evaluated as of 15 March 2026:

* January 2026 — A, B, C (40 % each) breached: 400.00 uncapped each; D (30 %)
  breached and **waived** (its 300.00 given up); E (20 %) breached, then
  corrected to 100 and so **withdrawn** (not counted at all). Uncapped due:
  1,200.00 > 1,000.00, so the cap bites: 1,000 × 400 / 1,200 = 333.333… →
  333.33 each, 999.99 in all; the **remainder cent** goes to the largest
  share with the lowest SLA id, A: 333.34 + 333.33 + 333.33 = 1,000.00.
  Earn-back (1 period): A is met in February → **earned back** (333.34);
  B is breached in February → not earned; C has no February data → not
  earned. Net = 1,000.00 − 333.34 = 666.66.
* February 2026 — B breached again: 400.00, under the cap, due 400.00. Its
  earn-back period (March) is met but has not ended on 15 March → **pending**;
  net = 400.00 (a pending credit is owed until earned back).

The paths: the statement selector (``credit_statements``, what the QBR
calls), the API (``/api/v1/credit-statements/``), the credits page and its
CSV export, the contract scorecard, the SLA page's credits by month, and
the contract's at-risk amount on the contract API.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from slas import selectors
from slas.evaluation import evaluate
from slas.models import Breach
from slas.services import breach_waive
from tests.conftest import token_client
from tests.factories import ContractFactory, SLAFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 15)
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)

EXPECTED = {
    JAN: {
        "at_risk_amount": D("1000.00"),
        "credits_uncapped": D("1200.00"),
        "credits_due": D("1000.00"),
        "credits_earned_back": D("333.34"),
        "credits_pending_earn_back": D("0.00"),
        "net_credit": D("666.66"),
    },
    FEB: {
        "at_risk_amount": D("1000.00"),
        "credits_uncapped": D("400.00"),
        "credits_due": D("400.00"),
        "credits_earned_back": D("0.00"),
        "credits_pending_earn_back": D("400.00"),
        "net_credit": D("400.00"),
    },
}
FIGURES = tuple(EXPECTED[JAN])


@pytest.fixture
def months(gov_user):
    from slas.models import Measurement

    contract = ContractFactory(
        monthly_charge=D("10000.00"), at_risk_percent=D("10.00"), earn_back_periods=1
    )
    names = {"A": "40", "B": "40", "C": "40", "D": "30", "E": "20"}
    slas = {
        name: SLAFactory(contract=contract, name=name, allocation_percent=D(alloc))
        for name, alloc in names.items()
    }
    values = {
        "A": {"2026-01-05": "90", "2026-02-05": "100"},
        "B": {"2026-01-05": "90", "2026-02-05": "90", "2026-03-05": "100"},
        "C": {"2026-01-05": "90"},
        "D": {"2026-01-05": "90"},
        "E": {"2026-01-05": "90"},
    }
    for name, days in values.items():
        for day, value in days.items():
            Measurement.objects.create(
                sla=slas[name], date=dt.date.fromisoformat(day), value=D(value)
            )
    evaluate(today=AS_OF)
    breach_waive(
        breach=Breach.objects.get(sla=slas["D"], period_start=JAN), actor=gov_user, reason="JSC"
    )
    Measurement.objects.filter(sla=slas["E"]).update(value=D("100"))  # the correction
    evaluate(today=AS_OF)  # the whole contract again, as of 15 March
    return contract, slas


def _figures(row: dict) -> dict:
    return {k: D(str(row[k])) for k in FIGURES}


def test_the_engine_stored_the_hand_worked_shares(months):
    _, slas = months
    stored = {
        (b.sla.name, b.period_start): (b.status, b.credit_uncapped, b.credit, b.earn_back)
        for b in Breach.objects.select_related("sla")
    }
    assert stored == {
        ("A", JAN): ("open", D("400.00"), D("333.34"), "earned_back"),
        ("B", JAN): ("open", D("400.00"), D("333.33"), "not_earned"),
        ("C", JAN): ("open", D("400.00"), D("333.33"), "not_earned"),
        ("D", JAN): ("waived", D("300.00"), D("0.00"), "not_applicable"),
        ("E", JAN): ("withdrawn", D("0.00"), D("0.00"), "not_applicable"),
        ("B", FEB): ("open", D("400.00"), D("400.00"), "pending"),
    }


def test_the_statement_selector(months, gov_user):
    contract, _ = months
    rows = list(selectors.credit_statements(user=gov_user, contract=contract))
    assert [r["month"] for r in rows] == [FEB, JAN]
    assert {r["month"]: _figures(r) for r in rows} == EXPECTED
    jan = rows[1]
    assert (jan["breaches"], jan["credits_waived"], jan["capped"]) == (4, D("300.00"), True)
    assert (rows[0]["breaches"], rows[0]["capped"]) == (1, False)
    # The month range is inclusive and taken by month.
    only_feb = selectors.credit_statements(
        user=gov_user, vendor=contract.vendor_id, month_from=dt.date(2026, 2, 20)
    )
    assert [r["month"] for r in only_feb] == [FEB]
    only_jan = selectors.credit_statements(user=gov_user, month_to=dt.date(2026, 1, 31))
    assert [r["month"] for r in only_jan] == [JAN]


def test_the_api(months, gov_user):
    contract, _ = months
    r = token_client(gov_user).get("/api/v1/credit-statements/", {"contract": contract.pk})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 2
    assert set(body["results"][0]) == {"contract", "month", *FIGURES}
    by_month = {dt.date.fromisoformat(x["month"]): x for x in body["results"]}
    assert {m: _figures(x) for m, x in by_month.items()} == EXPECTED
    assert by_month[JAN]["net_credit"] == "666.66"  # decimals as strings, to the cent
    r = token_client(gov_user).get(
        "/api/v1/credit-statements/", {"month_after": "2026-02", "month_before": "2026-02"}
    )
    assert [x["month"] for x in r.json()["results"]] == ["2026-02-01"]


def test_the_contract_api_shows_the_cap_the_engine_used(months, gov_user):
    contract, _ = months
    r = token_client(gov_user).get(f"/api/v1/contracts/{contract.pk}/")
    assert r.json()["at_risk_amount"] == "1000.00"


def test_the_credits_page_and_its_csv(client, months, gov_user):
    contract, _ = months
    client.force_login(gov_user)
    r = client.get(reverse("slas:credit_list"), {"contract": contract.pk})
    assert r.status_code == 200
    assert {row["month"]: _figures(row) for row in r.context["rows"]} == EXPECTED
    html = r.content.decode()
    assert html.count(">capped<") == 1  # January only
    r = client.get(reverse("slas:credit_list"), {"contract": contract.pk, "export": "csv"})
    assert r["Content-Type"].startswith("text/csv")
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert {dt.date.fromisoformat(x["month"]): _figures(x) for x in lines} == EXPECTED
    assert {x["credits_waived"] for x in lines} == {"300.00", "0.00"}


def test_the_scorecard(client, months, gov_user):
    contract, _ = months
    client.force_login(gov_user)
    r = client.get(reverse("slas:contract_scorecard", args=[contract.pk]))
    assert r.status_code == 200
    (section,) = r.context["sections"]
    assert {row["month"]: _figures(row) for row in section.credits} == EXPECTED


def test_the_sla_pages_credits_by_month(client, months, gov_user):
    _, slas = months
    client.force_login(gov_user)

    def by_month(name):
        r = client.get(reverse("slas:sla_detail", args=[slas[name].pk]))
        assert r.status_code == 200
        return {c["month"]: c for c in r.context["credits"]}

    a = by_month("A")
    assert (a[JAN]["credits_due"], a[JAN]["credits_earned_back"], a[JAN]["net_credit"]) == (
        D("333.34"), D("333.34"), D("0.00"),
    )  # fmt: skip
    # A waived breach's credit is waived, not uncapped; a withdrawn one is not counted.
    d = by_month("D")[JAN]
    assert (d["breaches"], d["credits_uncapped"], d["credits_due"], d["credits_waived"]) == (
        1, D("0.00"), D("0.00"), D("300.00"),
    )  # fmt: skip
    assert by_month("E") == {}
    b = by_month("B")
    assert (b[FEB]["credits_pending_earn_back"], b[FEB]["net_credit"]) == (
        D("400.00"), D("400.00"),
    )  # fmt: skip
    # The four SLAs' months add up to the contract's statements.
    for month, expected in EXPECTED.items():
        due = sum((by_month(n).get(month, {}).get("credits_due", 0) for n in "ABCDE"), D(0))
        assert due == expected["credits_due"]


def test_a_vendor_user_sees_only_their_vendors_statements(months, make_user):
    contract, _ = months
    other = ContractFactory(monthly_charge=D("5000"), at_risk_percent=D("10"))
    outsider = make_user("vendor_user", vendor=other.vendor)
    r = token_client(outsider).get("/api/v1/credit-statements/")
    assert r.status_code == 200 and r.json()["count"] == 0
    insider = make_user("vendor_user", vendor=contract.vendor)
    r = token_client(insider).get("/api/v1/credit-statements/")
    assert r.json()["count"] == 2


@pytest.mark.parametrize(
    "params",
    [{"month_after": "2026-13"}, {"month_before": "abc"}, {"contract": "x"}, {"vendor": 99999}],
)
def test_bad_filters_are_400_naming_the_field(months, gov_user, params):
    r = token_client(gov_user).get("/api/v1/credit-statements/", params)
    assert r.status_code == 400
    assert set(r.json()) == set(params)


def test_the_api_list_has_a_constant_number_of_queries(
    months, gov_user, django_assert_max_num_queries
):
    for _ in range(5):
        contract = ContractFactory(monthly_charge=D("1000"), at_risk_percent=D("10"))
        sla = SLAFactory(contract=contract, allocation_percent=D("50"))
        from slas.models import Measurement

        Measurement.objects.create(sla=sla, date=JAN, value=D("1"))
    evaluate(today=AS_OF)
    client = token_client(gov_user)
    with django_assert_max_num_queries(8):
        r = client.get("/api/v1/credit-statements/")
    assert r.json()["count"] == 7


def test_the_api_orders_by_a_figure_and_refuses_an_unknown_ordering(months, gov_user):
    api = token_client(gov_user)
    r = api.get("/api/v1/credit-statements/", {"ordering": "net_credit"})
    assert [x["net_credit"] for x in r.json()["results"]] == ["400.00", "666.66"]
    r = api.get("/api/v1/credit-statements/", {"ordering": "-net_credit"})
    assert [x["net_credit"] for x in r.json()["results"]] == ["666.66", "400.00"]
    assert api.get("/api/v1/credit-statements/", {"ordering": "password"}).status_code == 400
