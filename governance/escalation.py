"""The escalation engine (DESIGN.md section 2, "Escalation"), set-based in SQL.

* ``escalations_open_from_results(*, sla_ids=None, at=None)`` — after an SLA
  evaluation: open one escalation per streak of breached periods that reaches
  the plan's N, or holds a critical breach; record ``cause_withdrawn`` on
  automatic escalations whose streak a correction has cured.
* ``escalations_advance(*, now, escalation_ids=None)`` — move every open,
  unacknowledged escalation up its plan's levels at each due time that has
  passed, and flag those at the top level past their time as overdue.

Both are a fixed number of statements whatever the number of escalations.

The rule, quoted: "an escalation opens automatically when an SLA is breached
in N consecutive periods (the plan's N) or a breach is critical; one
escalation per streak (a streak ends with a met or at-risk period), whatever
the number of recomputations. It opens at level 1, due at opened + level 1's
response hours. Not acknowledged by then, it moves to level 2 at that due
time (the event's timestamp is the due time, however late the job runs), due
again after level 2's hours, and so on; at the top level it stays, flagged
overdue."

Decisions where the design is silent:

* A streak is a run of breached periods (Results with status breached, i.e.
  Breaches not withdrawn) of one SLA, in period order, with no met or at-risk
  Result between them. A period without data neither counts nor ends it:
  only a met or at-risk period ends a streak.
* The plan is the SLA's contract's plan, else its vendor's; an SLA whose
  vendor has no plan opens nothing (there is nobody to escalate to).
* A streak is identified by its first breached period (``streak_start``) and
  by the period that triggered it (``trigger_period``). A correction can move
  a streak's start (its first period cured); an escalation whose start or
  trigger lies inside a current streak already covers that streak, so
  recomputation never opens a second one for it.
* The cause is withdrawn when no qualifying streak covers the escalation any
  more (its trigger period cured, or the streak fell below N without a
  critical breach): a ``cause_withdrawn`` event is added once; the
  escalation itself stays as it is, for people to resolve.
* Only breaches of periods that ended in the last ``LOOKBACK_DAYS`` (92) days
  before ``at`` are looked at, for opening and for withdrawing: a streak
  found in older history opens nothing, and a correction of a period older
  than that leaves its escalation's timeline as it is. A streak that began
  earlier still counts from its true first period.
* Two runs at once (two evaluations finishing together) serialize on an
  advisory lock; the unique key (sla, streak_start) backs it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from core.audit import actor_context, prime_audit_triggers
from core.jobs import job_now

# pg_advisory_xact_lock(namespace, key): one key per job of this module.
LOCK_NAMESPACE = 0x474F56  # "GOV"
OPEN_LOCK_KEY = 1
# Streaks are looked for among the periods that ended in the last quarter: an
# escalation is about a current problem, not one a year old found by a first
# evaluation of history, and the daily work stays proportional to a quarter.
LOOKBACK_DAYS = 92

OPEN_SQL = """
WITH plans AS (
    SELECT s.id AS sla_id, s.name AS sla_name, c.vendor_id,
           COALESCE(pc.id, pv.id) AS plan_id,
           COALESCE(pc.consecutive_breaches, pv.consecutive_breaches) AS n
    FROM slas_sla s
    JOIN contracts_contract c ON c.id = s.contract_id
    LEFT JOIN governance_escalationplan pc ON pc.contract_id = c.id
    LEFT JOIN governance_escalationplan pv
           ON pv.vendor_id = c.vendor_id AND pv.contract_id IS NULL
    WHERE (pc.id IS NOT NULL OR pv.id IS NOT NULL) {sla_filter}
),
breached AS (
    -- last_ok: the latest met or at-risk period before the breach; the streak
    -- starts at the first period after it (necessarily breached), and the
    -- breach is the pos-th breached period of its streak.
    SELECT b.id, b.sla_id, b.period_start, b.severity, p.plan_id, p.n, p.vendor_id, p.sla_name,
           ok.last_ok
    FROM slas_breach b
    JOIN plans p ON p.sla_id = b.sla_id
    CROSS JOIN LATERAL (
        SELECT (SELECT r.period_start FROM slas_result r
                 WHERE r.sla_id = b.sla_id AND r.period_start < b.period_start
                   AND r.status <> 'breached'
                 ORDER BY r.period_start DESC LIMIT 1) AS last_ok
    ) ok
    WHERE b.status <> 'withdrawn' AND b.period_end >= %(window_start)s
),
placed AS (
    SELECT breached.*, st.streak_start,
           (SELECT count(*) FROM slas_result r
             WHERE r.sla_id = breached.sla_id
               AND r.period_start BETWEEN st.streak_start AND breached.period_start) AS pos
    FROM breached
    CROSS JOIN LATERAL (
        SELECT (SELECT r.period_start FROM slas_result r
                 WHERE r.sla_id = breached.sla_id
                   AND r.period_start > COALESCE(breached.last_ok, '-infinity'::date)
                 ORDER BY r.period_start LIMIT 1) AS streak_start
    ) st
),
ranked AS (
    SELECT placed.*, max(period_start) OVER (PARTITION BY sla_id, streak_start) AS streak_end
    FROM placed
),
streaks AS (
    -- The first breach of each streak that qualifies: the N-th, or a critical one.
    SELECT DISTINCT ON (sla_id, streak_start) *
    FROM ranked
    WHERE pos >= n OR severity = 'critical'
    ORDER BY sla_id, streak_start, period_start
),
opened AS (
    INSERT INTO governance_escalation (
        vendor_id, plan_id, subject_type, subject_id, title, description, level, status,
        opened_at, due_at, overdue, sla_id, streak_start, trigger_period,
        created_at, updated_at)
    SELECT s.vendor_id, s.plan_id, 'breach', s.id,
           left(CASE WHEN s.pos < s.n
                     THEN format('%%s: critical breach in the period from %%s',
                                 s.sla_name, s.period_start)
                     ELSE format('%%s: breached %%s periods in a row (since %%s)',
                                 s.sla_name, s.pos, s.streak_start) END, 300),
           '', 1, 'open', %(at)s, %(at)s + make_interval(hours => l.response_hours), false,
           s.sla_id, s.streak_start, s.period_start, now(), now()
    FROM streaks s
    JOIN governance_escalationlevel l ON l.plan_id = s.plan_id AND l.level = 1
    WHERE NOT EXISTS (
        SELECT 1 FROM governance_escalation e
        WHERE e.sla_id = s.sla_id
          AND (e.streak_start BETWEEN s.streak_start AND s.streak_end
               OR e.trigger_period BETWEEN s.streak_start AND s.streak_end))
    ON CONFLICT DO NOTHING
    RETURNING id, level, opened_at
),
opened_events AS (
    INSERT INTO governance_escalationtimelineevent (escalation_id, at, kind, level, note)
    SELECT id, opened_at, 'opened', level, 'Opened automatically from the SLA results.'
    FROM opened
    ON CONFLICT DO NOTHING
    RETURNING id
),
withdrawn AS (
    INSERT INTO governance_escalationtimelineevent (escalation_id, at, kind, level, note)
    SELECT e.id, %(at)s, 'cause_withdrawn', e.level,
           'A correction cured the breached periods that opened this escalation.'
    FROM governance_escalation e
    WHERE e.sla_id IS NOT NULL AND e.trigger_period >= %(window_start)s {escalation_filter}
      AND NOT EXISTS (SELECT 1 FROM governance_escalationtimelineevent x
                      WHERE x.escalation_id = e.id AND x.kind = 'cause_withdrawn')
      AND NOT EXISTS (
          SELECT 1 FROM streaks s
          WHERE s.sla_id = e.sla_id
            AND (e.streak_start BETWEEN s.streak_start AND s.streak_end
                 OR e.trigger_period BETWEEN s.streak_start AND s.streak_end))
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT (SELECT count(*) FROM opened), (SELECT count(*) FROM withdrawn)
"""

ADVANCE_SQL = """
WITH RECURSIVE steps AS (
    -- depth 0: where each escalation stands; each further row is one move to the
    -- next level, made at the previous due time (moved_at), due again after that
    -- level's hours. It stops at a due time still ahead, or at the top level.
    -- was_due: the due time the escalation had when this statement read it.
    SELECT e.id, e.plan_id, e.level, e.due_at, e.due_at AS moved_at, 0 AS depth,
           e.due_at AS was_due
    FROM governance_escalation e
    WHERE e.status = 'open' AND NOT e.overdue AND e.due_at <= %(now)s {id_filter}
  UNION ALL
    SELECT s.id, s.plan_id, l.level, s.due_at + make_interval(hours => l.response_hours),
           s.due_at, s.depth + 1, s.was_due
    FROM steps s
    JOIN governance_escalationlevel l ON l.plan_id = s.plan_id AND l.level = s.level + 1
    WHERE s.due_at <= %(now)s
),
final AS (
    SELECT DISTINCT ON (id) id, level, due_at, was_due FROM steps ORDER BY id, depth DESC
),
moved AS (
    -- The conditions are checked again on each row as it is when this statement
    -- locks it (READ COMMITTED re-checks an updated row): an escalation that a
    -- concurrent acknowledgement, resolution or run changed since this
    -- statement's snapshot is left alone, and gets no event below.
    UPDATE governance_escalation e
    SET level = f.level, due_at = f.due_at, overdue = f.due_at <= %(now)s, updated_at = now()
    FROM final f
    WHERE e.id = f.id AND e.status = 'open' AND NOT e.overdue AND e.due_at = f.was_due
    RETURNING e.id, e.overdue
),
events AS (
    INSERT INTO governance_escalationtimelineevent (escalation_id, at, kind, level, note)
    SELECT s.id, s.moved_at, 'escalated', s.level, 'Not acknowledged in time.'
    FROM steps s JOIN moved m ON m.id = s.id
    WHERE s.depth > 0
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM moved WHERE overdue)
"""


@dataclass(frozen=True)
class OpenReport:
    """What one opening run did: escalations opened, causes withdrawn."""

    opened: int
    causes_withdrawn: int


@dataclass(frozen=True)
class AdvanceReport:
    """What one run of the advance job did: moves made, escalations newly flagged overdue."""

    moves: int
    flagged_overdue: int


def escalations_open_from_results(
    *,
    sla_ids: list[int] | None = None,
    changed_since: datetime | None = None,
    at: datetime | str | None = None,
) -> OpenReport:
    """Open the escalations the SLA results call for, as of ``at`` (default now).

    Idempotent: a second run, or a run after any recomputation, opens nothing
    for a streak that already has its escalation. ``sla_ids`` limits the work
    to those SLAs (all when None); ``changed_since`` to the SLAs with a breach
    the engine wrote (new, changed, re-opened, withdrawn) since then: after an
    evaluation, only those can start, reach or lose a streak. Notifications
    for the opened escalations are sent by ``escalation_events_notify``
    (every event is notified once).
    """
    moment = job_now(at)
    ids = sorted({int(i) for i in sla_ids}) if sla_ids is not None else None
    params = {
        "at": moment,
        "window_start": timezone.localdate(moment) - timedelta(days=LOOKBACK_DAYS),
        "lock_ns": LOCK_NAMESPACE,
        "lock_key": OPEN_LOCK_KEY,
    }
    sla_filter = escalation_filter = ""
    if ids is not None:
        params["ids"] = ids
        sla_filter = "AND s.id = ANY(%(ids)s)"
        escalation_filter = "AND e.sla_id = ANY(%(ids)s)"
    if changed_since is not None:
        params["since"] = changed_since
        changed = "(SELECT sla_id FROM slas_breach WHERE updated_at >= %(since)s)"
        sla_filter += f" AND s.id IN {changed}"
        escalation_filter += f" AND e.sla_id IN {changed}"
    with (
        transaction.atomic(),
        actor_context(source="escalations"),
        connection.cursor() as cursor,
    ):
        prime_audit_triggers(cursor)
        # Serializes concurrent runs; the main statement's snapshot is taken
        # after the lock, so it sees what an earlier run committed.
        # JIT off for the transaction: these statements are estimated above the
        # JIT threshold yet run in milliseconds; compiling them took 0.7 s (bench).
        cursor.execute(
            "SELECT set_config('jit', 'off', true), "
            "pg_advisory_xact_lock(%(lock_ns)s, %(lock_key)s)",
            params,
        )
        cursor.execute(
            OPEN_SQL.format(sla_filter=sla_filter, escalation_filter=escalation_filter),
            params,
        )
        opened, withdrawn = cursor.fetchone()
    return OpenReport(opened=opened, causes_withdrawn=withdrawn)


def escalations_advance(
    *, now: datetime | str | None = None, escalation_ids: list[int] | None = None
) -> AdvanceReport:
    """Move every open escalation whose due time has passed, at each due time, as of ``now``.

    A fixed number of statements whatever the number of escalations: one
    recursive statement makes every move, one event per move stamped with the
    due time it happened at, and flags the top-level ones overdue. It locks
    the rows it moves (a concurrent acknowledgement or run waits, or is waited
    for) and skips any that changed meanwhile, so a move is made and recorded
    once. Running it again for the same ``now`` does nothing.
    ``escalation_ids`` limits it to those (an acknowledgement catches up
    its escalation's moves first).
    """
    moment = job_now(now)
    params: dict = {"now": moment}
    id_filter = ""
    if escalation_ids is not None:
        params["ids"] = [int(i) for i in escalation_ids]
        id_filter = "AND e.id = ANY(%(ids)s)"
    with (
        transaction.atomic(),
        actor_context(source="escalations-advance"),
        connection.cursor() as cursor,
    ):
        prime_audit_triggers(cursor)
        # JIT off for the transaction: the statement is estimated above the JIT
        # threshold yet runs in well under a second; compiling it took 0.7 s (bench).
        cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute(ADVANCE_SQL.format(id_filter=id_filter), params)
        moves, flagged = cursor.fetchone()
    return AdvanceReport(moves=moves, flagged_overdue=flagged)
