"""Fixtures of the risks tests: two vendors, a user per role, and small row builders.

North (tier 1) is owned by the vendor manager and represented by the vendor
user; South (tier 2) belongs to nobody in particular.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core import roles
from risks import services
from risks.models import Assessment, ContinuityPlan, Finding, Risk
from tests.factories import VendorFactory

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def north(db):
    return VendorFactory(name="North", tier=1)


@pytest.fixture
def south(db):
    return VendorFactory(name="South", tier=2)


@pytest.fixture
def users(make_user, north):
    made = {
        role: make_user(role, vendor=north if role == roles.VENDOR_USER else None)
        for role in roles.ALL_ROLES
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


def make_risk(vendor, *, l=3, i=3, rl=None, ri=None, status="open", **extra) -> Risk:  # noqa: E741
    """A risk through the service (its history opened), likelihood ``l`` × impact ``i``."""
    data = {
        "vendor": vendor,
        "title": extra.pop("title", f"Risk {l}x{i} of {vendor.name}"),
        "category": extra.pop("category", "operational"),
        "likelihood": l,
        "impact": i,
        "residual_likelihood": rl if rl is not None else l,
        "residual_impact": ri if ri is not None else i,
        "status": status,
        **extra,
    }
    return services.risk_create(actor=None, data=data)


def make_assessment(vendor, **extra) -> Assessment:
    data = {"vendor": vendor, "kind": "audit", "date": dt.date(2026, 10, 1), **extra}
    return services.assessment_create(actor=None, data=data)


def make_finding(assessment, **extra) -> Finding:
    data = {"assessment": assessment, "title": "A finding", "severity": "high", **extra}
    return services.finding_create(actor=None, data=data)


def make_plan(vendor, **extra) -> ContinuityPlan:
    data = {"vendor": vendor, "title": "DR plan", "rto_hours": 8, "rpo_hours": 1, **extra}
    return services.continuity_plan_create(actor=None, data=data)
