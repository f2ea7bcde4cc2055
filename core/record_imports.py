"""Import records (vendors, contracts, SLAs, …) from CSV or XLSX, all or nothing.

The same steps as the measurement import (``slas.imports``): a template to
download, an upload that is **previewed** (every row checked, errors by the
file's own row number, header = row 1), a confirmation that queues a watched
job (``core.TaskRun``), and a job page that links to what the import made.

Each app declares a ``RecordImporter`` (``vendors.imports``,
``contracts.imports``, ``slas.sla_imports``) and registers it with
``register``. A row is parsed by the app's own ModelForm (the same choices,
formats and scope as the page) and written by the app's own create service
(the same rules and audit trail). Related rows are named, not numbered:
``lookups`` map a column to ``(model, field)`` and are resolved in one query
per column, inside the importer's scope. A lookup of the importer's own kind
(a vendor's ``parent``, a SOW's ``parent`` MSA) also finds a record made by
an **earlier row of the same file**: rows are written in file order, and each
one made becomes nameable by the rows below it (preview and job alike).

**All or nothing, exactly.** The preview and the job run the very same
writes inside one transaction, each row in a savepoint; the preview always
rolls back, the job rolls back unless every row succeeded. So what the
preview accepts is what the job writes (a duplicate inside the file is
caught too), and a failed job leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from core import permissions
from core.dispatch import dispatch_after_commit
from core.models import TaskRun
from core.services import task_run_create, task_run_update

EXTENSIONS = (".csv", ".xlsx")
UPLOAD_DIR = "imports"
PREVIEW_ROWS = 50
MAX_ROWS = 5000
_IMPORTERS: dict[str, RecordImporter] = {}


class ImportFileError(ValueError):
    """The file itself cannot be read (format, encoding, header, size)."""


@dataclass
class RecordImporter:
    """How one kind of record is imported.

    ``form_class(data, user=user)`` parses a row; ``create(actor=, data=)``
    writes it; ``lookups`` name related rows (``{"vendor": (Vendor, "name")}``);
    ``example`` is the template's sample row; ``list_url_name`` the list
    the finished job links to.
    """

    key: str
    module: str  # the module that defines this importer as ``IMPORTER`` (the job imports it)
    label: str  # "vendors"
    model: type
    form_class: type
    create: Callable
    columns: list[str]
    required: list[str]
    list_url_name: str
    lookups: dict[str, tuple[type, str]] = field(default_factory=dict)
    example: list[Any] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return f"{self.key}_import"

    @property
    def self_lookups(self) -> list[str]:
        """Lookup columns naming a record of this very kind (a row above may make it)."""
        return [column for column, (model, _) in self.lookups.items() if model is self.model]


def register(importer: RecordImporter) -> RecordImporter:
    _IMPORTERS[importer.key] = importer
    return importer


def importer_for(key: str) -> RecordImporter | None:
    return _IMPORTERS.get(key)


def _importer_in(module: str) -> RecordImporter | None:
    """The ``IMPORTER`` of ``module`` (a worker has not imported the views that register it)."""
    from importlib import import_module

    try:
        return getattr(import_module(module), "IMPORTER", None)
    except ImportError:
        return None


def importer_for_model(model) -> RecordImporter | None:
    return next((i for i in _IMPORTERS.values() if i.model is model), None)


@dataclass
class Row:
    number: int
    values: dict[str, Any]


@dataclass
class Outcome:
    """What an import did or would do: rows, errors (row, column, message), records made."""

    total: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    created: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.total > 0 and not self.errors

    @property
    def shown(self) -> list[Row]:
        return self.rows[:PREVIEW_ROWS]

    @property
    def error_rows(self) -> int:
        return len({row for row, _, _ in self.errors})


# --- reading ---------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _table(name: str, data: bytes) -> list[list[Any]]:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in EXTENSIONS:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError("The CSV file is not UTF-8 text.") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("The file is not a readable Excel .xlsx workbook.") from exc
    try:
        return [[_cell(c) for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def read_rows(importer: RecordImporter, *, name: str, data: bytes) -> list[Row]:
    """The data rows, numbered as in the file (header = row 1); the header is checked."""
    table = _table(name, data)
    if not table:
        raise ImportFileError("The file is empty.")
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in importer.required if c not in header]
    if missing:
        raise ImportFileError(f"The header (row 1) must name the column(s): {', '.join(missing)}.")
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        values = {
            h: raw[i] if i < len(raw) else None
            for i, h in enumerate(header)
            if h in importer.columns
        }
        if all(v in (None, "") for v in values.values()):
            continue  # a blank line
        rows.append(Row(number=number, values=values))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"At most {MAX_ROWS:,} rows per file; this one has {len(rows):,}.")
    return rows


# --- checking and writing ------------------------------------------------------------


def _resolve(importer: RecordImporter, rows: list[Row], *, user) -> dict[str, dict[str, int]]:
    """column → {lower-cased name: pk} for each lookup column: one query per column."""
    found: dict[str, dict[str, int]] = {}
    for column, (model, name_field) in importer.lookups.items():
        names = {str(r.values.get(column)).lower() for r in rows if r.values.get(column)}
        if not names:
            found[column] = {}
            continue
        condition = Q()
        for name in names:
            condition |= Q(**{f"{name_field}__iexact": name})
        queryset = model._default_manager.filter(condition)
        if hasattr(model, "scope_vendor_path"):
            queryset = permissions.restrict(queryset, user=user)
        found[column] = {str(n).lower(): pk for n, pk in queryset.values_list(name_field, "pk")}
    return found


def _named_in_file(importer: RecordImporter, rows: list[Row]) -> dict[str, dict[str, int]]:
    """column → {lower-cased name: row number} of the records this file itself makes.

    Only for lookups of the importer's own model: the row that makes the
    record named by ``(model, field)`` carries that name in its ``field``
    column. Used to explain a name given *above* the row that makes it.
    """
    named: dict[str, dict[str, int]] = {}
    for column in importer.self_lookups:
        name_field = importer.lookups[column][1]
        if name_field in importer.columns:
            named[column] = {}
            for row in rows:
                name = row.values.get(name_field)
                if name not in (None, ""):
                    named[column].setdefault(str(name).lower(), row.number)
    return named


def _learn(importer: RecordImporter, names: dict[str, dict[str, int]], obj: Any) -> None:
    """Make a record just written nameable by the rows below it (same-file references)."""
    for column, (model, name_field) in importer.lookups.items():
        if isinstance(obj, model):
            names[column][str(getattr(obj, name_field)).lower()] = obj.pk


def _run_rows(importer: RecordImporter, rows: list[Row], *, user, commit: bool) -> Outcome:
    outcome = Outcome(total=len(rows), rows=rows)
    names = _resolve(importer, rows, user=user)
    in_file = _named_in_file(importer, rows)
    with transaction.atomic():
        for row in rows:
            data = {k: ("" if v is None else v) for k, v in row.values.items()}
            for model_field in importer.model._meta.concrete_fields:
                # A column left out (or blank) takes the model's default, as the form's initial.
                if data.get(model_field.name) in (None, "") and model_field.has_default():
                    data[model_field.name] = model_field.get_default()
            bad = False
            for column, (model, _) in importer.lookups.items():
                given = data.get(column)
                if given in (None, ""):
                    continue
                pk = names[column].get(str(given).lower())
                if pk is None:
                    label = model._meta.verbose_name
                    message = f"No {label} {given!r} that you may use."
                    maker = in_file.get(column, {}).get(str(given).lower())
                    if maker is not None and maker >= row.number:
                        message = (
                            f"The {label} {given!r} is made by row {maker} of this file, "
                            "which does not come before this row: put it above the rows "
                            "that name it."
                        )
                    elif maker is not None:
                        message += f" Row {maker} of this file, which makes it, has an error."
                    outcome.errors.append((row.number, column, message))
                    bad = True
                else:
                    data[column] = pk
            if bad:
                continue
            form = importer.form_class(data=data, user=user)
            if not form.is_valid():
                for column, messages in form.errors.items():
                    for message in messages:
                        outcome.errors.append((row.number, column or "row", message))
                continue
            model_fields = {f.name for f in importer.model._meta.get_fields()}
            clean = {k: v for k, v in form.cleaned_data.items() if k in model_fields}
            try:
                with transaction.atomic():
                    made = importer.create(actor=user, data=clean)
                outcome.created.append(made)
                _learn(importer, names, made)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
                for column, messages in errors.items():
                    for message in messages:
                        column = "row" if column == "__all__" else column
                        outcome.errors.append((row.number, column, message))
        if not commit or outcome.errors:
            transaction.set_rollback(True)  # the preview never writes; a bad file writes nothing
            if outcome.errors:
                outcome.created = []
    return outcome


def preview(importer: RecordImporter, *, rows: list[Row], user) -> Outcome:
    """Check every row by writing it inside a transaction that is always rolled back."""
    return _run_rows(importer, rows, user=user, commit=False)


# --- between the steps: the stashed file, the job --------------------------------------


def stash_upload(*, name: str, data: bytes) -> str:
    suffix = PurePosixPath(name.lower()).suffix
    token = uuid.uuid4().hex
    default_storage.save(f"{UPLOAD_DIR}/{token}{suffix}", ContentFile(data))
    return f"{token}{suffix}"


def _stashed_path(token: str) -> str:
    stem, _, suffix = token.partition(".")
    if len(stem) != 32 or not all(c in "0123456789abcdef" for c in stem):
        raise ImportFileError("Unknown upload.")
    if f".{suffix}" not in EXTENSIONS:
        raise ImportFileError("Unknown upload.")
    return f"{UPLOAD_DIR}/{token}"


def import_queue(importer: RecordImporter, *, token: str, filename: str, user) -> TaskRun:
    """Queue the import of a previewed file; returns the ``TaskRun`` to watch."""
    _stashed_path(token)
    run = task_run_create(
        kind=importer.kind, requested_by=user, message=f"Queued: import of {filename}"
    )
    # A queue of its own when configured (a test's private worker); else the default.
    queue = getattr(settings, "RECORD_IMPORTS_QUEUE", None)
    dispatch_after_commit(
        run=run,
        task_name=record_import_task.name,
        args=[run.pk, importer.module, token, filename],
        options={"queue": queue} if queue else {},
    )
    return run


def _links(importer: RecordImporter, created: list) -> list[list[str]]:
    """[label, url] of the records made (the first 50), then the list they are in."""
    links = [[str(obj), obj.get_absolute_url()] for obj in created[:50]]
    with contextlib.suppress(NoReverseMatch):
        links.append([f"All {importer.label}", reverse(importer.list_url_name)])
    return links


def import_run(*, run_id: int, module: str, token: str, filename: str) -> dict[str, Any]:
    """Run a queued import: check again and write every row, or none. Safe to run twice."""
    importer = _importer_in(module)
    run = TaskRun.objects.select_related("requested_by").get(pk=run_id)
    if run.status == TaskRun.Status.DONE:
        return run.result  # redelivered: already written
    user = run.requested_by or AnonymousUser()
    task_run_update(run_id=run_id, status=TaskRun.Status.RUNNING, message=f"Importing {filename}")
    path = _stashed_path(token)
    try:
        if importer is None or not default_storage.exists(path):
            raise ImportFileError("The uploaded file is no longer available; upload it again.")
        with default_storage.open(path, "rb") as handle:
            rows = read_rows(importer, name=token, data=handle.read())
        task_run_update(run_id=run_id, total=len(rows))
        outcome = _run_rows(importer, rows, user=user, commit=True)
    except ImportFileError as exc:
        task_run_update(run_id=run_id, status=TaskRun.Status.FAILED, message=str(exc))
        return {"errors": 1}
    if outcome.errors:
        first = "; ".join(f"row {n}, {c}: {m}" for n, c, m in outcome.errors[:5])
        task_run_update(
            run_id=run_id,
            status=TaskRun.Status.FAILED,
            message=f"Nothing imported: {len(outcome.errors)} error(s). {first}",
            result={"errors": [list(e) for e in outcome.errors[:200]]},
        )
        return {"errors": len(outcome.errors)}
    result = {
        "file": filename,
        "created": len(outcome.created),
        "links": _links(importer, outcome.created),
    }
    task_run_update(
        run_id=run_id,
        status=TaskRun.Status.DONE,
        done=len(outcome.created),
        message=f"Imported {len(outcome.created)} {importer.label} from {filename}.",
        result=result,
    )
    default_storage.delete(path)
    return result


@shared_task(name="core.record_imports.record_import_task")
def record_import_task(run_id: int, module: str, token: str, filename: str) -> dict[str, Any]:
    """Thin task: run one queued record import (see ``import_run``)."""
    try:
        return import_run(run_id=run_id, module=module, token=token, filename=filename)
    except Exception as exc:
        task_run_update(run_id=run_id, status=TaskRun.Status.FAILED, message=f"Failed: {exc}")
        raise


# --- the template ------------------------------------------------------------------------


def template_rows(importer: RecordImporter) -> list[list[Any]]:
    rows: list[list[Any]] = [list(importer.columns)]
    if importer.example:
        rows.append([v.isoformat() if isinstance(v, date) else v for v in importer.example])
    return rows


def template_csv(importer: RecordImporter) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(template_rows(importer))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(importer: RecordImporter) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = importer.key
    for row in template_rows(importer):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
