"""Import of SLA and KPI definitions from CSV or XLSX (``core.record_imports``).

``contract`` is the contract's reference. Rows are parsed by ``SLAForm``
(scope: contracts the user may change) and written by ``sla_create``.
"""

from __future__ import annotations

import datetime as dt

from contracts.models import Contract
from core.record_imports import RecordImporter, register
from slas.forms import SLAForm
from slas.models import SLA
from slas.services import sla_create

EXAMPLE = {
    "contract": "ACME-MSA-2027",
    "name": "Availability",
    "kind": "sla",
    "category": "availability",
    "focus": "operational",
    "unit": "%",
    "direction": "higher_is_better",
    "target": "99.5",
    "warning_level": "99.7",
    "critical_level": "98",
    "period": "monthly",
    "aggregation": "mean",
    "allocation_percent": "20",
    "effective_from": dt.date(2027, 1, 1),
}

IMPORTER = register(
    RecordImporter(
        key="slas",
        module=__name__,
        label="SLAs",
        model=SLA,
        form_class=SLAForm,
        create=sla_create,
        columns=list(SLA.DEFINITION_FIELDS),
        required=["contract", "name", "target"],
        list_url_name="slas:sla_list",
        lookups={"contract": (Contract, "reference")},
        example=[EXAMPLE.get(c, "") for c in SLA.DEFINITION_FIELDS],
    )
)
