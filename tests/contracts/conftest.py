"""Fixtures of the contracts tests: two vendors with their own people and contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core import roles
from tests.factories import ContractFactory, VendorFactory


@pytest.fixture
def north_south(make_user):
    """Two vendors, each with an owning vendor manager, a representative and an MSA."""
    north = VendorFactory(name="North")
    south = VendorFactory(name="South")
    north_manager = make_user(roles.VENDOR_MANAGER, vendor=north, username="north-manager")
    north_manager.email = "owner@north.example"
    north_manager.save()
    south_manager = make_user(roles.VENDOR_MANAGER, vendor=south, username="south-manager")
    north.refresh_from_db()
    south.refresh_from_db()
    return {
        "north": north,
        "south": south,
        "north_manager": north_manager,
        "south_manager": south_manager,
        "north_rep": make_user(roles.VENDOR_USER, vendor=north, username="north-rep"),
        "north_msa": ContractFactory(
            vendor=north,
            reference="N-MSA",
            title="North managed services",
            start_date=date(2025, 1, 1),
            end_date=date(2027, 12, 31),
            monthly_charge=Decimal("100000.00"),
            at_risk_percent=Decimal("12.00"),
            baseline_annual_cost=Decimal("1500000.00"),
            target_savings_percent=Decimal("20.00"),
        ),
        "south_msa": ContractFactory(vendor=south, reference="S-MSA", title="South services"),
    }
