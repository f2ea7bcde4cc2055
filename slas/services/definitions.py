"""Writes of SLA definitions, and asking for an evaluation.

Changing an SLA's rule (target, levels, period, aggregation, window,
allocation) changes the Results and credits of its past periods, so an
update that touches a rule field queues a re-evaluation of that SLA (the
engine rewrites exactly what changed; workflow state survives).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from core import permissions
from core.audit import audited
from core.models import TaskRun, User
from core.services import model_create, model_delete, model_update
from slas.models import SLA

RULE_FIELDS = (
    "kind",
    "direction",
    "target",
    "warning_level",
    "critical_level",
    "period",
    "aggregation",
    "allocation_percent",
    "effective_from",
    "effective_to",
    "contract",
)


def _rule_values(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[f"{name}_id" if name == "contract" else name] for name in RULE_FIELDS}


@audited("slas:sla_create")
@transaction.atomic
def sla_create(*, actor: User | None = None, data: dict[str, Any]) -> SLA:
    """Define an SLA or KPI (validated like the form: field-keyed errors)."""
    return model_create(model=SLA, data=data)


@audited("slas:sla_update")
@transaction.atomic
def sla_update(*, instance: SLA, actor: User | None = None, data: dict[str, Any]) -> SLA:
    """Change an SLA; when a rule field changed, its periods are evaluated again.

    The rule values before the change are read from the database (locked): a
    form or the admin has already written the new ones onto ``instance``.
    """
    columns = [f"{name}_id" if name == "contract" else name for name in RULE_FIELDS]
    before = _rule_values(SLA.objects.select_for_update().values(*columns).get(pk=instance.pk))
    instance = model_update(instance=instance, data=data)
    after = _rule_values({c: getattr(instance, c) for c in columns})
    if before != after:
        from slas.evaluation import queue_evaluation

        sla_ids = [instance.pk]
        if before["contract"] != after["contract"]:
            # The old contract's caps were shared with this SLA's breaches.
            sla_ids += SLA.objects.filter(contract_id=before["contract"]).values_list(
                "pk", flat=True
            )
        queue_evaluation(sla_ids=sla_ids, actor=actor)
    return instance


MSG_SLA_IN_USE = (
    "This SLA has {what}: deleting it would erase its record of service and the "
    "credits it gave. End it instead: set 'effective to' to the last day it applies."
)


class SLAInUse(ProtectedError):
    """Refusal to delete an SLA that has measurements, results or breaches.

    A ``ProtectedError``, so every path that refuses a protected deletion
    (pages, API 409, admin) refuses this one; ``str()`` is the message to show.
    """

    def __init__(self, what: list[str], protected_objects: list):
        self.message = MSG_SLA_IN_USE.format(what=", ".join(what))
        super().__init__(self.message, protected_objects)

    def __str__(self) -> str:
        return self.message


@audited("slas:sla_delete")
@transaction.atomic
def sla_delete(*, instance: SLA, actor: User | None = None) -> None:
    """Delete an SLA that has no measurements (a definition entered by mistake).

    An SLA with measurements, results or breaches is refused (``SLAInUse``):
    its breaches and credits are part of the record; an SLA that no longer
    applies is ended with ``effective_to``. The contract's advisory lock is
    taken first, so a deletion waits for a running evaluation of the contract
    (which could be writing the SLA's first Results) and then sees them.
    """
    from slas.evaluation import lock_contracts

    lock_contracts(contract_ids=[instance.contract_id])
    found = [
        (name, row)
        for name, rows in (
            ("measurements", instance.measurements),
            ("results", instance.results),
            ("breaches", instance.breaches),
        )
        if (row := rows.order_by("pk").first()) is not None
    ]
    if found:
        raise SLAInUse([name for name, _ in found], [row for _, row in found])
    model_delete(instance=instance)


def evaluation_request(
    *, actor: User, sla_ids: Iterable[int] | None = None, since: date | None = None
) -> TaskRun:
    """Queue an evaluation on behalf of ``actor`` (governance office and admins only).

    Unknown SLA ids are a ``ValidationError`` on ``slas``; the returned
    ``core.TaskRun`` is what the caller polls.
    """
    if not permissions.has_office_powers(actor):
        raise PermissionDenied("Only the governance office may run evaluations.")
    ids = None
    if sla_ids is not None:
        ids = sorted({int(i) for i in sla_ids})
        found = set(SLA.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValidationError(
                {"slas": f"Unknown SLA id(s): {', '.join(str(i) for i in missing)}."}
            )
    from slas.evaluation import queue_evaluation

    with transaction.atomic():
        return queue_evaluation(sla_ids=ids, since=since, actor=actor)
