"""Fixtures for the evaluation engine's tests: measurements in bulk, table dumps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from slas.models import SLA, Breach, Measurement, Result
from tests.factories import ContractFactory, SLAFactory

TODAY = dt.date(2030, 1, 1)  # far after every period in these tests: earn-back windows ended


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def measure():
    """measure(sla, {"2026-01-05": "99.1", ...}) bulk-creates (or replaces) measurements."""

    def _measure(sla: SLA, values: dict[str, str | int | Decimal]) -> None:
        rows = [
            Measurement(sla=sla, date=d(day), value=Decimal(str(v))) for day, v in values.items()
        ]
        Measurement.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["sla", "date"],
            update_fields=["value"],
        )

    return _measure


@pytest.fixture
def contract(db):
    """Monthly charge 10,000.00 at 10 % at risk: an at-risk amount of 1,000.00 a month."""
    return ContractFactory(monthly_charge=Decimal("10000.00"), at_risk_percent=Decimal("10.00"))


@pytest.fixture
def make_sla(contract):
    """make_sla(**fields) -> an SLA on ``contract`` (monthly mean, higher is better, 99.5)."""

    def _make(**fields) -> SLA:
        fields.setdefault("contract", contract)
        return SLAFactory(**fields)

    return _make


RESULT_COLUMNS = (
    "sla_id", "period_start", "period_end", "actual", "status", "measurement_count",
    "target", "warning_level", "critical_level", "aggregation", "last_date", "value_sum",
)  # fmt: skip
BREACH_COLUMNS = (
    "id", "sla_id", "period_start", "period_end", "actual", "severity", "status",
    "credit_month", "credit_uncapped", "credit", "earn_back", "root_cause",
    "corrective_action", "waiver_reason", "status_before_withdrawal",
)  # fmt: skip


def dump() -> tuple[list[tuple], list[tuple]]:
    """Every Result and Breach row (computed and workflow columns), in a stable order."""
    results = list(Result.objects.order_by("sla_id", "period_start").values_list(*RESULT_COLUMNS))
    breaches = list(Breach.objects.order_by("sla_id", "period_start").values_list(*BREACH_COLUMNS))
    return results, breaches


def result_of(sla: SLA, start: str) -> Result:
    return Result.objects.get(sla=sla, period_start=d(start))


def breach_of(sla: SLA, start: str) -> Breach:
    return Breach.objects.get(sla=sla, period_start=d(start))
