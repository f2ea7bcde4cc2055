"""factory-boy factories for every model, shared by all test packages.

Add a factory here when you add a model; keep defaults valid and minimal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from slas.models import SLA, Measurement
from vendors.models import Certification, Contact, Vendor


class VendorFactory(DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    legal_name = factory.LazyAttribute(lambda o: f"{o.name} Ltd")
    country = "Ireland"
    service_type = "ito"
    tier = 2
    status = "active"


class CertificationFactory(DjangoModelFactory):
    class Meta:
        model = Certification

    vendor = factory.SubFactory(VendorFactory)
    kind = "iso27001"
    issued_on = dt.date(2025, 1, 1)
    expires_on = dt.date(2028, 1, 1)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    side = "vendor"
    level = "operational"
    email = factory.Sequence(lambda n: f"contact{n}@example.com")


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    vendor = factory.SubFactory(VendorFactory)
    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    title = "Managed services"
    contract_type = "msa"
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2027, 12, 31)
    currency = "EUR"
    monthly_charge = Decimal("100000.00")
    at_risk_percent = Decimal("10.00")
    status = "active"


class ObligationFactory(DjangoModelFactory):
    class Meta:
        model = Obligation

    contract = factory.SubFactory(ContractFactory)
    title = factory.Sequence(lambda n: f"Obligation {n}")
    party = "vendor"
    due_date = dt.date(2026, 6, 30)


class ChangeRequestFactory(DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    contract = factory.SubFactory(ContractFactory)
    title = factory.Sequence(lambda n: f"Change {n}")
    impact = "scope"


class ExitPlanFactory(DjangoModelFactory):
    class Meta:
        model = ExitPlan

    contract = factory.SubFactory(ContractFactory)
    summary = "Transition to the successor vendor in 6 months."


class ExitStepFactory(DjangoModelFactory):
    class Meta:
        model = ExitStep

    plan = factory.SubFactory(ExitPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n}")


class SpendRecordFactory(DjangoModelFactory):
    class Meta:
        model = SpendRecord

    contract = factory.SubFactory(ContractFactory)
    month = dt.date(2026, 1, 1)
    amount = Decimal("98000.00")


class SLAFactory(DjangoModelFactory):
    class Meta:
        model = SLA

    contract = factory.SubFactory(ContractFactory)
    name = factory.Sequence(lambda n: f"SLA {n}")
    kind = "sla"
    category = "availability"
    unit = "%"
    direction = "higher_is_better"
    target = Decimal("99.5")
    period = "monthly"
    aggregation = "mean"
    allocation_percent = Decimal("20")
    effective_from = dt.date(2025, 1, 1)


class MeasurementFactory(DjangoModelFactory):
    class Meta:
        model = Measurement

    sla = factory.SubFactory(SLAFactory)
    date = dt.date(2026, 1, 1)
    value = Decimal("99.9")
    source = "manual"
