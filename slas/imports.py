"""Measurement import from CSV or XLSX: parse, preview, confirm (as a watched job), template.

The flow (views in ``slas.views.measurements``):

1. **Upload** → ``stash_upload`` stores the file under
   ``MEDIA_ROOT/imports/<token>.<ext>`` (a temporary file of the default
   storage: the web processes are stateless, a worker on another machine
   may run step 2, and the session only holds the token and the file name)
   → ``import_preview`` parses and validates every row and the page shows
   the first 50 rows, the counts and every error by the file's own row
   number (the header is row 1).
2. **Confirm** → ``import_queue`` creates a ``core.TaskRun`` (kind
   ``measurement_import``) and dispatches ``import_measurements_task`` after
   the commit; the task parses and validates again (the data may have
   changed since the preview), and either writes everything through
   ``measurements_upsert`` (one upsert, evaluation queued) or nothing,
   recording why in the run. The stored file is removed either way.

Columns: ``sla`` (id) or ``sla_name`` + ``contract_reference``, ``date``,
``value``, ``note``. Names are matched exactly (case-insensitively) within
the user's scope. Unknown columns are ignored. A blank line is skipped.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q

from core import permissions
from core.dispatch import dispatch_after_commit
from core.models import TaskRun
from core.services import task_run_create, task_run_update
from slas import choices
from slas.models import SLA, Measurement
from slas.services.ingestion import MAX_ITEMS, measurements_upsert, measurements_validate

COLUMNS = ["sla", "sla_name", "contract_reference", "date", "value", "note"]
PREVIEW_ROWS = 50
MAX_ROWS = MAX_ITEMS * 5  # a file is a deliberate act; still, keep one job bounded
EXTENSIONS = (".csv", ".xlsx")
UPLOAD_DIR = "imports"


class ImportFileError(ValueError):
    """The file itself cannot be read (format, encoding, header, size)."""


@dataclass
class ParsedRow:
    """One data row of the file: its row number in the file and its values by column."""

    number: int
    values: dict[str, Any]

    @property
    def cells(self) -> list[Any]:
        """The values in template column order (for the preview table)."""
        return [self.values.get(c) for c in COLUMNS]


@dataclass
class ImportPreview:
    """What an import would do: rows, errors by file row number, first rows to show."""

    total: int = 0
    new: int = 0
    replacing: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    rows: list[ParsedRow] = field(default_factory=list)
    clean: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.total > 0 and not self.errors

    @property
    def shown(self) -> list[ParsedRow]:
        return self.rows[:PREVIEW_ROWS]

    @property
    def error_rows(self) -> int:
        return len({row for row, _, _ in self.errors})


# --- reading files -------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def _read_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("The CSV file is not UTF-8 text.") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("The file is not a readable Excel .xlsx workbook.") from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_rows(*, name: str, data: bytes) -> list[ParsedRow]:
    """The data rows of a CSV or XLSX file, numbered as in the file (header = row 1)."""
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in EXTENSIONS:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    table = _read_csv(data) if suffix == ".csv" else _read_xlsx(data)
    if not table:
        raise ImportFileError("The file is empty.")
    header = [str(h or "").strip().lower() for h in table[0]]
    if "date" not in header or "value" not in header:
        raise ImportFileError("The header (row 1) must name the columns date and value.")
    if "sla" not in header and not {"sla_name", "contract_reference"} <= set(header):
        raise ImportFileError(
            "The header (row 1) must name the column sla, or sla_name and contract_reference."
        )
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        values = {h: raw[i] if i < len(raw) else None for i, h in enumerate(header) if h}
        if all(v in (None, "") for v in values.values()):
            continue  # blank line
        rows.append(ParsedRow(number=number, values=values))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"At most {MAX_ROWS:,} rows per file; this one has {len(rows):,}.")
    return rows


# --- validating --------------------------------------------------------------------


def _resolve_names(rows: list[ParsedRow], *, user) -> dict[tuple[str, str], int]:
    """(contract reference, SLA name) → SLA id, lower-cased, for the rows naming SLAs (1 query)."""
    pairs = {
        (
            str(r.values.get("contract_reference") or "").lower(),
            str(r.values.get("sla_name")).lower(),
        )
        for r in rows
        if r.values.get("sla") in (None, "") and r.values.get("sla_name") not in (None, "")
    }
    if not pairs:
        return {}
    condition = Q()
    for reference, name in pairs:
        condition |= Q(contract__reference__iexact=reference, name__iexact=name)
    found = permissions.restrict(SLA.objects.filter(condition), user=user).values_list(
        "contract__reference", "name", "id"
    )
    return {(ref.lower(), name.lower()): sla_id for ref, name, sla_id in found}


def import_preview(*, rows: list[ParsedRow], user) -> ImportPreview:
    """Validate every row like the API does; errors carry the file's row numbers."""
    preview = ImportPreview(total=len(rows), rows=rows)
    names = _resolve_names(rows, user=user)
    items: list[dict[str, Any]] = []
    pre_errors: dict[int, tuple[str, str]] = {}
    for index, row in enumerate(rows):
        v = row.values
        sla = v.get("sla")
        if sla in (None, "") and v.get("sla_name") not in (None, ""):
            key = (str(v.get("contract_reference") or "").lower(), str(v["sla_name"]).lower())
            sla = names.get(key)
            if sla is None:
                pre_errors[index] = (
                    "sla_name",
                    f"No SLA {v['sla_name']!r} in contract {v.get('contract_reference') or '—'!r} "
                    "that you may record measurements for.",
                )
        value = v.get("value")
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = str(value)  # Excel numbers; strings keep their digits as typed
        items.append(
            {
                "sla": sla,
                "date": v.get("date"),
                "value": value,
                "note": "" if v.get("note") is None else str(v.get("note")),
                "source": choices.Source.IMPORT,
            }
        )
    clean, errors = measurements_validate(rows=items, source=choices.Source.IMPORT, actor=user)
    for index, (column, message) in pre_errors.items():
        errors.setdefault(index, {}).pop("sla", None)
        errors[index] = {column: [message], **errors[index]}
    for index in sorted(errors):
        for column, messages in errors[index].items():
            for message in messages:
                preview.errors.append((rows[index].number, column, message))
    if not errors:
        preview.clean = items
        keys = {(r.sla_id, r.date) for r in clean}
        existing = Measurement.objects.filter(
            sla_id__in={k[0] for k in keys}, date__in={k[1] for k in keys}
        ).values_list("sla_id", "date")
        preview.replacing = sum(1 for k in existing if k in keys)
        preview.new = preview.total - preview.replacing
    return preview


# --- storing between steps, queueing, the task ---------------------------------------


def stash_upload(*, name: str, data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns its token."""
    suffix = PurePosixPath(name.lower()).suffix
    token = uuid.uuid4().hex
    default_storage.save(f"{UPLOAD_DIR}/{token}{suffix}", ContentFile(data))
    return f"{token}{suffix}"


def stashed_path(token: str) -> str:
    """The storage path of a stashed upload; refuses anything but a bare token."""
    stem, _, suffix = token.partition(".")
    if len(stem) != 32 or not all(c in "0123456789abcdef" for c in stem):
        raise ImportFileError("Unknown upload.")
    if f".{suffix}" not in EXTENSIONS:
        raise ImportFileError("Unknown upload.")
    return f"{UPLOAD_DIR}/{token}"


def read_stashed(token: str) -> bytes:
    path = stashed_path(token)
    if not default_storage.exists(path):
        raise ImportFileError("The uploaded file is no longer available; upload it again.")
    with default_storage.open(path, "rb") as handle:
        return handle.read()


# The Celery name of ``slas.tasks.import_measurements_task``. It keeps the name it
# had when the task lived here, so jobs already queued or waiting still find it.
IMPORT_TASK_NAME = "slas.imports.import_measurements_task"


def import_queue(*, token: str, filename: str, user) -> TaskRun:
    """Queue the import of a previewed file; returns the ``TaskRun`` to watch."""
    stashed_path(token)
    run = task_run_create(
        kind="measurement_import", requested_by=user, message=f"Queued: import of {filename}"
    )
    # By name: the task lives in slas.tasks, which imports this module (one way).
    dispatch_after_commit(run=run, task_name=IMPORT_TASK_NAME, args=[run.pk, token, filename])
    return run


def import_run(*, run_id: int, token: str, filename: str) -> dict[str, Any]:
    """Run a queued import: validate again, then write all rows or none. Safe to run twice."""
    run = TaskRun.objects.select_related("requested_by").get(pk=run_id)
    user = run.requested_by or AnonymousUser()  # requester deleted: no scope, every row refused
    if run.status == TaskRun.Status.DONE:
        return run.result  # a redelivered task: the rows are already written
    task_run_update(run_id=run_id, status=TaskRun.Status.RUNNING, message=f"Importing {filename}")
    try:
        rows = read_rows(name=token, data=read_stashed(token))
        task_run_update(run_id=run_id, total=len(rows))
        preview = import_preview(rows=rows, user=user)
        if not preview.ok:
            first = "; ".join(f"row {n}, {c}: {m}" for n, c, m in preview.errors[:5])
            task_run_update(
                run_id=run_id,
                status=TaskRun.Status.FAILED,
                message=f"Nothing imported: {len(preview.errors)} error(s). {first}",
                result={"errors": [list(e) for e in preview.errors[:200]]},
            )
            return {"errors": len(preview.errors)}
        summary = measurements_upsert(rows=preview.clean, source=choices.Source.IMPORT, actor=user)
    except ImportFileError as exc:
        task_run_update(run_id=run_id, status=TaskRun.Status.FAILED, message=str(exc))
        return {"errors": 1}
    result = {"file": filename, **summary.as_dict()}
    task_run_update(
        run_id=run_id,
        status=TaskRun.Status.DONE,
        done=summary.received,
        message=(
            f"Imported {summary.received} row(s) from {filename}: {summary.created} new, "
            f"{summary.updated} replaced, {summary.unchanged} unchanged."
        ),
        result=result,
    )
    default_storage.delete(stashed_path(token))
    return result


# --- the template ---------------------------------------------------------------------


def template_rows(*, user, limit: int = 200) -> list[list[Any]]:
    """Header plus one prefilled row per SLA the user may record for (value left blank)."""
    slas = (
        permissions.restrict(SLA.objects.select_related("contract"), user=user)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=date.today()))
        .order_by("contract__reference", "name")[:limit]
    )
    first = date.today().replace(day=1).isoformat()
    rows: list[list[Any]] = [COLUMNS]
    for sla in slas:
        rows.append([sla.pk, sla.name, sla.contract.reference, first, "", ""])
    return rows


def template_csv(*, user) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(template_rows(user=user))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(*, user) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "measurements"
    for row in template_rows(user=user):
        sheet.append(row)
    for column, width in zip("ABCDEF", (8, 40, 22, 12, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
