"""A 201 carries ``Location``; ``Idempotency-Key`` makes a retried POST harmless (DESIGN.md 6).

The same key and body again within 24 hours returns the first answer and
creates nothing; the same key with another body is 422; while the first
request is still being answered, 409; after an error the key is free again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core import roles
from core.idempotency import IdempotencyKey
from slas.models import Measurement
from tests.factories import ContractFactory, SLAFactory, VendorFactory
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

V = "/api/v1/vendors/"
BODY = {"name": "Acme", "service_type": "ito", "tier": 2}


def post(api, body, key=None, url=V):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(url, body, format="json", **headers)


def test_201_carries_the_location_of_the_new_object(gov_api):
    response = post(gov_api, BODY)
    assert response.status_code == 201
    vendor = Vendor.objects.get(name="Acme")
    assert response["Location"] == f"http://testserver/api/v1/vendors/{vendor.pk}/"
    assert gov_api.get(response["Location"]).json()["id"] == vendor.pk


def test_single_measurement_post_carries_location_and_a_list_does_not(gov_api):
    sla = SLAFactory()
    day = sla.effective_from
    body = {"sla": sla.pk, "date": str(day), "value": "99.1"}
    one = post(gov_api, body, url="/api/v1/measurements/")
    assert one.status_code == 201, one.content
    stored = Measurement.objects.get(sla=sla, date=day)
    assert one["Location"].endswith(f"/api/v1/measurements/{stored.pk}/")
    rows = [{"sla": sla.pk, "date": str(day + dt.timedelta(days=1)), "value": "99.2"}]
    many = post(gov_api, rows, url="/api/v1/measurements/")
    assert many.status_code == 201
    assert not many.has_header("Location")  # a summary, not one object


def test_same_key_and_body_replays_the_first_answer_and_creates_nothing(gov_api):
    first = post(gov_api, BODY, key="k-1")
    again = post(gov_api, BODY, key="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Vendor.objects.filter(name="Acme").count() == 1


def test_same_key_with_another_body_is_422_and_creates_nothing(gov_api):
    assert post(gov_api, BODY, key="k-2").status_code == 201
    response = post(gov_api, {**BODY, "name": "Other"}, key="k-2")
    assert response.status_code == 422
    assert list(response.json()) == ["Idempotency-Key"]
    assert not Vendor.objects.filter(name="Other").exists()


def test_a_key_still_being_answered_is_409(gov_api):
    assert post(gov_api, BODY, key="k-3").status_code == 201
    # Back to how the claim stands while the first request's handler still runs.
    IdempotencyKey.objects.filter(key="k-3").update(status_code=None, response_body=None)
    response = post(gov_api, BODY, key="k-3")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Vendor.objects.filter(name="Acme").count() == 1


def test_after_an_error_the_key_is_free_for_the_corrected_request(gov_api):
    bad = post(gov_api, {**BODY, "tier": 9}, key="k-4")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.filter(key="k-4").exists()
    assert post(gov_api, BODY, key="k-4").status_code == 201


def test_after_24_hours_the_key_runs_again(gov_api):
    assert post(gov_api, BODY, key="k-5").status_code == 201
    IdempotencyKey.objects.filter(key="k-5").update(
        created_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    response = post(gov_api, {**BODY, "name": "Acme 2"}, key="k-5")
    assert response.status_code == 201
    assert not response.has_header("Idempotent-Replayed")
    assert Vendor.objects.filter(name__startswith="Acme").count() == 2


def test_keys_are_per_user(gov_api, api_client_for, make_user):
    other = api_client_for(make_user(roles.GOVERNANCE_OFFICE))
    assert post(gov_api, BODY, key="shared").status_code == 201
    response = post(other, {**BODY, "name": "Theirs"}, key="shared")
    assert response.status_code == 201
    assert set(Vendor.objects.values_list("name", flat=True)) == {"Acme", "Theirs"}


def test_a_refused_post_keeps_no_key(api_client_for, make_user):
    vendor = VendorFactory()
    ContractFactory(vendor=vendor)
    executive = api_client_for(make_user(roles.EXECUTIVE))
    assert post(executive, BODY, key="k-6").status_code == 403
    assert not IdempotencyKey.objects.exists()


def test_an_overlong_key_is_400(gov_api):
    response = post(gov_api, BODY, key="k" * 256)
    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not Vendor.objects.exists()


def test_the_purge_job_drops_keys_past_their_24_hours(gov_api):
    from django.core.management import call_command

    for key in ("old", "young"):
        assert post(gov_api, {**BODY, "name": key}, key=key).status_code == 201
    at = dt.datetime(2026, 12, 2, 0, 30, tzinfo=dt.UTC)
    keys = IdempotencyKey.objects
    keys.filter(key="old").update(created_at=at - dt.timedelta(hours=24, seconds=1))
    keys.filter(key="young").update(created_at=at - dt.timedelta(hours=12))
    call_command("run_job", "purge-idempotency-keys", "--at", at.isoformat())
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["young"]
    call_command("run_job", "purge-idempotency-keys", "--at", at.isoformat())  # twice: no change
    assert IdempotencyKey.objects.count() == 1
