"""Fixtures of the vendors tests: two vendors and a user per role.

North is owned by the vendor manager and represented by the vendor user;
South belongs to nobody in particular.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from core import roles
from tests.factories import VendorFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def north(db):
    return VendorFactory(name="North", country="Ireland", service_type="ito", tier=2)


@pytest.fixture
def south(db):
    return VendorFactory(name="South", country="Portugal", service_type="bpo", tier=4)


@pytest.fixture
def users(make_user, north):
    made = {
        role: make_user(role, vendor=north if role == roles.VENDOR_USER else None)
        for role in roles.ALL_ROLES
        if role != roles.ADMIN
    }
    north.relationship_owner = made[roles.VENDOR_MANAGER]
    north.save()
    return made


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client signed in as ``user``."""

    def _client(user):
        client.force_login(user)
        return client

    return _client
