"""Fixtures of the improvement tests: two vendors, a user per role, North's representative."""

from __future__ import annotations

import pytest

from core import roles
from tests.factories import VendorFactory


@pytest.fixture
def north(db):
    return VendorFactory(name="North", service_type="ito", tier=1)


@pytest.fixture
def south(db):
    return VendorFactory(name="South", service_type="bpo", tier=3)


@pytest.fixture
def users(make_user, north):
    made = {
        role: make_user(role, vendor=north if role == roles.VENDOR_USER else None)
        for role in roles.ALL_ROLES
    }
    north.relationship_owner = made[roles.VENDOR_MANAGER]
    north.save()
    rep = made[roles.VENDOR_USER]
    rep.email = "rep@north.example"
    rep.save()
    return made


@pytest.fixture
def office(users):
    return users[roles.GOVERNANCE_OFFICE]


@pytest.fixture
def rep(users):
    return users[roles.VENDOR_USER]
