"""The API refuses what it cannot honour, with a 400 naming the parameter, and writes nothing.

An integration should learn of its mistake rather than get a silently
different answer: an unknown ordering, a boolean filter that is neither true
nor false, a page size of 0 or less; a form-encoded body (JSON only, except
where a file is uploaded); an unknown URL under /api/ is a JSON 404.
"""

from __future__ import annotations

import pytest

from tests.factories import VendorFactory
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

V = "/api/v1/vendors/"


@pytest.mark.parametrize("size", ["0", "-1", "abc", "1.5"])
def test_page_size_not_a_positive_whole_number_is_400(gov_api, size):
    response = gov_api.get(V, {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_page_size_above_the_cap_is_capped_not_refused(gov_api):
    VendorFactory.create_batch(3)
    body = gov_api.get(V, {"page_size": "100000"}).json()
    assert (body["count"], len(body["results"])) == (3, 3)
    body = gov_api.get(V, {"page_size": "2"}).json()
    assert (body["count"], len(body["results"])) == (3, 2)


def test_unknown_ordering_is_400_and_known_ones_sort(gov_api):
    for name in ("Bravo", "Alpha", "Charlie"):
        VendorFactory(name=name)
    response = gov_api.get(V, {"ordering": "password"})
    assert response.status_code == 400
    assert "password" in response.json()["ordering"][0]
    assert gov_api.get(V, {"ordering": "name,secret"}).status_code == 400
    assert gov_api.get(V, {"ordering": ""}).status_code == 400
    names = [r["name"] for r in gov_api.get(V, {"ordering": "-name"}).json()["results"]]
    assert names == ["Charlie", "Bravo", "Alpha"]
    names = [r["name"] for r in gov_api.get(V, {"ordering": "tier,name"}).json()["results"]]
    assert names == ["Alpha", "Bravo", "Charlie"]


@pytest.mark.parametrize("value", ["maybe", "yes please", "1", "unknown"])
def test_bad_boolean_filter_is_400(gov_api, value):
    VendorFactory()
    response = gov_api.get(V, {"mine": value})
    assert response.status_code == 400
    assert list(response.json()) == ["mine"]


def test_boolean_filter_true_and_false(gov_api, gov_user):
    VendorFactory(name="Owned", relationship_owner=gov_user)
    VendorFactory(name="Other")
    for value, expected in (("true", ["Owned"]), ("false", ["Other"]), ("True", ["Owned"])):
        rows = gov_api.get(V, {"mine": value, "ordering": "name"}).json()["results"]
        assert [r["name"] for r in rows] == expected


def test_form_encoded_body_is_415_and_writes_nothing(gov_api):
    response = gov_api.post(V, {"name": "Form", "service_type": "ito"}, format="multipart")
    assert response.status_code == 415
    assert not Vendor.objects.filter(name="Form").exists()


def test_unknown_api_url_is_a_json_404(gov_api, client):
    for url in ("/api/v1/no-such-thing/", "/api/v2/vendors/", "/api/nothing"):
        response = gov_api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    # Not signed in at all: still JSON, not the login page or the HTML 404.
    response = client.get("/api/v1/no-such-thing/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_missing_trailing_slash_redirects_a_get_and_names_it_for_a_post(gov_api):
    response = gov_api.get("/api/v1/vendors?tier=1")
    assert (response.status_code, response["Location"]) == (301, "/api/v1/vendors/?tier=1")
    response = gov_api.post("/api/v1/vendors", {"name": "X", "service_type": "ito"})
    assert response.status_code == 404
    assert "/api/v1/vendors/" in response.json()["detail"]
    assert not Vendor.objects.exists()
