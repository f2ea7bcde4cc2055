"""Measurement ingestion: validate everything first, then one set-based upsert.

DESIGN.md section 1: "One value per SLA per date: sending it again replaces
it (idempotent ingestion; the audit trail keeps the old value)." and section
6: "a list is all-or-nothing, and its errors name the index of each bad item."

``measurements_validate`` parses and checks every row in plain Python with a
single query for the SLAs named (existence, the actor's write scope, the
effective window); ``measurements_upsert`` then writes all rows with one
``INSERT … ON CONFLICT (sla_id, date) DO UPDATE`` statement and queues the
evaluation of exactly the periods the rows fall in, once the transaction
commits. The pghistory triggers on ``slas_measurement`` record every insert
and every changed value, bulk or not.

Why not a DRF serializer per item: a list of 10,000 items would run 10,000
serializers and field validators; the checks here are the same (type, format,
digits, scope) at a fraction of the cost, so the bulk API keeps up with a
bare upsert (see ``bench/ingest.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core import permissions
from core.audit import actor_context, prime_audit_triggers
from core.models import User
from slas import choices
from slas.evaluation.periods import period_start
from slas.models import SLA, Measurement, value_range

MAX_ITEMS = 10_000
# Measurement.value is DecimalField(max_digits=20, decimal_places=6).
MAX_DECIMAL_PLACES = 6
MAX_WHOLE_DIGITS = 20 - MAX_DECIMAL_PLACES
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MSG_NUMBER = "A valid number is required."
MSG_DATE = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
MSG_REQUIRED = "This field is required."
MSG_NUL = "Null characters are not allowed."


class ItemsValidationError(ValidationError):
    """A batch of measurements was refused; ``items`` maps each bad index to its field errors.

    ``items`` has the shape ``{index: {field: [message, ...]}}`` (indexes are
    0-based positions in the rows given). Nothing was written.
    """

    def __init__(self, items: dict[int, dict[str, list[str]]]):
        self.items = items
        count = len(items)
        super().__init__(
            f"{count} item{'s' if count != 1 else ''} invalid; nothing was written.",
            code="invalid_items",
        )


@dataclass(frozen=True)
class CleanRow:
    """One validated measurement, ready to write."""

    sla_id: int
    date: date
    value: Decimal
    source: str
    note: str


@dataclass
class UpsertSummary:
    """What one ingestion did: rows received, created, replaced, left as they were.

    ``updated`` counts rows whose value, source or note changed; re-sending an
    identical row changes nothing (``unchanged``) and writes no audit event.
    ``evaluation`` is the queued ``core.TaskRun`` (None when nothing was sent).
    """

    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    touched_periods: list[tuple[int, date]] = field(default_factory=list)
    evaluation: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "evaluation_task_run": getattr(self.evaluation, "pk", None),
        }


# --- parsing one field ---------------------------------------------------------------


def parse_int(value: Any) -> int | None:
    """An integer id from an int or a digit string; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_date(value: Any) -> date | None:
    """A date from a ``date`` (not a datetime) or a ``YYYY-MM-DD`` string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def parse_value(value: Any) -> tuple[Decimal | None, str | None]:
    """(decimal, None) or (None, message) for a measured value.

    Accepts numbers and numeric strings; refuses booleans, NaN, infinities and
    more digits than the column holds, with DRF's wording.
    """
    if isinstance(value, bool) or value is None:
        return None, MSG_NUMBER if value is not None else MSG_REQUIRED
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, MSG_NUMBER
        value = repr(value)
    if isinstance(value, int | Decimal):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None, MSG_NUMBER if value != "" else MSG_REQUIRED
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None, MSG_NUMBER
    if not number.is_finite():
        return None, MSG_NUMBER
    sign, digits, exponent = number.as_tuple()
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if places > MAX_DECIMAL_PLACES:
        return None, f"Ensure that there are no more than {MAX_DECIMAL_PLACES} decimal places."
    if whole > MAX_WHOLE_DIGITS:
        return None, (
            f"Ensure that there are no more than {MAX_WHOLE_DIGITS} digits before the "
            "decimal point."
        )
    return number, None


# --- validation -------------------------------------------------------------------


def _writable_slas(*, ids: Iterable[int], actor: User | None) -> dict[int, dict[str, Any]]:
    """The SLAs among ``ids`` the actor may record measurements for, keyed by id.

    One query for the SLAs the actor can see, then ``may_create`` once per
    distinct vendor (no query for writers and vendor representatives).
    """
    visible = permissions.restrict(SLA.objects.filter(pk__in=list(ids)), user=actor)
    slas = {
        row["id"]: row
        for row in visible.values(
            "id",
            "name",
            "period",
            "unit",
            "effective_from",
            "effective_to",
            "contract__vendor_id",
            "contract__start_date",
            "contract__end_date",
        )
    }
    allowed_vendor = {
        vendor_id: permissions.may_create(user=actor, model=Measurement, vendor_id=vendor_id)
        for vendor_id in {row["contract__vendor_id"] for row in slas.values()}
    }
    return {i: row for i, row in slas.items() if allowed_vendor[row["contract__vendor_id"]]}


def _date_error(day: date, sla: dict[str, Any], *, today: date) -> str | None:
    """Why ``day`` cannot carry a value of ``sla`` (DESIGN.md section 2), or None.

    "Measurements must be dated inside the SLA's effective window, inside the
    contract's term, and not after today": a value dated 2030 (or 9999-12-31)
    would otherwise make a breach, and a credit, in a month not yet lived.
    """
    if day > today:
        return f"{day.isoformat()} is after today ({today.isoformat()}): nothing is measured yet."
    start, end = sla["effective_from"], sla["effective_to"]
    if day < start or (end is not None and day > end):
        window = f"{start.isoformat()} to {end.isoformat()}" if end else f"from {start.isoformat()}"
        return f"{day.isoformat()} is outside the SLA's effective window ({window})."
    term_start, term_end = sla["contract__start_date"], sla["contract__end_date"]
    if day < term_start or day > term_end:
        return (
            f"{day.isoformat()} is outside the contract's term "
            f"({term_start.isoformat()} to {term_end.isoformat()})."
        )
    return None


def _value_error(value: Decimal, sla: dict[str, Any]) -> str | None:
    """Why ``value`` is outside the valid range of the SLA's unit, or None (``value_range``)."""
    low, high = value_range(sla["unit"])
    unit = f" {sla['unit']}" if sla["unit"] else ""
    if low is not None and value < low:
        return f"{value}{unit} is below the smallest valid value ({low}{unit})."
    if high is not None and value > high:
        return f"{value}{unit} is above the largest valid value ({high}{unit})."
    return None


def measurements_validate(
    *, rows: list[dict[str, Any]], source: str, actor: User | None
) -> tuple[list[CleanRow], dict[int, dict[str, list[str]]]]:
    """Check every row; return the clean rows and the errors by index and field.

    A row is a mapping with ``sla`` (id), ``date`` (``YYYY-MM-DD``), ``value``
    (a finite decimal, at most 14 digits before and 6 after the point) and
    optional ``note`` and ``source`` (defaults to ``source``). The SLA must
    exist, be inside the actor's write scope (a vendor representative: their
    own vendor's SLAs); the date inside its effective window and its
    contract's term, and not after today; the value inside the valid range of
    the SLA's unit (``value_range``). The same SLA
    and date twice in one batch is refused: which value should win is unclear.
    """
    errors: dict[int, dict[str, list[str]]] = {}
    today = timezone.localdate()

    def err(index: int, name: str, message: str) -> None:
        errors.setdefault(index, {}).setdefault(name, []).append(message)

    ids = set()
    for row in rows:
        if isinstance(row, dict):
            sla_id = parse_int(row.get("sla"))
            if sla_id is not None:
                ids.add(sla_id)
    slas = _writable_slas(ids=ids, actor=actor) if ids else {}
    clean: list[CleanRow] = []
    seen: dict[tuple[int, date], int] = {}
    valid_sources = set(choices.Source.values)
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            err(index, "non_field_errors", "Expected an object with sla, date and value.")
            continue
        raw_sla = row.get("sla")
        sla_id = parse_int(raw_sla)
        sla = None
        if raw_sla in (None, ""):
            err(index, "sla", MSG_REQUIRED)
        elif sla_id is None:
            err(index, "sla", "Incorrect type. Expected pk value.")
        else:
            sla = slas.get(sla_id)
            if sla is None:
                err(index, "sla", f"Unknown or inaccessible SLA {sla_id}.")
        raw_date = row.get("date")
        day = parse_date(raw_date)
        if raw_date in (None, ""):
            err(index, "date", MSG_REQUIRED)
        elif day is None:
            err(index, "date", MSG_DATE)
        elif sla is not None and (message := _date_error(day, sla, today=today)):
            err(index, "date", message)
        value, message = parse_value(row.get("value"))
        if message is None and sla is not None:
            message = _value_error(value, sla)
        if message:
            err(index, "value", message)
        note = row.get("note") or ""
        if not isinstance(note, str):
            err(index, "note", "Not a valid string.")
        elif "\x00" in note:
            # PostgreSQL text cannot hold NUL: the write would fail after validation.
            err(index, "note", MSG_NUL)
        row_source = row.get("source") or source
        # A list or an object is not hashable: test the type before the set lookup.
        if not isinstance(row_source, str) or row_source not in valid_sources:
            err(index, "source", f'"{row_source}" is not a valid choice.')
        if index in errors:
            continue
        key = (sla_id, day)
        if key in seen:
            err(index, "date", f"Item {seen[key]} already gives SLA {sla_id} a value for {day}.")
            continue
        seen[key] = index
        clean.append(CleanRow(sla_id, day, value, row_source, note))
    return clean, errors


# --- writing ----------------------------------------------------------------------

_UPSERT = """
INSERT INTO slas_measurement AS m
    (created_at, updated_at, sla_id, date, value, source, note, recorded_by_id)
VALUES %s
ON CONFLICT (sla_id, date) DO UPDATE SET
    value = EXCLUDED.value, source = EXCLUDED.source, note = EXCLUDED.note,
    recorded_by_id = EXCLUDED.recorded_by_id, updated_at = EXCLUDED.updated_at
WHERE (m.value, m.source, m.note) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.source, EXCLUDED.note)
RETURNING (xmax = 0)
"""
_TEMPLATE = "(now(), now(), %s, %s, %s, %s, %s, %s)"


def _write(rows: list[CleanRow], *, actor_id: int | None) -> tuple[int, int]:
    """Upsert ``rows`` in one statement; returns (created, updated).

    ``xmax = 0`` is true for a freshly inserted row and false for one the
    ON CONFLICT branch updated; rows whose value, source and note were
    already those sent are skipped by the WHERE and not returned. The
    statement goes through Django's cursor (not psycopg2's ``execute_values``
    on the raw one) so that pghistory's execute wrapper attaches the audit
    context — actor and source — to the events the triggers write.
    """
    params: list[Any] = []
    for r in rows:
        params.extend((r.sla_id, r.date, r.value, r.source, r.note, actor_id))
    sql = _UPSERT % ", ".join([_TEMPLATE] * len(rows))
    with connection.cursor() as cursor:
        prime_audit_triggers(cursor)
        cursor.execute(sql, params)
        inserted = cursor.fetchall()
    created = sum(1 for (fresh,) in inserted if fresh)
    return created, len(inserted) - created


def touched_periods(rows: Iterable[CleanRow], *, periods: dict[int, str]) -> list[tuple[int, date]]:
    """The distinct (sla_id, period start) pairs the rows fall in, sorted."""
    return sorted({(r.sla_id, period_start(periods[r.sla_id], r.date)) for r in rows})


def measurements_upsert(
    *, rows: list[dict[str, Any]], source: str, actor: User | None, queue: bool = True
) -> UpsertSummary:
    """Validate all ``rows``, then create or replace them in one statement.

    All-or-nothing: any bad row raises ``ItemsValidationError`` (a
    ``ValidationError`` whose ``items`` is ``{index: {field: [message]}}``)
    and nothing is written. Otherwise every row is upserted on (sla, date),
    and the evaluation of exactly the periods they fall in is queued (a
    ``core.TaskRun``, dispatched once the transaction commits).
    """
    if source not in choices.Source.values:
        raise ValidationError({"source": f'"{source}" is not a valid choice.'})
    if len(rows) > MAX_ITEMS:
        raise ValidationError(
            {"non_field_errors": f"At most {MAX_ITEMS:,} items per request; got {len(rows):,}."}
        )
    clean, errors = measurements_validate(rows=rows, source=source, actor=actor)
    if errors:
        raise ItemsValidationError(errors)
    summary = UpsertSummary(received=len(clean))
    if not clean:
        return summary
    periods = dict(SLA.objects.filter(pk__in={r.sla_id for r in clean}).values_list("id", "period"))
    with transaction.atomic(), actor_context(user=actor, source=f"measurements:{source}"):
        summary.created, summary.updated = _write(clean, actor_id=getattr(actor, "pk", None))
        summary.unchanged = summary.received - summary.created - summary.updated
        summary.touched_periods = touched_periods(clean, periods=periods)
        if queue:
            from slas.evaluation import queue_evaluation

            summary.evaluation = queue_evaluation(touched=summary.touched_periods, actor=actor)
    return summary


def measurement_create(*, actor: User | None, data: dict[str, Any]) -> Measurement:
    """Record one measurement (a form or a single API object): an upsert of one row.

    ``data`` holds ``sla`` (an SLA or its id), ``date``, ``value``, optional
    ``note`` and ``source`` (default manual). Errors are field-keyed.
    """
    row = dict(data)
    if isinstance(row.get("sla"), SLA):
        row["sla"] = row["sla"].pk
    source = row.pop("source", None) or choices.Source.MANUAL
    row["source"] = source
    try:
        measurements_upsert(rows=[row], source=source, actor=actor)
    except ItemsValidationError as exc:
        raise ValidationError(exc.items[0]) from exc
    # Look the row up by the parsed values: the raw ones may be " 7" or " 2026-01-05".
    return Measurement.objects.select_related("sla").get(
        sla_id=parse_int(row["sla"]), date=parse_date(row["date"])
    )


@transaction.atomic
def measurement_update(
    *, instance: Measurement, actor: User | None, data: dict[str, Any]
) -> Measurement:
    """Correct a measurement; re-evaluates the period it left and the one it is now in."""
    from core.services import model_update
    from slas.evaluation import queue_evaluation

    # A form may already have written the new values onto ``instance``: the
    # period the measurement leaves is the one stored.
    before = Measurement.objects.filter(pk=instance.pk).values_list("sla_id", "date").get()
    data = {k: v for k, v in data.items() if k != "recorded_by"}
    merged = {
        name: data.get(name, getattr(instance, name))
        for name in ("date", "value", "note", "source")
    }
    sla = data.get("sla", instance.sla_id)
    merged["sla"] = sla.pk if isinstance(sla, SLA) else sla
    # The same checks as ingestion: scope of the (possibly new) SLA, window, digits.
    _, errors = measurements_validate(rows=[merged], source=merged["source"], actor=actor)
    if errors:
        raise ValidationError(errors[0])
    with actor_context(user=actor, source="measurements:edit"):
        instance = model_update(instance=instance, data={**data, "recorded_by": actor})
    queue_evaluation(touched={before, (instance.sla_id, instance.date)}, actor=actor)
    return instance


@transaction.atomic
def measurement_delete(*, instance: Measurement, actor: User | None) -> None:
    """Delete a measurement and re-evaluate its period (which may lose its Result)."""
    measurements_delete(measurements=Measurement.objects.filter(pk=instance.pk), actor=actor)


@transaction.atomic
def measurements_delete(*, measurements: QuerySet[Measurement], actor: User | None) -> int:
    """Delete measurements in bulk (the admin's "delete selected") and re-evaluate their periods.

    As for one: the periods lose what the measurements gave them, and the
    incremental evaluation relies on every change being followed by an
    evaluation of its date. Returns how many were deleted.
    """
    from slas.evaluation import queue_evaluation

    touched = set(measurements.values_list("sla_id", "date"))
    with actor_context(user=actor, source="measurements:delete"):
        deleted, _ = measurements.delete()
    if touched:
        queue_evaluation(touched=touched, actor=actor)
    return deleted
