"""The audit trail: every tracked model gets insert, update and delete events.

django-pghistory writes the events with database triggers, so bulk writes,
upserts and raw SQL cannot bypass it. The actor and URL come from
``pghistory.middleware.HistoryMiddleware`` for web and API requests and from
``actor_context`` for tasks and commands.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import pghistory
import pghistory.runtime
import pghistory.trigger
import pgtrigger

T = TypeVar("T")
P = ParamSpec("P")


def tracked(*, exclude: tuple[str, ...] = ()):
    """Decorator for a model whose every change lands in the audit trail.

    ``exclude`` names fields kept out of the events (a user's password hash).

    Every event is written by a statement-level trigger: one trigger call per
    statement writes the events of all its rows from the transition tables,
    where a row-level PL/pgSQL trigger cost 25–75 µs per row (most of the time
    of a bulk measurement post, and of an evaluation's credit updates,
    BENCHMARKS.md). Update events run their statement dynamically
    (``_PlannedPerCallUpdateEvent``). The events are the same as row-level
    ones: one per row inserted, changed or deleted, with the context (actor,
    URL, source).

    Columns the database computes (``GeneratedField``, e.g. a contract's
    at-risk amount) are left out of the events: an event table cannot take a
    value into a generated column, and the inputs they derive from are tracked.
    """

    def decorate(model):
        generated = [f.name for f in model._meta.concrete_fields if getattr(f, "generated", False)]
        left_out = [*exclude, *generated]
        return pghistory.track(
            pghistory.InsertEvent(level=pghistory.Statement),
            _UpdateEvent(level=pghistory.Statement),
            pghistory.DeleteEvent(level=pghistory.Statement),
            exclude=left_out or None,
        )(model)

    return decorate


class _PlannedPerCallUpdateEvent(pghistory.trigger.Event):
    """pghistory's statement-level update event, planned afresh on every call.

    The event joins the old and new transition tables to keep only the rows
    that changed. As static SQL, PL/pgSQL keeps the plan of that join from the
    session's first call: a nested loop planned for a one-row update made a
    later 37,000-row update quadratic (minutes). Run through ``EXECUTE``, the
    join is planned per call, knowing how many rows each transition table
    holds: a hash join for a bulk update, a nested loop for one row.
    """

    _TAG = "$pgh_per_call$"

    def render_func(self, model) -> str:
        rendered = super().render_func(model)
        statement, _, _ = rendered.rpartition("RETURN NULL;")
        statement = statement.strip().rstrip(";")
        if self._TAG in statement:  # pragma: no cover - would end the quoted statement
            raise ValueError(f"{self._TAG} inside an audit trigger statement")
        return f"EXECUTE {self._TAG} {statement} {self._TAG}; RETURN NULL;"


class _UpdateEvent(pghistory.UpdateEvent):
    """``pghistory.UpdateEvent`` whose trigger is ``_PlannedPerCallUpdateEvent``."""

    def add_event_trigger(self, event_model):
        pgtrigger.register(
            _PlannedPerCallUpdateEvent(
                event_model=event_model,
                label=self.label,
                name=self.trigger_name,
                row=self.row,
                operation=self.operation,
                condition=self.condition,
                level=self.level,
            )
        )(event_model.pgh_tracked_model)


def track_roles(user_model) -> None:
    """Put the grant and withdrawal of roles (a user's groups) in the audit trail.

    A role is a Django group held (``core.roles``); the many-to-many rows of
    ``User.groups`` are tracked like any model: an insert event when a role is
    given, a delete event when it is taken away, with the actor and source.
    """
    pghistory.track(
        pghistory.InsertEvent("role.add", level=pghistory.Statement),
        pghistory.DeleteEvent("role.remove", level=pghistory.Statement),
        obj_field=None,
        model_name="UserRoleEvent",
    )(user_model.groups.through)


def _open_context():
    """The pghistory context open in this thread, if any (pghistory keeps it per thread)."""
    return getattr(pghistory.runtime._tracker, "value", None)


def in_callers_audit_context(job: Callable[[], T]) -> Callable[[], T]:
    """Wrap ``job`` to run under the audit context open here, from any thread.

    Call it in the thread that holds the context (actor, source) and run the
    result in a worker thread, whose writes would otherwise carry no actor.
    """
    current = _open_context()
    metadata = dict(current.metadata) if current is not None else None

    def run() -> T:
        if metadata is None:
            return job()
        with pghistory.context(**metadata):
            return job()

    return run


@contextmanager
def actor_context(*, user=None, source: str):
    """Attribute the writes inside the block to ``user`` (or to ``source`` alone).

    The outermost context wins: pghistory merges nested contexts into one row
    shared by every event of the block, so a service's own context inside a
    command (``seed_demo`` calling ``sla_create``) would otherwise relabel all
    the command's events. Nested calls only fill in what is still unset.
    """
    metadata = {"user": getattr(user, "pk", None), "source": source}
    current = _open_context()
    if current is not None:
        missing = {k: v for k, v in metadata.items() if current.metadata.get(k) is None}
        current.metadata.update(missing)
        yield
        return
    with pghistory.context(**metadata):
        yield


def audited(source: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorator for a service: its writes are attributed to its ``actor`` keyword.

    Every service takes ``actor`` (a ``core.models.User``, or None for the
    system); this opens ``actor_context(user=actor, source=source)`` around
    the call, so the audit trail names the actor whichever path called it —
    a page, the API, the admin, a command or a Celery task. Inside a
    context already open (a command's, a request's), it only fills in what
    that context left unset (see ``actor_context``).
    """

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            with actor_context(user=kwargs.get("actor"), source=source):
                return fn(*args, **kwargs)

        return wrapper

    return decorate


def prime_audit_triggers(cursor) -> None:
    """Let the audit triggers of a bulk write run without raising and catching an error per row.

    pgtrigger and pghistory read their session settings (``pgtrigger.ignore``,
    ``pghistory.context_id``) inside PL/pgSQL exception blocks; when a setting
    was never set, every row's trigger raises and swallows an error, which
    made a first evaluation of 37,000 breaches spend 47 s in triggers instead
    of 1 s (BENCHMARKS.md). Setting ``pgtrigger.ignore`` to an empty list for
    the current transaction ignores no trigger and takes that path away; call
    it inside an ``actor_context`` so that the context settings exist as well.
    Every event is still written.
    """
    cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
