"""Vendor representatives never receive internal figures (DESIGN.md section 7), in any answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import roles
from tests.factories import ContractFactory, VendorFactory

pytestmark = pytest.mark.django_db

INTERNAL = {"baseline_annual_cost", "target_savings_percent"}


@pytest.fixture
def contract():
    return ContractFactory(
        vendor=VendorFactory(name="North", tier_reason="Runs payroll"),
        baseline_annual_cost=Decimal("1500000.00"),
        target_savings_percent=Decimal("12.50"),
        renewal="none",
    )


def test_vendor_user_gets_no_internal_contract_figures(contract, api_client_for, make_user):
    rep = api_client_for(make_user(roles.VENDOR_USER, vendor=contract.vendor))
    detail = rep.get(f"/api/v1/contracts/{contract.pk}/").json()
    listed = rep.get("/api/v1/contracts/").json()["results"][0]
    for row in (detail, listed):
        assert INTERNAL.isdisjoint(row), row
        assert row["reference"] == contract.reference
        assert "1500000" not in str(row)
    vendor = rep.get(f"/api/v1/vendors/{contract.vendor_id}/").json()
    assert {"tier_reason", "relationship_owner"}.isdisjoint(vendor)


@pytest.mark.parametrize("role", [roles.GOVERNANCE_OFFICE, roles.EXECUTIVE, roles.AUDITOR])
def test_office_roles_get_them(contract, api_client_for, make_user, role):
    row = api_client_for(make_user(role)).get(f"/api/v1/contracts/{contract.pk}/").json()
    assert (row["baseline_annual_cost"], row["target_savings_percent"]) == ("1500000.00", "12.50")


def test_next_renewal_date_is_null_without_renewal(contract, gov_api):
    assert gov_api.get(f"/api/v1/contracts/{contract.pk}/").json()["next_renewal_date"] is None
    renewing = ContractFactory(
        renewal="automatic", renewal_months=12, end_date=dt.date(2027, 12, 31)
    )
    body = gov_api.get(f"/api/v1/contracts/{renewing.pk}/").json()
    assert body["next_renewal_date"] == "2028-01-01"
