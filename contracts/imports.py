"""Import of contracts from CSV or XLSX (``core.record_imports``).

``vendor`` is the vendor's name and ``parent`` the reference of an MSA,
registered already or made by an earlier row of the same file (an MSA above
its SOWs). Rows are parsed by ``ContractForm`` (scope: vendors the
user may change) and written by ``contract_create`` (the notice deadline is
computed, a lapsed tacit renewal rolled over, as on the form).
"""

from __future__ import annotations

import datetime as dt

from contracts.forms import ContractForm
from contracts.models import Contract
from contracts.services import contract_create
from core.record_imports import RecordImporter, register
from vendors.models import Vendor

# The template's sample row, by column: the columns follow the form's fields.
EXAMPLE = {
    "vendor": "Acme Outsourcing",
    "reference": "ACME-MSA-2027",
    "title": "Claims processing MSA",
    "contract_type": "msa",
    "status": "active",
    "start_date": dt.date(2027, 1, 1),
    "end_date": dt.date(2029, 12, 31),
    "renewal": "automatic",
    "renewal_months": 12,
    "notice_days": 90,
    "currency": "EUR",
    "monthly_charge": "100000.00",
    "total_value": "3600000.00",
    "at_risk_percent": "12",
    "earn_back_periods": 0,
    "baseline_annual_cost": "1500000.00",
    "target_savings_percent": "20",
    "transition_cost": "250000.00",
    "transition_cost_month": dt.date(2027, 1, 1),
    "scope_in": "Claims intake and processing",
}

IMPORTER = register(
    RecordImporter(
        key="contracts",
        module=__name__,
        label="contracts",
        model=Contract,
        form_class=ContractForm,
        create=contract_create,
        columns=list(ContractForm._meta.fields),
        required=["vendor", "reference", "title", "start_date"],
        list_url_name="contracts:contract_list",
        lookups={"vendor": (Vendor, "name"), "parent": (Contract, "reference")},
        example=[EXAMPLE.get(c, "") for c in ContractForm._meta.fields],
    )
)
