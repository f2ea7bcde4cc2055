"""A vendor with a hand-worked quarter (2026Q3) for the QBR tests.

Contract C-ACME: 100,000.00 EUR a month, 10 % at risk → 10,000.00 at-risk amount,
no earn-back; baseline 1,440,000.00 a year (120,000.00 a month), 20 % savings target.

SLAs (monthly, one measurement on the 1st of each month):
* Availability ≥ 99.5 %, allocation 30 % → 3,000.00 a breach:
  Apr 99.9, May 99.0 (breached), Jun 99.8 | Jul 99.0 (B), Aug 99.6, Sep 98.0 (B).
* P1 response ≤ 4 hours, allocation 25 % → 2,500.00 a breach:
  Apr–Jun 3 | Jul 5 (B), Aug 3, Sep 3.
* Resolution ≤ 8 hours, allocation 10 %: 6 every month (met).
* CSAT (KPI, outcome-based) ≥ 4.0: Jul 4.5, Aug 4.2, Sep 4.1 (met).

Q3: Availability and P1 response breached, Resolution met → 3 SLAs measured,
1 met (33.3 %), 2 breached (66.7 %). Credits due: July 3,000 + 2,500 = 5,500.00
(under the 10,000.00 cap), September 3,000.00 → 8,500.00; Q2: May 3,000.00 →
up (8,500 − 3,000) / 3,000 = 183.3 % → "up 183 %".
Spend Q3: 95,000 + 96,000 + 97,000 = 288,000.00, less the credits applied (8,500.00)
= 279,500.00 net against 360,000.00 of baseline → savings 80,500.00 = 22.4 %
(contracts.value); target 20 % of 360,000.00 = 72,000.00. No other month has spend.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal as D

import pytest

from core import roles
from slas.evaluation import evaluate
from tests.factories import ContractFactory, SLAFactory, SpendRecordFactory, VendorFactory

MONTHS = [dt.date(2026, m, 1) for m in range(4, 10)]
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_info(data: bytes) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
    rows = [line.split(":", 1) for line in out.decode().splitlines() if ":" in line]
    return {k.strip(): v.strip() for k, v in rows}


@pytest.fixture
def acme(db, make_user):
    owner = make_user(roles.VENDOR_MANAGER, username="olivia")
    owner.first_name, owner.last_name = "Olivia", "Owner"
    owner.save()
    vendor = VendorFactory(name="Acme Outsourcing", tier=1, relationship_owner=owner)
    contract = ContractFactory(
        vendor=vendor,
        reference="C-ACME",
        monthly_charge=D("100000.00"),
        at_risk_percent=D("10.00"),
        baseline_annual_cost=D("1440000.00"),
        target_savings_percent=D("20.00"),
        total_value=D("3600000.00"),
    )
    series = {
        ("Availability", "higher_is_better", "99.5", "30", "sla", "operational"): [
            "99.9", "99.0", "99.8", "99.0", "99.6", "98.0"
        ],
        ("P1 response", "lower_is_better", "4", "25", "sla", "operational"): [
            "3", "3", "3", "5", "3", "3"
        ],
        ("Resolution", "lower_is_better", "8", "10", "sla", "operational"): ["6"] * 6,
        ("CSAT", "higher_is_better", "4.0", "0", "kpi", "outcome"): [
            None, None, None, "4.5", "4.2", "4.1"
        ],
    }  # fmt: skip
    slas = {}
    for (name, direction, target, alloc, kind, focus), values in series.items():
        sla = SLAFactory(
            contract=contract,
            name=name,
            direction=direction,
            target=D(target),
            allocation_percent=D(alloc),
            kind=kind,
            focus=focus,
            unit="%" if name == "Availability" else ("hours" if kind == "sla" else "points"),
        )
        for month, value in zip(MONTHS, values, strict=True):
            if value is not None:
                sla.measurements.create(date=month, value=D(value))
        slas[name] = sla
    for month, amount in zip(MONTHS[3:], ("95000", "96000", "97000"), strict=True):
        SpendRecordFactory(contract=contract, month=month, amount=D(amount))
    evaluate()
    return {"vendor": vendor, "contract": contract, "slas": slas, "owner": owner}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs the on-commit sends (the render, eagerly) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def qbr(commit):
    """qbr(actor, vendor, quarter, edition="internal") -> the report, rendered (eager mode)."""
    from reports import services

    def _request(actor, vendor, quarter="2026Q3", edition="internal"):
        with commit():
            report = services.qbr_request(
                actor=actor, vendor=vendor, quarter=quarter, edition=edition
            )
        report.refresh_from_db()
        return report

    return _request
