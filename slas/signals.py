"""Signals of the slas app: how higher apps (governance, notifications) learn of SLA events.

Imports run one way (core ← … ← slas ← governance): slas never imports the
apps that react to its results, so it announces them here and they connect
their receivers in their own ``AppConfig.ready()``.

* ``evaluation_committed`` — an evaluation run has finished and its results
  and breaches are committed. Sent once per run, from the worker that closed
  it (``slas.tasks``), after the commit (``transaction.on_commit``), with
  ``send_robust``: a failing receiver is logged, the evaluation stays done.
  Arguments: ``task_run_id`` (int or None) and ``changed_since`` (datetime or
  None): every breach the run wrote (new, changed, withdrawn, re-opened) has
  ``updated_at >= changed_since``. Receivers must be safe to run twice and
  concurrently (two evaluations may finish at once): the next run, or the
  nightly one, sends it again for what overlaps.
* ``breach_changed`` — a person moved a breach through its workflow
  (acknowledge, remediate — root cause and corrective action —, resolve,
  waive, reopen; ``slas.services.workflow``). Sent inside the move's
  transaction, once per move, after its ``BreachTransition`` is written, so
  what a receiver writes commits or rolls back with the move (webhook
  deliveries are queued only after the commit). Arguments: ``breach`` (the
  saved Breach), ``transition`` (the BreachTransition: ``pk`` names the
  event, for dedupe keys) and ``action`` (the workflow action's name).
"""

from __future__ import annotations

from django.dispatch import Signal

evaluation_committed = Signal()
breach_changed = Signal()
