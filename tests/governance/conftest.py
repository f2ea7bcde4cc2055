"""Fixtures of the governance tests: a vendor with a contract, an SLA and an escalation plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import roles
from governance.services import escalation_plan_create
from slas.evaluation import evaluate
from slas.models import SLA, Measurement
from tests.factories import ContractFactory, SLAFactory

UTC = dt.UTC
EVAL_TODAY = dt.date(2030, 1, 1)


def at(text: str) -> dt.datetime:
    """An aware UTC datetime from ``YYYY-MM-DD HH:MM``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def contract(db):
    return ContractFactory()


@pytest.fixture
def vendor(contract):
    return contract.vendor


@pytest.fixture
def sla(contract) -> SLA:
    """Monthly mean availability, higher is better: target 99.5, critical below 95."""
    return SLAFactory(contract=contract, critical_level=Decimal("95"), name="Availability")


@pytest.fixture
def people(make_user):
    return {
        "duty": make_user(roles.GOVERNANCE_OFFICE, username="duty-manager"),
        "head": make_user(roles.GOVERNANCE_OFFICE, username="head-of-sourcing"),
        "exec": make_user(roles.EXECUTIVE, username="cio"),
    }


@pytest.fixture
def plan(vendor, people):
    """Level 1: 4 h; level 2: 8 h; level 3 (the executive): 24 h. N = 2."""
    return escalation_plan_create(
        data={
            "vendor": vendor,
            "consecutive_breaches": 2,
            "levels": [
                {"level": 1, "name": "Service manager", "contact_user": people["duty"],
                 "response_hours": 4, "is_executive": False},
                {"level": 2, "name": "Head of sourcing", "contact_user": people["head"],
                 "response_hours": 8, "is_executive": False},
                {"level": 3, "name": "CIO", "contact_user": people["exec"],
                 "response_hours": 24, "is_executive": True},
            ],
        }
    )  # fmt: skip


@pytest.fixture
def measure():
    """measure(sla, {"2026-01-01": "99.0", ...}) then evaluate that SLA."""

    def _measure(sla: SLA, values: dict[str, str]) -> None:
        rows = [
            Measurement(sla=sla, date=dt.date.fromisoformat(day), value=Decimal(v))
            for day, v in values.items()
        ]
        Measurement.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["sla", "date"], update_fields=["value"]
        )
        evaluate(sla_ids=[sla.pk], today=EVAL_TODAY)

    return _measure


@pytest.fixture
def role_groups_tx(transactional_db):
    """Role groups again: a transactional test flushes the ones the data migration made."""
    from django.contrib.auth.models import Group

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
