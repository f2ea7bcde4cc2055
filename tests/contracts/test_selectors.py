"""Selectors: savings against the baseline (hand-worked), notice and overdue lists, panels."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts import selectors, services
from tests.factories import ContractFactory, ObligationFactory, SpendRecordFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def test_savings_from_three_months_of_spend():
    contract = ContractFactory(
        baseline_annual_cost=Decimal("1200000.00"), target_savings_percent=Decimal("20.00")
    )
    for month, amount in (
        ("2026-01-01", "80000"),
        ("2026-02-01", "85000"),
        ("2026-03-01", "90000"),
    ):
        SpendRecordFactory(contract=contract, month=D(month), amount=Decimal(amount))
    s = selectors.contract_savings(contract=contract)
    # (80,000 + 85,000 + 90,000) × 12 / 3 = 1,020,000.00 a year;
    # 1,200,000 − 1,020,000 = 180,000.00 = 15.00 % of the baseline; target 240,000.00.
    assert s.months_of_spend == 3
    assert s.annualised_spend == Decimal("1020000.00")
    assert s.realised_savings == Decimal("180000.00")
    assert s.realised_savings_percent == Decimal("15.00")
    assert s.target_savings == Decimal("240000.00")
    assert s.on_target is False


def test_savings_use_the_latest_twelve_months_and_round_to_cents():
    contract = ContractFactory(
        baseline_annual_cost=Decimal("100000.00"), target_savings_percent=Decimal("10.00")
    )
    SpendRecordFactory(contract=contract, month=D("2024-12-01"), amount=Decimal("999999.00"))
    for m in range(1, 13):  # 2025: 7,000.01 a month, the older month is out of the window
        SpendRecordFactory(contract=contract, month=date(2025, m, 1), amount=Decimal("7000.01"))
    s = selectors.contract_savings(contract=contract)
    assert s.months_of_spend == 12
    assert s.annualised_spend == Decimal("84000.12")
    assert s.realised_savings == Decimal("15999.88")
    assert s.realised_savings_percent == Decimal("16.00")  # 15.99988 % rounded
    assert s.on_target is True


def test_savings_without_spend_or_baseline():
    contract = ContractFactory(baseline_annual_cost=Decimal("0"))
    s = selectors.contract_savings(contract=contract)
    assert (s.annualised_spend, s.realised_savings, s.on_target) == (None, None, None)
    SpendRecordFactory(contract=contract, amount=Decimal("10.00"))
    s = selectors.contract_savings(contract=contract)
    assert s.realised_savings == Decimal("-120.00")  # costs more than a zero baseline
    assert s.realised_savings_percent is None


def test_spend_by_month_against_a_twelfth_of_the_baseline():
    contract = ContractFactory(baseline_annual_cost=Decimal("1000000.00"))
    record = SpendRecordFactory(contract=contract, amount=Decimal("80000.00"))
    [row] = selectors.spend_by_month(contract=contract, records=[record])
    assert row.baseline_monthly == Decimal("83333.33")
    assert row.saving == Decimal("3333.33")


def test_contracts_due_for_notice_and_overdue_obligations_are_scoped(north_south):
    n = north_south
    due = services.contract_create(
        today=D("2026-07-04"),  # entered before its deadline: nothing rolls over on entry
        data={
            "vendor": n["north"],
            "reference": "DUE",
            "title": "Due",
            "start_date": D("2024-01-01"),
            "end_date": D("2026-12-31"),
            "renewal": "automatic",
            "renewal_months": 12,
            "notice_days": 90,
            "status": "active",
        },
    )  # deadline 2026-10-02
    today = D("2026-07-04")
    assert list(selectors.contracts_due_for_notice(user=n["north_rep"], today=today)) == [due]
    assert list(selectors.contracts_due_for_notice(user=n["south_manager"], today=today)) == [due]
    assert not selectors.contracts_due_for_notice(user=n["north_rep"], today=D("2026-07-03"))
    assert not selectors.contracts_due_for_notice(user=n["north_rep"], today=D("2026-10-03"))

    late = ObligationFactory(contract=n["north_msa"], due_date=D("2026-07-03"))
    ObligationFactory(contract=n["north_msa"], due_date=D("2026-07-03"), status="met")
    ObligationFactory(contract=n["north_msa"], due_date=D("2026-07-04"))  # due today: not late
    south_late = ObligationFactory(contract=n["south_msa"], due_date=D("2026-01-01"))
    assert list(selectors.obligations_overdue(user=n["north_rep"], today=today)) == [late]
    assert set(selectors.obligations_overdue(user=n["north_manager"], today=today)) == {
        late,
        south_late,
    }


def test_dashboard_panels(north_south, gov_user):
    ObligationFactory(contract=north_south["north_msa"], due_date=D("2020-01-01"), title="Late")
    panels = selectors.dashboard_panels(user=gov_user, today=D("2026-07-04"))
    assert [p["title"] for p in panels] == [
        "Notice deadlines (90 days)",
        "Renewals (90 days)",
        "Overdue obligations",
    ]
    overdue = panels[2]
    assert overdue["count"] == 1 and overdue["tone"] == "bad"
    assert overdue["rows"][0][0] == "Late"
