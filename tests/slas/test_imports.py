"""CSV and XLSX import of measurements: preview, errors by file row, all or nothing.

The world (tests.slas.test_ingestion.build_world): SLA ``a`` "Availability" in
contract A-1, monthly mean, target 99.5, effective from 2025-01-01.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import TaskRun
from slas.models import Measurement, Result
from tests.slas.test_ingestion import build_world

URL = "slas:measurement_import"


@pytest.fixture
def w(db):
    return build_world()


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, name: str, data: bytes):
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, data)})


def test_an_xlsx_file_is_previewed_then_imported_and_evaluated(
    client, w, django_capture_on_commit_callbacks
):
    Measurement.objects.create(sla=w.a, date=dt.date(2026, 3, 2), value=D("99.0"))
    client.force_login(w.gov)
    data = xlsx(
        [
            ["sla", "sla_name", "contract_reference", "date", "value", "note"],
            [w.a.pk, None, None, dt.datetime(2026, 3, 1), 99.9, "typed as an Excel number"],
            [None, "availability", "a-1", "2026-03-02", "98.7", None],  # by name, replaces
        ]
    )
    preview = upload(client, "march.xlsx", data)
    assert preview.status_code == 200
    p = preview.context["preview"]
    assert (p.total, p.new, p.replacing, p.errors) == (2, 1, 1, [])
    assert Measurement.objects.get(sla=w.a, date="2026-03-02").value == D("99.0")  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse(URL), {"confirm": "1", "token": preview.context["token"]})
    run = TaskRun.objects.get(kind="measurement_import")
    assert done["Location"] == reverse("taskrun_detail", args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.result["created"], run.result["updated"]) == ("done", 1, 1)
    values = dict(Measurement.objects.filter(sla=w.a).values_list("date", "value"))
    assert values == {dt.date(2026, 3, 1): D("99.9"), dt.date(2026, 3, 2): D("98.7")}
    # The import queued the evaluation of March: mean (99.9 + 98.7) / 2 = 99.3 < 99.5.
    assert Result.objects.get(sla=w.a, period_start="2026-03-01").actual == D("99.3")
    assert w.a.breaches.get().period_start == dt.date(2026, 3, 1)


def test_an_xlsx_file_with_bad_rows_names_them_and_writes_nothing(client, w):
    client.force_login(w.gov)
    data = xlsx(
        [
            ["sla", "date", "value"],
            [w.a.pk, "2026-03-01", 99.9],
            [w.a.pk, "2026-02-30", 99.9],  # row 3: no such day
            [w.b.pk + 1000, "2026-03-01", "n/a"],  # row 4: unknown SLA and not a number
        ]
    )
    response = upload(client, "bad.xlsx", data)
    assert response.status_code == 400
    errors = response.context["preview"].errors
    assert {(row, column) for row, column, _ in errors} == {(3, "date"), (4, "sla"), (4, "value")}
    assert response.context["token"] is None
    assert "row 3" in response.content.decode().lower() or ">3<" in response.content.decode()
    assert not Measurement.objects.exists() and not TaskRun.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("m.txt", b"sla,date,value\n", "Upload a .csv or .xlsx file."),
        ("m.xlsx", b"not a workbook", "not a readable Excel .xlsx workbook"),
        ("m.csv", b"sla,when,value\n1,2026-03-01,1\n", "must name the columns date and value"),
    ],
)
def test_unreadable_files_are_a_form_error(client, w, name, data, message):
    client.force_login(w.gov)
    response = upload(client, name, data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert not Measurement.objects.exists()


def test_the_xlsx_template_lists_the_slas_the_user_may_record(client, w):
    client.force_login(w.ua)  # the vendor A representative
    response = client.get(reverse("slas:measurement_template"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["sla", "sla_name", "contract_reference", "date", "value", "note"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(w.a.pk, "Availability", "A-1")]


def test_a_vendor_representative_may_not_import_for_another_vendor(client, w):
    client.force_login(w.ua)
    response = upload(client, "m.csv", f"sla,date,value\n{w.b.pk},2026-03-01,99\n".encode())
    assert response.status_code == 400
    assert [(row, column) for row, column, _ in response.context["preview"].errors] == [(2, "sla")]
    assert not Measurement.objects.exists()


def test_read_only_roles_cannot_open_the_import(client, w):
    client.force_login(w.exe)
    assert client.get(reverse(URL)).status_code == 403
    assert upload(client, "m.csv", b"sla,date,value\n").status_code == 403
