"""FilterSets (the same classes serve pages and API) and the models' database constraints."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone

from contracts import filters
from contracts.models import Contract, ExitStep, Obligation, SpendRecord
from tests.factories import (
    ContractFactory,
    ExitStepFactory,
    ObligationFactory,
    SpendRecordFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def run(filterset_class, params, user, queryset):
    request = RequestFactory().get("/")
    request.user = user
    fs = filterset_class(params, queryset=queryset, request=request)
    assert fs.is_valid(), fs.errors
    return fs.qs


def test_contract_filters(gov_user):
    today = timezone.localdate()
    soon = ContractFactory(
        reference="SOON-1",
        notice_deadline=today + timedelta(days=20),
        renewal="automatic",
        renewal_months=12,
    )
    ContractFactory(reference="LATER-1", notice_deadline=today + timedelta(days=200))
    ContractFactory(reference="SOW-9", contract_type="sow", status="draft", title="Billing")
    qs = Contract.objects.all()
    assert list(run(filters.ContractFilterSet, {"notice_within": 30}, gov_user, qs)) == [soon]
    assert [
        c.reference for c in run(filters.ContractFilterSet, {"search": "billing"}, gov_user, qs)
    ] == ["SOW-9"]
    assert run(filters.ContractFilterSet, {"contract_type": ["sow"]}, gov_user, qs).count() == 1
    assert run(filters.ContractFilterSet, {"renewal": ["automatic"]}, gov_user, qs).count() == 1
    assert (
        run(filters.ContractFilterSet, {"status": ["draft", "active"]}, gov_user, qs).count() == 3
    )


def test_vendor_choices_are_limited_to_the_users_scope(north_south):
    request = RequestFactory().get("/")
    request.user = north_south["north_rep"]
    fs = filters.ContractFilterSet(
        {"vendor": north_south["south"].pk}, request=request, queryset=Contract.objects.all()
    )
    assert not fs.is_valid() and "vendor" in fs.errors
    assert list(fs.form.fields["vendor"].queryset) == [north_south["north"]]


def test_obligation_filters(gov_user):
    late = ObligationFactory(due_date=D("2020-01-01"), owner=gov_user)
    ObligationFactory(due_date=D("2020-01-01"), status="met")
    ObligationFactory(due_date=D("2099-01-01"))
    qs = Obligation.objects.all()
    assert list(run(filters.ObligationFilterSet, {"overdue": "true"}, gov_user, qs)) == [late]
    assert run(filters.ObligationFilterSet, {"overdue": "false"}, gov_user, qs).count() == 2
    assert list(run(filters.ObligationFilterSet, {"mine": "true"}, gov_user, qs)) == [late]


def test_spend_and_exit_step_filters(gov_user):
    contract = ContractFactory(reference="SP-1")
    for m in (1, 2, 3):
        SpendRecordFactory(contract=contract, month=date(2026, m, 1), invoice_reference=f"INV-{m}")
    qs = SpendRecord.objects.all()
    params = {"month_after": "2026-02-01", "month_before": "2026-03-01"}
    assert run(filters.SpendRecordFilterSet, params, gov_user, qs).count() == 2
    assert run(filters.SpendRecordFilterSet, {"search": "inv-3"}, gov_user, qs).count() == 1
    step = ExitStepFactory(status="done", title="Return the data")
    ExitStepFactory()
    steps = ExitStep.objects.all()
    assert list(run(filters.ExitStepFilterSet, {"status": ["done"]}, gov_user, steps)) == [step]
    assert list(run(filters.ExitStepFilterSet, {"search": "return"}, gov_user, steps)) == [step]


@pytest.mark.parametrize(
    "fields",
    [
        {"end_date": D("2024-12-31")},  # before the start
        {"monthly_charge": Decimal("-1")},
        {"at_risk_percent": Decimal("101")},
        {"renewal": "automatic", "renewal_months": 0},
    ],
)
def test_contract_constraints_hold_in_the_database(fields):
    vendor = VendorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            vendor=vendor,
            reference="DB-1",
            title="x",
            start_date=D("2025-01-01"),
            end_date=fields.pop("end_date", D("2025-12-31")),
            **fields,
        )


def test_spend_constraints_hold_in_the_database():
    contract = ContractFactory()
    SpendRecord.objects.create(contract=contract, month=D("2026-01-01"), amount=1)
    for month, amount in ((D("2026-01-01"), 2), (D("2026-02-02"), 1), (D("2026-03-01"), -1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            SpendRecord.objects.create(contract=contract, month=month, amount=amount)


def test_at_risk_amount_and_overdue_properties():
    contract = ContractFactory(monthly_charge=Decimal("33333.33"), at_risk_percent=Decimal("12.5"))
    assert contract.at_risk_amount == Decimal("4166.67")  # 4,166.66625 rounded to cents
    obligation = ObligationFactory(due_date=D("2026-06-30"))
    assert not obligation.is_overdue(D("2026-06-30"))
    assert obligation.is_overdue(D("2026-07-01"))
