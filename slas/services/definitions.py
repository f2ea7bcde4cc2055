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

from core import roles
from core.audit import actor_context
from core.models import TaskRun
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


@transaction.atomic
def sla_create(*, actor=None, data: dict[str, Any]) -> SLA:
    """Define an SLA or KPI (validated like the form: field-keyed errors)."""
    with actor_context(user=actor, source="slas:create"):
        return model_create(model=SLA, data=data)


@transaction.atomic
def sla_update(*, instance: SLA, actor=None, data: dict[str, Any]) -> SLA:
    """Change an SLA; when a rule field changed, its periods are evaluated again."""
    before = {
        name: getattr(instance, f"{name}_id" if name == "contract" else name)
        for name in RULE_FIELDS
    }
    with actor_context(user=actor, source="slas:update"):
        instance = model_update(instance=instance, data=data)
    after = {
        name: getattr(instance, f"{name}_id" if name == "contract" else name)
        for name in RULE_FIELDS
    }
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


@transaction.atomic
def sla_delete(*, instance: SLA, actor=None) -> None:
    """Delete an SLA with its measurements, results and breaches (the audit trail keeps them).

    Its breaches took part in the monthly caps of its contract: when it had
    any, the contract's other SLAs are evaluated again to share the caps out.
    """
    from slas.evaluation import lock_contracts, queue_evaluation

    contract_id = instance.contract_id
    # Results and Breaches have no database constraint on their SLA: the
    # contract's lock keeps a running evaluation from writing rows for the SLA
    # after its cascade has run (slas.models.ENGINE_ROWS_SLA_LINK).
    lock_contracts(contract_ids=[contract_id])
    had_breaches = instance.breaches.exists()
    with actor_context(user=actor, source="slas:delete"):
        model_delete(instance=instance)
    others = list(SLA.objects.filter(contract_id=contract_id).values_list("pk", flat=True))
    if had_breaches and others:
        queue_evaluation(sla_ids=others, actor=actor)


def evaluation_request(
    *, actor, sla_ids: Iterable[int] | None = None, since: date | None = None
) -> TaskRun:
    """Queue an evaluation on behalf of ``actor`` (governance office and admins only).

    Unknown SLA ids are a ``ValidationError`` on ``slas``; the returned
    ``core.TaskRun`` is what the caller polls.
    """
    if roles.role_of(actor) not in roles.WRITERS:
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
