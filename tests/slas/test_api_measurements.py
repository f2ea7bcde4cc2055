"""The measurements API: one object or a bulk list, 400 shapes, scope, CRUD, evaluation queued."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from core.models import TaskRun
from slas.models import Measurement, Result
from tests.conftest import token_client as api
from tests.slas.test_ingestion import build_world

URL = "/api/v1/measurements/"


@pytest.fixture
def w(db):
    return build_world()


def test_post_one_object_answers_201_with_it(w):
    r = api(w.gov).post(URL, {"sla": w.a.pk, "date": "2026-01-01", "value": "99.7"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert {k: body[k] for k in ("sla", "date", "value", "source", "note")} == {
        "sla": w.a.pk,
        "date": "2026-01-01",
        "value": "99.700000",
        "source": "api",
        "note": "",
    }
    assert body["recorded_by"] == w.gov.pk


def test_post_one_bad_object_names_the_field(w):
    r = api(w.gov).post(URL, {"sla": w.a.pk, "date": "2026-01-01", "value": "x"}, format="json")
    assert r.status_code == 400
    assert r.json() == {"value": ["A valid number is required."]}
    assert not Measurement.objects.exists()


def test_bulk_creates_then_replaces(w):
    items = [{"sla": w.a.pk, "date": f"2026-01-{d:02d}", "value": "99.9"} for d in range(1, 4)]
    r = api(w.gov).post(URL, items, format="json")
    assert r.status_code == 201, r.content
    assert {k: v for k, v in r.json().items() if k != "evaluation_task_run"} == {
        "received": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    assert TaskRun.objects.filter(pk=r.json()["evaluation_task_run"], kind="evaluation").exists()
    items[2]["value"] = "98.5"
    r = api(w.gov).post(URL, items, format="json")
    assert r.status_code == 200
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 1, 2)
    assert Measurement.objects.get(date=dt.date(2026, 1, 3)).value == D("98.5")
    assert Measurement.objects.count() == 3


def test_bulk_errors_name_index_and_field_and_write_nothing(w):
    items = [{"sla": w.a.pk, "date": f"2026-01-{d:02d}", "value": "99.9"} for d in range(1, 9)]
    items[3]["value"] = "abc"
    items[7]["sla"] = 999
    r = api(w.gov).post(URL, items, format="json")
    assert r.status_code == 400
    assert r.json() == {
        "items": {
            "3": {"value": ["A valid number is required."]},
            "7": {"sla": ["Unknown or inaccessible SLA 999."]},
        }
    }
    assert not Measurement.objects.exists()


def test_vendor_user_cannot_post_for_another_vendor(w):
    items = [
        {"sla": w.a.pk, "date": "2026-01-01", "value": "99.9"},
        {"sla": w.b.pk, "date": "2026-01-01", "value": "99.9"},
    ]
    r = api(w.ua).post(URL, items, format="json")
    assert r.status_code == 400
    assert r.json() == {"items": {"1": {"sla": [f"Unknown or inaccessible SLA {w.b.pk}."]}}}
    assert not Measurement.objects.exists()
    assert api(w.ua).post(URL, items[:1], format="json").status_code == 201


@pytest.mark.parametrize(
    "body, message",
    [
        ([], "Send at least one item."),
        ("just text", "Send an object or a list of objects."),
    ],
)
def test_empty_or_odd_bodies_are_400(w, body, message):
    r = api(w.gov).post(URL, body, format="json")
    assert r.status_code == 400
    assert r.json() == {"non_field_errors": [message]}


def test_more_than_10000_items_is_400(w):
    items = [{"sla": w.a.pk, "date": "2026-01-01", "value": "1"}] * 10_001
    r = api(w.gov).post(URL, items, format="json")
    assert r.status_code == 400
    assert r.json() == {"non_field_errors": ["At most 10,000 items per request; got 10,001."]}


def test_non_json_is_400(w):
    r = api(w.gov).post(URL, "{not json", content_type="application/json")
    assert r.status_code == 400
    assert "detail" in r.json()


def test_anonymous_401_and_read_only_roles_403(w):
    assert APIClient().post(URL, {}, format="json").status_code == 401
    for user in (w.exe, w.aud):
        r = api(user).post(URL, {"sla": w.a.pk, "date": "2026-01-01", "value": "1"}, format="json")
        assert r.status_code == 403


def test_bulk_post_evaluates_exactly_the_touched_periods(w, django_capture_on_commit_callbacks):
    Measurement.objects.create(sla=w.a, date=dt.date(2026, 5, 1), value=D("10"))
    items = [
        {"sla": w.a.pk, "date": "2026-01-05", "value": "99.0"},
        {"sla": w.a.pk, "date": "2026-01-20", "value": "99.6"},
        {"sla": w.a.pk, "date": "2026-02-03", "value": "99.9"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        r = api(w.gov).post(URL, items, format="json")
    assert r.status_code == 201
    run = TaskRun.objects.get(pk=r.json()["evaluation_task_run"])
    assert run.status == "done"
    assert sorted(Result.objects.values_list("period_start", "status")) == [
        (dt.date(2026, 1, 1), "breached"),
        (dt.date(2026, 2, 1), "met"),
    ]  # May was not touched: not evaluated


def test_list_filter_search_ordering_pagination_and_scope(w, django_assert_max_num_queries):
    for day in range(1, 8):
        Measurement.objects.create(sla=w.a, date=dt.date(2026, 1, day), value=D(day))
    Measurement.objects.create(sla=w.b, date=dt.date(2026, 1, 1), value=D("5"), note="outage")
    client = api(w.gov)
    with django_assert_max_num_queries(8):
        r = client.get(URL, {"page_size": 3, "ordering": "value"})
    body = r.json()
    assert body["count"] == 8
    assert [x["value"] for x in body["results"]] == ["1.000000", "2.000000", "3.000000"]
    assert client.get(URL, {"sla": w.b.pk}).json()["count"] == 1
    assert client.get(URL, {"search": "outage"}).json()["count"] == 1
    assert client.get(URL, {"date_from": "2026-01-06"}).json()["count"] == 2
    # A vendor representative sees only their vendor's measurements; others are 404.
    ua = api(w.ua)
    assert ua.get(URL).json()["count"] == 7
    other = Measurement.objects.get(sla=w.b)
    assert ua.get(f"{URL}{other.pk}/").status_code == 404
    assert ua.delete(f"{URL}{other.pk}/").status_code == 404


def test_update_and_delete(w):
    m = Measurement.objects.create(sla=w.a, date=dt.date(2026, 1, 1), value=D("1"))
    client = api(w.ua)
    r = client.patch(f"{URL}{m.pk}/", {"value": "2.5", "note": "corrected"}, format="json")
    assert r.status_code == 200, r.content
    m.refresh_from_db()
    assert (m.value, m.note, m.recorded_by) == (D("2.5"), "corrected", w.ua)
    r = client.patch(f"{URL}{m.pk}/", {"date": "2020-01-01"}, format="json")
    assert r.status_code == 400
    assert r.json() == {
        "date": ["2020-01-01 is outside the SLA's effective window (from 2025-01-01)."]
    }
    assert api(w.exe).delete(f"{URL}{m.pk}/").status_code == 403
    assert client.delete(f"{URL}{m.pk}/").status_code == 204
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("item", "errors"),
    [
        # Found by tests/core/test_api_fuzz.py: a list source hit a set lookup (TypeError).
        ({"source": [None, None]}, {"source": ['"[None, None]" is not a valid choice.']}),
        ({"source": {"a": 1}}, {"source": ["\"{'a': 1}\" is not a valid choice."]}),
        # NUL passed validation and then failed the INSERT.
        ({"note": "a\x00b"}, {"note": ["Null characters are not allowed."]}),
    ],
)
def test_odd_source_or_note_are_field_errors(w, item, errors):
    row = {"sla": w.a.pk, "date": "2026-01-01", "value": "99.7", **item}
    bulk = api(w.gov).post(URL, [row], format="json")
    assert bulk.status_code == 400, bulk.content
    assert bulk.json() == {"items": {"0": errors}}
    if isinstance(item.get("source"), list):
        return  # one object: a list source is the measurement_create check below
    one = api(w.gov).post(URL, row, format="json")
    assert one.status_code == 400, one.content
    assert one.json() == errors
    assert not Measurement.objects.exists()


def test_post_one_object_with_padded_id_and_date_answers_201(w):
    """The raw " 2026-01-01" passed validation, then failed the lookup after the write."""
    r = api(w.gov).post(
        URL, {"sla": f" {w.a.pk}", "date": " 2026-01-01", "value": "99.7"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert (r.json()["sla"], r.json()["date"]) == (w.a.pk, "2026-01-01")
    assert Measurement.objects.get().date == dt.date(2026, 1, 1)
