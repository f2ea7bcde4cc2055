"""The SLA evaluation engine: DESIGN.md section 2, set-based.

Public interface (used by ingestion, the API, tasks, commands, seed and bench):

* ``evaluate(*, sla_ids=None, since=None, today=None) -> EvaluationSummary`` —
  recompute Results and Breaches (credits, caps, earn-back, withdrawals) for
  the given SLAs (all when None) and periods ending on/after ``since`` (all
  when None). Synchronous, idempotent, safe to run concurrently.
* ``evaluate_touched(*, touched: Iterable[tuple[int, date]], today=None,
  refresh_credits=False) -> EvaluationSummary`` — recompute exactly the
  periods containing those (sla_id, date) pairs and whatever depends on them
  (earn-back of earlier breaches, the credit cap of the contract-months whose
  breaches changed). Call it after a breach is waived or un-waived too, with
  ``[(breach.sla_id, breach.period_start)]`` and ``refresh_credits=True``, to
  share the cap out again.
* ``queue_evaluation(*, sla_ids=None, since=None, touched=None, actor=None) -> TaskRun``
  — the same, as a Celery task run after the current transaction commits;
  returns the ``core.TaskRun`` the user can watch.
* ``lock_contracts(*, contract_ids)`` — hold the engine's lock of those
  contracts until the transaction ends (for writers that must not interleave
  with an evaluation: deleting an SLA).
* ``sla_trends(*, sla_ids) -> dict[int, Trend]`` — the early warning
  (``slas.evaluation.trend``).

Outside a transaction, the batches of one call run on up to
``SLAS_EVALUATION_THREADS`` database connections at once (default 2): they
hold disjoint contracts, so they cannot conflict.

Decisions the design left open are documented where they are implemented:
the effective window in ``periods``, credits, caps and earn-back in ``sql``
and in ``rules.md`` next to this file.
"""

from slas.evaluation.engine import (
    Batch,
    EvaluationSummary,
    evaluate,
    evaluate_batch,
    evaluate_touched,
    lock_contracts,
    plan_batches,
)
from slas.evaluation.queueing import queue_evaluation
from slas.evaluation.trend import Trend, sla_trends

__all__ = [
    "Batch",
    "EvaluationSummary",
    "Trend",
    "evaluate",
    "evaluate_batch",
    "evaluate_touched",
    "lock_contracts",
    "plan_batches",
    "queue_evaluation",
    "sla_trends",
]
