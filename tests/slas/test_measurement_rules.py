"""Measurements outside their dates or their unit's range are refused, by every path.

DESIGN.md section 2: "Measurements must be dated inside the SLA's effective
window, inside the contract's term, and not after today; a value outside the
SLA's valid range (0–100 for a percent; never negative for counts, durations
and money) is refused with a field error." The world
(``tests.slas.test_ingestion.build_world``): SLA ``a`` in %, effective from
2025-01-01, on contract A-1 whose term is 2025-01-01 to 2027-12-31.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from slas.models import Measurement, value_range
from slas.services import measurement_create
from tests.conftest import token_client
from tests.slas.test_imports import upload, xlsx
from tests.slas.test_ingestion import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return build_world()


def tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("%", (D("0"), D("100"))),
        (" PCT ", (D("0"), D("100"))),
        ("hours", (D("0"), None)),
        ("count", (D("0"), None)),
        ("EUR", (D("0"), None)),
        ("tx/h", (D("0"), None)),
        ("", (D("0"), None)),
        ("NPS score", (None, None)),
    ],
)
def test_the_valid_range_of_a_unit(unit, expected):
    assert value_range(unit) == expected


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"date": "9999-12-31", "value": "99"}, "date", "after today"),
        ({"date": "2030-01-01", "value": "99"}, "date", "after today"),
        ({"date": "2024-12-31", "value": "99"}, "date", "effective window"),
        ({"date": "2026-03-01", "value": "-50"}, "value", "below the smallest valid value (0 %)"),
        ({"date": "2026-03-01", "value": "100.000001"}, "value", "above the largest"),
    ],
)
def test_the_api_refuses_one_object_naming_the_field(w, row, field, message):
    r = token_client(w.gov).post("/api/v1/measurements/", {"sla": w.a.pk, **row}, format="json")
    assert r.status_code == 400
    assert list(r.json()) == [field]
    assert message in r.json()[field][0]
    assert not Measurement.objects.exists()


def test_the_api_list_names_each_bad_index_and_writes_nothing(w):
    w.a.contract.end_date = dt.date(2026, 6, 30)  # a term that ended
    w.a.contract.save()
    items = [
        {"sla": w.a.pk, "date": "2026-03-01", "value": "99.9"},
        {"sla": w.a.pk, "date": tomorrow(), "value": "99.9"},
        {"sla": w.a.pk, "date": "2026-03-02", "value": "-0.5"},
        {"sla": w.a.pk, "date": "2026-07-01", "value": "99.9"},
    ]
    r = token_client(w.gov).post("/api/v1/measurements/", items, format="json")
    assert r.status_code == 400
    errors = r.json()["items"]
    assert set(errors) == {"1", "2", "3"}
    assert "after today" in errors["1"]["date"][0]
    assert list(errors["2"]) == ["value"]
    assert "outside the contract's term (2025-01-01 to 2026-06-30)" in errors["3"]["date"][0]
    assert not Measurement.objects.exists()


def test_a_count_is_never_negative_but_zero_and_large_values_are_fine(w):
    w.a.unit = "tickets"
    w.a.save()
    api = token_client(w.gov)
    bad = api.post(
        "/api/v1/measurements/", {"sla": w.a.pk, "date": "2026-03-01", "value": "-1"}, format="json"
    )
    assert bad.status_code == 400 and list(bad.json()) == ["value"]
    for value in ("0", "250"):
        ok = api.post(
            "/api/v1/measurements/",
            {"sla": w.a.pk, "date": "2026-03-01", "value": value},
            format="json",
        )
        assert ok.status_code == 201, ok.content


def test_the_service_and_so_the_form_give_a_field_error(w):
    with pytest.raises(ValidationError) as exc:
        measurement_create(actor=w.gov, data={"sla": w.a, "date": "2026-03-01", "value": "101"})
    assert list(exc.value.message_dict) == ["value"]


def test_the_form_page_shows_the_field_error(client, w):
    client.force_login(w.gov)
    r = client.post(
        reverse("slas:measurement_add"), {"sla": w.a.pk, "date": "2030-01-01", "value": "99"}
    )
    assert r.status_code in (200, 400)
    assert "after today" in str(r.context["form"].errors["date"])
    assert not Measurement.objects.exists()


def test_the_import_names_the_rows(client, w):
    client.force_login(w.gov)
    data = xlsx(
        [
            ["sla", "date", "value"],
            [w.a.pk, "2026-03-01", 99.9],
            [w.a.pk, "2030-03-01", 99.9],  # row 3: after today
            [w.a.pk, "2026-04-01", 150],  # row 4: above 100 %
        ]
    )
    r = upload(client, "future.xlsx", data)
    assert r.status_code == 400
    errors = r.context["preview"].errors
    assert {(row, column) for row, column, _ in errors} == {(3, "date"), (4, "value")}
    assert not Measurement.objects.exists()


def test_the_admin_form_shows_the_field_error(client, w):
    client.force_login(w.admin)
    r = client.post(
        reverse("admin:slas_measurement_add"),
        {"sla": w.a.pk, "date": "2026-03-01", "value": "-50", "source": "manual", "note": ""},
    )
    assert r.status_code == 200  # the form again, with the error
    assert "below the smallest valid value" in r.content.decode()
    assert not Measurement.objects.exists()
