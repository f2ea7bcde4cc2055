"""Writes of the slas app (HackSoft style: keyword-only, typed, atomic).

* ``definitions``: SLA create/update/delete, ``evaluation_request``;
* ``ingestion``: ``measurements_upsert`` (bulk, all-or-nothing, one upsert)
  and the single-measurement create/update/delete;
* ``workflow``: the breach workflow (acknowledge, remediate, resolve, waive,
  reopen) with its transition log.

Results and breaches themselves are written only by ``slas.evaluation``.
"""

from slas.services.definitions import (
    SLAInUse,
    evaluation_request,
    sla_create,
    sla_delete,
    sla_update,
)
from slas.services.ingestion import (
    MAX_ITEMS,
    ItemsValidationError,
    UpsertSummary,
    measurement_create,
    measurement_delete,
    measurement_update,
    measurements_delete,
    measurements_upsert,
    measurements_validate,
)
from slas.services.workflow import (
    TRANSITIONS,
    WORKFLOW_SERVICES,
    allowed_actions,
    breach_acknowledge,
    breach_remediate,
    breach_reopen,
    breach_resolve,
    breach_waive,
)

__all__ = [
    "MAX_ITEMS",
    "SLAInUse",
    "TRANSITIONS",
    "WORKFLOW_SERVICES",
    "ItemsValidationError",
    "UpsertSummary",
    "allowed_actions",
    "breach_acknowledge",
    "breach_remediate",
    "breach_reopen",
    "breach_resolve",
    "breach_waive",
    "evaluation_request",
    "measurement_create",
    "measurement_delete",
    "measurement_update",
    "measurements_delete",
    "measurements_upsert",
    "measurements_validate",
    "sla_create",
    "sla_delete",
    "sla_update",
]
