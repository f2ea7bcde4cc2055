"""Running the evaluation: batches, transactions, locks, summaries.

The SQL lives in ``slas.evaluation.sql``; this module decides *what* to
recompute and runs the steps per batch, each batch in its own
transaction holding a ``pg_advisory_xact_lock`` per contract.

Batches are made of whole contracts (every SLA of a contract, or every
requested SLA of it, in one batch) so that the monthly credit cap of a
contract-month — which spans all its SLAs — is computed inside one batch and
one transaction. A batch holds at most ``MAX_SLAS`` SLAs and ``MAX_CONTRACTS``
contracts, which keeps memory flat and the number of advisory locks held by
one transaction well inside PostgreSQL's lock table.

Why it is safe to repeat, reorder or interrupt: every step computes its rows
from the measurements and definitions as they are when it runs (after the
locks are granted, so a concurrent evaluation of the same contracts has
committed), and writes them with upserts keyed on (sla, period_start). An
interrupted run leaves whole batches done or not done; running again finishes
the job. Two runs of the same SLAs at the same time serialize per contract and
end in the same state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction

from core.audit import actor_context, in_callers_audit_context, prime_audit_triggers
from slas.evaluation import scopes, sql
from slas.evaluation.periods import since_floor

MAX_SLAS = 2000
TOUCHED_MAX_SLAS = 20_000
MAX_CONTRACTS = 500


@dataclass
class EvaluationSummary:
    """What one evaluation did, summed over its batches.

    ``periods``: periods with data evaluated (Results now present in scope);
    ``results_written``: Results inserted or changed; ``results_deleted``:
    Results of periods that lost their data; ``breaches_new`` /
    ``breaches_reopened`` / ``breaches_withdrawn``: what happened to Breaches
    in this run; ``breaches``, ``withdrawn`` and ``credits``: the Breaches in
    scope afterwards (not withdrawn / withdrawn) and the credits they carry.
    """

    batches: int = 0
    periods: int = 0
    results_written: int = 0
    results_deleted: int = 0
    breaches_new: int = 0
    breaches_reopened: int = 0
    breaches_withdrawn: int = 0
    breaches: int = 0
    withdrawn: int = 0
    credits: Decimal = field(default_factory=lambda: Decimal("0.00"))

    def __add__(self, other: EvaluationSummary) -> EvaluationSummary:
        return EvaluationSummary(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (credits as a string), for ``TaskRun.result``."""
        data = asdict(self)
        data["credits"] = str(self.credits)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvaluationSummary:
        values = {f.name: data.get(f.name, 0) for f in fields(cls)}
        values["credits"] = Decimal(str(values["credits"] or "0"))
        return cls(**values)

    def __str__(self) -> str:
        return (
            f"{self.periods} periods evaluated in {self.batches} batch(es); "
            f"results: {self.results_written} written, {self.results_deleted} deleted; "
            f"breaches: {self.breaches} in scope ({self.breaches_new} new, "
            f"{self.breaches_reopened} re-opened), {self.withdrawn} withdrawn "
            f"({self.breaches_withdrawn} in this run); credits {self.credits:.2f}"
        )


@dataclass(frozen=True)
class Batch:
    """A set of whole contracts [contract_lo, contract_hi] to evaluate together.

    ``sla_ids`` restricts the batch to those SLAs (None: all SLAs of the
    contracts); ``sla_lo``/``sla_hi`` bound their ids, which lets PostgreSQL
    read the measurements with one index range scan. JSON-serializable through
    ``as_dict``/``from_dict`` so a Celery task can carry it.
    """

    contract_lo: int
    contract_hi: int
    sla_lo: int
    sla_hi: int
    sla_ids: tuple[int, ...] | None = None
    size: int = 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sla_ids"] = list(self.sla_ids) if self.sla_ids is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Batch:
        ids = data.get("sla_ids")
        return cls(
            contract_lo=data["contract_lo"],
            contract_hi=data["contract_hi"],
            sla_lo=data["sla_lo"],
            sla_hi=data["sla_hi"],
            sla_ids=tuple(ids) if ids is not None else None,
            size=data.get("size", 0),
        )


def pg_array(values: Iterable[int | date]) -> str:
    """An array parameter as one text literal (cast in SQL: ``%(x)s::bigint[]``).

    psycopg2 sends a Python list as ``ARRAY[v1, v2, …]``, which the server
    parses as one expression per element: 60 ms for the 10,000 ids and dates
    of a touched batch, against 7 ms for the same values as one literal.
    Only ints and dates go in, so nothing needs quoting.
    """
    return (
        "{" + ",".join(v.isoformat() if isinstance(v, date) else str(int(v)) for v in values) + "}"
    )


def plan_batches(
    *, sla_ids: Iterable[int] | None = None, max_slas: int = MAX_SLAS, keep_ids: bool = True
) -> list[Batch]:
    """Split the SLAs to evaluate (all when None) into batches of whole contracts.

    One query, one row per contract; a contract with more than ``max_slas``
    SLAs is a batch of its own. ``keep_ids=False``: the batches say only
    which contracts they hold (``sla_ids`` None), for a caller that selects
    its SLAs within them by other means (``evaluate_touched``).
    """
    ids = sorted({int(i) for i in sla_ids}) if sla_ids is not None else None
    if ids is not None and not ids:
        return []
    keep_ids = keep_ids and ids is not None
    where = "WHERE id = ANY(%(ids)s::bigint[])" if ids is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT contract_id, count(*), min(id), max(id)
                       {", array_agg(id ORDER BY id)" if keep_ids else ""}
                FROM slas_sla {where} GROUP BY contract_id ORDER BY contract_id""",
            {"ids": pg_array(ids) if ids is not None else None},
        )
        rows = cursor.fetchall()
    batches: list[Batch] = []
    current: list[tuple] = []

    def close() -> None:
        if current:
            batches.append(
                Batch(
                    contract_lo=current[0][0],
                    contract_hi=current[-1][0],
                    sla_lo=min(r[2] for r in current),
                    sla_hi=max(r[3] for r in current),
                    sla_ids=tuple(i for r in current for i in r[4]) if keep_ids else None,
                    size=sum(r[1] for r in current),
                )
            )
            current.clear()

    count = 0
    for row in rows:
        if current and (count + row[1] > max_slas or len(current) >= MAX_CONTRACTS):
            close()
            count = 0
        current.append(row)
        count += row[1]
    close()
    return batches


def lock_contracts(*, contract_ids: Iterable[int]) -> None:
    """Take the engine's advisory lock of each contract, until the transaction ends.

    For writers outside the engine that must not interleave with an
    evaluation of those contracts (``slas.services.sla_delete``: Results and
    Breaches keep their SLA by this lock, ``slas.models.ENGINE_ROWS_SLA_LINK``).
    Taken in contract order, as the engine takes them, so two lockers cannot
    deadlock. Must run inside a transaction.
    """
    ids = sorted({int(i) for i in contract_ids})
    if not ids:
        return
    if not connection.in_atomic_block:
        raise RuntimeError(
            "lock_contracts() holds its locks until commit: call it in an atomic block."
        )
    keys = {"lock_keys": "SELECT unnest(%(contract_ids)s::bigint[]) AS contract_id"}
    with connection.cursor() as cursor:
        cursor.execute(
            sql.render(sql.LOCK, keys),
            {"lock_ns": sql.LOCK_NAMESPACE, "contract_ids": pg_array(ids)},
        )


def _run_steps(
    fragments: dict[str, str],
    params: dict[str, Any],
    *,
    today: date,
    setup: str | None = None,
) -> EvaluationSummary:
    """The steps of one batch, inside the caller's transaction.

    ``setup``: SQL run first with the same parameters (the touched scope's
    temporary table of periods).
    """
    params = {**params, "lock_ns": sql.LOCK_NAMESPACE, "today": today}
    with actor_context(source="evaluation"), connection.cursor() as cursor:
        prime_audit_triggers(cursor)
        # Each statement is estimated above the JIT threshold yet runs in well
        # under a second; compiling it cost ~0.5 s per statement and batch.
        cursor.execute("SET LOCAL jit = off")
        if setup:
            cursor.execute(setup, params)
        cursor.execute(sql.render(sql.LOCK, fragments), params)
        cursor.execute(sql.render(sql.EVALUATE, fragments), params)
        periods, written, deleted, new, reopened, withdrawn_now, contracts, months = (
            cursor.fetchone()
        )
        # The months whose breaches changed (in a range scope also those that
        # breaches left) have their caps shared out again.
        changed = {"changed_contracts": pg_array(contracts), "changed_months": pg_array(months)}
        cursor.execute(sql.render(sql.SETTLE, fragments), {**params, **changed})
        cursor.execute(sql.render(sql.TOTALS, fragments), params)
        breaches, withdrawn, credits = cursor.fetchone()
    return EvaluationSummary(
        batches=1,
        periods=periods,
        results_written=written,
        results_deleted=deleted,
        breaches_new=new,
        breaches_reopened=reopened,
        breaches_withdrawn=withdrawn_now,
        breaches=breaches,
        withdrawn=withdrawn,
        credits=Decimal(credits),
    )


def evaluate_batch(
    *, batch: Batch, since: date | None = None, today: date | None = None
) -> EvaluationSummary:
    """Recompute one batch of contracts (periods ending on/after ``since``) in one transaction."""
    fragments = scopes.range_fragments(
        with_ids=batch.sla_ids is not None, with_since=since is not None
    )
    params = {
        "contract_lo": batch.contract_lo,
        "contract_hi": batch.contract_hi,
        "sla_lo": batch.sla_lo,
        "sla_hi": batch.sla_hi,
        "sla_ids": pg_array(batch.sla_ids) if batch.sla_ids is not None else None,
        "since": since,
        "since_floor": since_floor(since) if since is not None else None,
    }
    with transaction.atomic():
        return _run_steps(fragments, params, today=today or date.today())


def _run_batches(jobs: list[Callable[[], EvaluationSummary]]) -> EvaluationSummary:
    """Run independent batch jobs, on parallel database connections where that is safe.

    Batches hold disjoint contracts and each commits on its own, so they can
    run at once: on a two-core server a full evaluation takes half the time.
    Inside a transaction they run here, one after the other, because another
    connection would not see the caller's uncommitted rows. Each thread
    re-enters the caller's audit context (pghistory keeps it per thread) and
    closes its connection when done.
    """
    threads = min(max(1, int(getattr(settings, "SLAS_EVALUATION_THREADS", 2))), len(jobs))
    if threads <= 1 or connection.in_atomic_block:
        return sum((job() for job in jobs), EvaluationSummary())

    def run(job: Callable[[], EvaluationSummary]) -> EvaluationSummary:
        try:
            return job()
        finally:
            connections.close_all()  # this thread's connections only

    carried = [in_callers_audit_context(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="evaluation") as pool:
        return sum(pool.map(run, carried), EvaluationSummary())


def evaluate(
    *,
    sla_ids: Iterable[int] | None = None,
    since: date | None = None,
    today: date | None = None,
    max_slas: int = MAX_SLAS,
) -> EvaluationSummary:
    """Recompute Results and Breaches of ``sla_ids`` (all when None) for periods ending ≥ ``since``.

    Credits, the monthly caps of the affected contract-months and earn-back
    are recomputed too. Each batch (at most ``max_slas`` SLAs) commits on its
    own (see the module docstring for why that is safe); batches run in
    parallel outside a transaction (``_run_batches``). ``today`` decides which
    earn-back windows have ended (default: the current date).
    """
    return _run_batches(
        [
            lambda batch=batch: evaluate_batch(batch=batch, since=since, today=today)
            for batch in plan_batches(sla_ids=sla_ids, max_slas=max_slas)
        ]
    )


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def evaluate_touched(
    *,
    touched: Iterable[tuple[int, date | str]],
    today: date | None = None,
    refresh_credits: bool = False,
    touched_max_slas: int = TOUCHED_MAX_SLAS,
) -> EvaluationSummary:
    """Recompute exactly the periods containing the touched (sla_id, date) pairs, and dependents.

    Dependents: the breaches of the same SLA whose earn-back window holds a
    touched period, and the credit cap of every contract-month whose breaches
    changed (one appeared, was withdrawn or re-opened, or moved month) — or,
    with ``refresh_credits``, of every contract-month a touched period ends
    in, for callers that changed what a breach owes without changing its
    period (the breach workflow). Gives the same rows as a full evaluation
    would (tested). Pairs are grouped by contract into batches like
    ``evaluate``.
    """
    ids: list[int] = []
    days: list[date] = []
    for sla_id, day in touched:
        ids.append(int(sla_id))
        days.append(_as_date(day))
    if not ids:
        return EvaluationSummary()
    # Every batch gets all the pairs, as one literal built once, and keeps
    # those of its contracts (scopes.TOUCHED_TARGETS, which also drops
    # repeated pairs): splitting them up here cost more than the server's
    # filtering, and ran in Python before any batch could start.
    common = {
        "t_ids": pg_array(ids),
        "t_dates": pg_array(days),
        "refresh_credits": refresh_credits,
    }
    fragments = scopes.touched_fragments()
    today = today or date.today()

    def job(batch: Batch) -> EvaluationSummary:
        params = {**common, "contract_lo": batch.contract_lo, "contract_hi": batch.contract_hi}
        with transaction.atomic():
            return _run_steps(fragments, params, today=today, setup=scopes.TOUCHED_TARGETS)

    # Touched work grows with the periods touched, not with the SLAs' history,
    # so batches may be larger than a full evaluation's: fewer statements.
    return _run_batches(
        [
            lambda batch=batch: job(batch)
            for batch in plan_batches(sla_ids=ids, max_slas=touched_max_slas, keep_ids=False)
        ]
    )
