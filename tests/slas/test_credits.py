"""Service credits and the monthly cap (DESIGN.md section 2, "Service credit").

The ``contract`` fixture has a monthly charge of 10,000.00 and 10 % at risk:
an at-risk amount (and monthly cap) of 1,000.00.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from slas.evaluation import evaluate, evaluate_touched
from slas.models import Breach
from tests.factories import ContractFactory, SLAFactory
from tests.slas.conftest import TODAY, breach_of, d

pytestmark = pytest.mark.django_db


def breached_january(make_sla, measure, *allocations, **fields):
    """One monthly SLA per allocation, each breached in January 2026."""
    slas = []
    for allocation in allocations:
        sla = make_sla(period="monthly", allocation_percent=D(allocation), **fields)
        measure(sla, {"2026-01-10": "90"})
        slas.append(sla)
    evaluate(today=TODAY)
    return slas


def credits(slas, start="2026-01-01"):
    return [breach_of(sla, start).credit for sla in slas]


def test_credit_is_the_allocation_of_the_at_risk_amount(make_sla, measure):
    (sla,) = breached_january(make_sla, measure, "25")
    breach = breach_of(sla, "2026-01-01")
    # 1,000.00 x 25 / 100 = 250.00; the cap does not bite.
    assert (breach.credit_uncapped, breach.credit, breach.credit_month) == (
        D("250.00"), D("250.00"), d("2026-01-01"),
    )  # fmt: skip


def test_cap_not_biting_keeps_every_credit(make_sla, measure):
    slas = breached_january(make_sla, measure, "30", "30", "40")  # 300 + 300 + 400 = 1,000
    assert credits(slas) == [D("300.00"), D("300.00"), D("400.00")]


def test_cap_with_a_remainder_cent_goes_to_the_lowest_sla_id(make_sla, measure):
    # 400 + 400 + 400 = 1,200 > 1,000: each 1,000 x 400 / 1,200 = 333.333… -> 333.33,
    # 999.99 in all; the missing cent goes to the largest share, lowest SLA id first.
    slas = breached_january(make_sla, measure, "40", "40", "40")
    assert [s.pk for s in slas] == sorted(s.pk for s in slas)
    assert credits(slas) == [D("333.34"), D("333.33"), D("333.33")]
    assert [breach_of(s, "2026-01-01").credit_uncapped for s in slas] == [D("400.00")] * 3
    assert sum(credits(slas)) == D("1000.00")


def test_cap_with_unequal_shares_settles_the_difference_on_the_largest(make_sla, measure):
    # Uncapped 50 + 200 + 950 = 1,200. Shares of 1,000: 41.666… -> 41.67,
    # 166.666… -> 166.67, 791.666… -> 791.67: 1,000.01 in all, so the largest
    # share gives back the cent: 791.66.
    slas = breached_january(make_sla, measure, "5", "20", "95")
    assert credits(slas) == [D("41.67"), D("166.67"), D("791.66")]
    assert sum(credits(slas)) == D("1000.00")


def test_the_cap_is_per_contract_and_month(make_sla, measure, contract):
    other = ContractFactory(monthly_charge=D("10000.00"), at_risk_percent=D("10.00"))
    a = make_sla(period="monthly", allocation_percent=D("80"))
    b = make_sla(period="monthly", allocation_percent=D("80"))
    c = SLAFactory(contract=other, period="monthly", allocation_percent=D("80"))
    for sla in (a, b, c):
        measure(sla, {"2026-01-10": "90", "2026-02-10": "90"})
    measure(a, {"2026-03-10": "90"})
    evaluate(today=TODAY)
    assert credits([a, b]) == [D("500.00"), D("500.00")]  # 1,600 capped to 1,000
    assert credits([a, b], "2026-02-01") == [D("500.00"), D("500.00")]
    assert credits([a], "2026-03-01") == [D("800.00")]  # alone in March: no cap
    assert credits([c]) == [D("800.00")]  # another contract, its own cap


def test_waived_breaches_carry_nothing_and_leave_room_under_the_cap(make_sla, measure):
    slas = breached_january(make_sla, measure, "40", "40", "40")
    Breach.objects.filter(sla=slas[0]).update(status="waived", waiver_reason="Force majeure")
    evaluate(today=TODAY)
    waived = breach_of(slas[0], "2026-01-01")
    # The waived breach shows what was waived, but is due nothing; the two left
    # (400 + 400 = 800) fit under the cap.
    assert (waived.credit_uncapped, waived.credit) == (D("400.00"), 0)
    assert credits(slas[1:]) == [D("400.00"), D("400.00")]


def test_waiving_then_touching_the_period_shares_the_cap_again(make_sla, measure):
    slas = breached_january(make_sla, measure, "40", "40", "40")
    Breach.objects.filter(sla=slas[2]).update(status="waived", waiver_reason="Agreed at JSC")
    # As the breach workflow does after a waiver: the month's credits, afresh.
    evaluate_touched(touched=[(slas[2].pk, d("2026-01-01"))], today=TODAY, refresh_credits=True)
    assert credits(slas) == [D("400.00"), D("400.00"), 0]


def test_withdrawn_breaches_carry_nothing_and_leave_room(make_sla, measure):
    slas = breached_january(make_sla, measure, "40", "40", "40")
    measure(slas[1], {"2026-01-10": "99.9"})  # corrected: cured
    evaluate(today=TODAY)
    assert breach_of(slas[1], "2026-01-01").status == "withdrawn"
    assert credits(slas) == [D("400.00"), 0, D("400.00")]


def test_kpis_never_carry_credits_nor_take_part_in_the_cap(make_sla, measure):
    kpi = make_sla(kind="kpi", allocation_percent=0, period="monthly")
    measure(kpi, {"2026-01-10": "90"})
    slas = breached_january(make_sla, measure, "60", "60")  # 1,200 -> 500 + 500
    assert credits(slas) == [D("500.00"), D("500.00")]
    assert breach_of(kpi, "2026-01-01").credit == 0


def test_weekly_breaches_each_carry_their_credit_under_one_monthly_cap(make_sla, measure):
    # Weekly SLA, 40 % -> 400.00 per breached week. Weeks ending in January 2026:
    # 29 Dec–4 Jan, 5–11, 12–18 Jan: 1,200 capped to 1,000. Equal shares: the
    # extra cent goes to the earliest period. The week 26 Jan–1 Feb ends in February.
    sla = make_sla(period="weekly", allocation_percent=D("40"))
    measure(
        sla,
        {"2025-12-30": "90", "2026-01-06": "90", "2026-01-13": "90", "2026-01-27": "90"},
    )
    evaluate(today=TODAY)
    january = Breach.objects.filter(sla=sla, credit_month=d("2026-01-01"))
    assert list(january.order_by("period_start").values_list("period_start", "credit")) == [
        (d("2025-12-29"), D("333.34")),
        (d("2026-01-05"), D("333.33")),
        (d("2026-01-12"), D("333.33")),
    ]
    february = breach_of(sla, "2026-01-26")
    assert (february.credit_month, february.credit) == (d("2026-02-01"), D("400.00"))


def test_daily_breaches_share_the_cap_with_other_slas(make_sla, measure):
    # Daily SLA at 30 % (300.00 per breached day), breached on 2 days, plus a
    # monthly SLA at 50 % (500.00): 1,100 capped to 1,000. Shares 272.727… ->
    # 272.73 twice and 454.545… -> 454.55: 1,000.01, the largest gives back a cent.
    daily = make_sla(period="daily", allocation_percent=D("30"))
    monthly = make_sla(period="monthly", allocation_percent=D("50"))
    measure(daily, {"2026-01-05": "90", "2026-01-06": "90", "2026-01-07": "99.9"})
    measure(monthly, {"2026-01-31": "90"})
    evaluate(today=TODAY)
    assert credits([daily], "2026-01-05") + credits([daily], "2026-01-06") == [
        D("272.73"), D("272.73"),
    ]  # fmt: skip
    assert credits([monthly]) == [D("454.54")]


def test_no_credit_without_an_at_risk_pool(make_sla, measure, contract):
    contract.at_risk_percent = D("0")
    contract.save()
    (sla,) = breached_january(make_sla, measure, "50")
    assert (breach_of(sla, "2026-01-01").credit_uncapped, credits([sla])) == (0, [0])


def test_a_contract_charge_change_is_picked_up_by_recomputation(make_sla, measure, contract):
    (sla,) = breached_january(make_sla, measure, "50")
    contract.monthly_charge = D("20000.00")
    contract.save()
    evaluate(today=TODAY)
    assert credits([sla]) == [D("1000.00")]  # 2,000.00 at risk x 50 %
