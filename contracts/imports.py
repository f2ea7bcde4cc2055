"""Import of contracts from CSV or XLSX (``core.record_imports``).

``vendor`` is the vendor's name and ``parent`` the reference of an MSA
already registered. Rows are parsed by ``ContractForm`` (scope: vendors the
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
        example=[
            "Acme Outsourcing",
            "ACME-MSA-2027",
            "Claims processing MSA",
            "msa",
            "",
            "active",
            dt.date(2027, 1, 1),
            dt.date(2029, 12, 31),
            "automatic",
            12,
            90,
            "EUR",
            "100000.00",
            "3600000.00",
            "12",
            0,
            "1500000.00",
            "20",
            "Claims intake and processing",
            "",
        ],
    )
)
