"""Fixtures of the UI tests: a small portfolio with breaches, and signed-in clients."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import roles
from slas.evaluation import evaluate
from slas.models import Breach, Measurement
from tests.factories import ContractFactory, SLAFactory, VendorFactory


def portfolio(n: int, *, prefix: str = "V") -> list[Breach]:
    """``n`` vendors, each with one contract, one SLA and one breached month (Jan 2026).

    The SLA's target is 99.5 %; January's mean of 98 and 99 is 98.5: breached.
    """
    for i in range(n):
        vendor = VendorFactory(name=f"{prefix}{i} Corp")
        contract = ContractFactory(vendor=vendor, reference=f"{prefix}-C{i}")
        sla = SLAFactory(contract=contract, name="Availability")
        Measurement.objects.bulk_create(
            [
                Measurement(sla=sla, date=dt.date(2026, 1, 5), value=Decimal("98")),
                Measurement(sla=sla, date=dt.date(2026, 1, 6), value=Decimal("99")),
            ]
        )
    evaluate(today=dt.date(2030, 1, 1))
    return list(Breach.objects.order_by("pk"))


@pytest.fixture
def make_portfolio(db):
    return portfolio


@pytest.fixture
def signed_in(client, make_user):
    """signed_in(role, vendor=None) -> the test client signed in as a new user of that role."""

    def _signed_in(role: str = roles.GOVERNANCE_OFFICE, vendor=None):
        user = make_user(role, vendor=vendor)
        client.force_login(user)
        return client

    return _signed_in
