"""The SLA app's answers to signals of lower apps (connected in ``SlasConfig.ready()``)."""

from __future__ import annotations

from slas.evaluation import queue_evaluation


def evaluate_on_credit_terms_changed(sender, *, contract, actor=None, **kwargs) -> None:
    """A contract's credit terms changed: evaluate its SLAs again (credits, caps, earn-back)."""
    sla_ids = list(contract.slas.values_list("pk", flat=True))
    if sla_ids:
        queue_evaluation(sla_ids=sla_ids, actor=actor)
