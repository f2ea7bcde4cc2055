"""The vendors API: /api/v1/vendors/, /certifications/, /contacts/ (DESIGN.md section 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from core import roles
from tests.factories import CertificationFactory, ContactFactory, ContractFactory, VendorFactory
from vendors.models import Certification, Contact, Vendor, VendorTierChange

pytestmark = pytest.mark.django_db

V, C, K = "/api/v1/vendors/", "/api/v1/certifications/", "/api/v1/contacts/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_vendor_list_filters_search_ordering_pagination(gov_api, north, south):
    VendorFactory(name="Tagus", country="Portugal", tier=1, service_type="both", status="exited")
    assert names(gov_api.get(V)) == ["North", "South", "Tagus"]
    assert names(gov_api.get(V, {"tier": 4})) == ["South"]
    assert names(gov_api.get(V + "?tier=1&tier=4")) == ["South", "Tagus"]
    assert names(gov_api.get(V, {"service_type": "ito"})) == ["North"]
    assert names(gov_api.get(V, {"status": "exited"})) == ["Tagus"]
    assert names(gov_api.get(V, {"country": "portugal"})) == ["South", "Tagus"]
    assert names(gov_api.get(V, {"search": "TAG"})) == ["Tagus"]
    assert names(gov_api.get(V, {"ordering": "-tier"})) == ["South", "North", "Tagus"]
    page = gov_api.get(V, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and [r["name"] for r in page["results"]] == ["Tagus"]
    row = gov_api.get(V, {"search": "North"}).json()["results"][0]
    assert row == {
        "id": north.pk,
        "name": "North",
        "legal_name": "North Ltd",
        "country": "Ireland",
        "service_type": "ito",
        "services_description": "",
        "tier": 2,
        "tier_reason": "",
        "status": "active",
        "relationship_owner": None,
        "parent": None,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    assert row["created_at"].endswith("Z")


def test_bad_filter_values_are_400(gov_api):
    response = gov_api.get(V, {"tier": 9})
    assert response.status_code == 400 and "tier" in response.json()
    response = gov_api.get(C, {"expiry": "soon"})
    assert response.status_code == 400 and "expiry" in response.json()


def test_create_update_delete_vendor_with_tier_history(gov_api, gov_user):
    response = gov_api.post(
        V,
        {"name": "Acme", "service_type": "bpo", "tier": 1, "tier_reason": "Payroll"},
        format="json",
    )
    assert response.status_code == 201, response.content
    vid = response.json()["id"]
    response = gov_api.patch(
        f"{V}{vid}/", {"tier": 3, "tier_reason": "Payroll moved out"}, format="json"
    )
    assert response.status_code == 200 and response.json()["tier"] == 3
    detail = gov_api.get(f"{V}{vid}/").json()
    assert [(h["from_tier"], h["to_tier"], h["reason"]) for h in detail["tier_history"]] == [
        (1, 3, "Payroll moved out"),
        (None, 1, "Payroll"),
    ]
    assert {h["changed_by"] for h in detail["tier_history"]} == {gov_user.pk}
    assert gov_api.delete(f"{V}{vid}/").status_code == 204
    assert not Vendor.objects.filter(pk=vid).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "service_type": "itx"}, "service_type"),
        ({"name": "X", "service_type": "ito", "tier": 5}, "tier"),
        ({"name": "X", "service_type": "ito", "tier": "high"}, "tier"),
        ({"name": "North", "service_type": "ito"}, "name"),
        ({"service_type": "ito"}, "name"),
        ({"name": "X", "service_type": "ito", "parent": 999999}, "parent"),
        ({"name": "X", "service_type": "ito", "status": "gone"}, "status"),
    ],
)
def test_vendor_400_names_the_field(gov_api, north, payload, field):
    response = gov_api.post(V, payload, format="json")
    assert response.status_code == 400
    assert field in response.json() and isinstance(response.json()[field], list)
    assert Vendor.objects.count() == 1


def test_vendor_update_400s(gov_api, north):
    child = VendorFactory(name="Child", parent=north)
    response = gov_api.patch(f"{V}{north.pk}/", {"parent": child.pk}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["parent"]
    response = gov_api.patch(f"{V}{north.pk}/", {"tier": 1}, format="json")
    assert response.json() == {"tier_reason": ["Give the reason for the change of tier."]}
    north.refresh_from_db()
    assert (north.parent_id, north.tier) == (None, 2)


def test_delete_with_contracts_is_409(gov_api, north):
    ContractFactory(vendor=north)
    assert gov_api.delete(f"{V}{north.pk}/").status_code == 409


def test_404s_and_401(gov_api, api_client_for, users, south):
    assert gov_api.get(f"{V}999999/").status_code == 404
    assert gov_api.get(f"{C}999999/").status_code == 404
    rep = api_client_for(users[roles.VENDOR_USER])
    assert rep.get(f"{V}{south.pk}/").status_code == 404
    cert, contact = CertificationFactory(vendor=south), ContactFactory(vendor=south)
    assert rep.get(f"{C}{cert.pk}/").status_code == 404
    assert rep.get(f"{K}{contact.pk}/").status_code == 404
    anonymous = APIClient()
    for url in (V, C, K):
        assert anonymous.get(url).status_code == 401
    assert APIClient(HTTP_AUTHORIZATION="Token nope").get(V).status_code == 401


@pytest.mark.parametrize("role", [roles.EXECUTIVE, roles.AUDITOR, roles.VENDOR_USER])
def test_read_only_roles_get_403_on_writes(api_client_for, users, north, role):
    api = api_client_for(users[role])
    cert, contact = CertificationFactory(vendor=north), ContactFactory(vendor=north)
    assert api.get(f"{V}{north.pk}/").status_code == 200
    assert api.post(V, {"name": "Y", "service_type": "ito"}, format="json").status_code == 403
    assert api.patch(f"{V}{north.pk}/", {"country": "X"}, format="json").status_code == 403
    assert api.delete(f"{V}{north.pk}/").status_code == 403
    assert api.patch(f"{C}{cert.pk}/", {"scope": "X"}, format="json").status_code == 403
    assert api.delete(f"{K}{contact.pk}/").status_code == 403
    body = {"vendor": north.pk, "name": "Z", "side": "vendor", "level": "tactical"}
    assert api.post(K, body, format="json").status_code == 403
    assert Vendor.objects.count() == 1 and Contact.objects.count() == 1


def test_vendor_user_does_not_receive_internal_fields(api_client_for, users, north):
    api = api_client_for(users[roles.VENDOR_USER])
    assert [r["name"] for r in api.get(V).json()["results"]] == ["North"]
    detail = api.get(f"{V}{north.pk}/").json()
    assert "tier_reason" not in detail and "relationship_owner" not in detail
    assert detail["tier_history"] == []


def test_vendor_manager_writes_under_own_vendor_only(api_client_for, users, north, south):
    api = api_client_for(users[roles.VENDOR_MANAGER])
    assert api.patch(f"{V}{north.pk}/", {"country": "Malta"}, format="json").status_code == 200
    # South is theirs to read, not to change: 403 (404 is for what they may not see).
    assert api.patch(f"{V}{south.pk}/", {"country": "Malta"}, format="json").status_code == 403
    assert api.post(V, {"name": "New", "service_type": "ito"}, format="json").status_code == 403
    body = {"name": "Ann", "side": "vendor", "level": "tactical"}
    assert api.post(K, {**body, "vendor": north.pk}, format="json").status_code == 201
    assert api.post(K, {**body, "vendor": south.pk}, format="json").status_code == 403
    # Moving the contact to someone else's vendor is refused too.
    contact = Contact.objects.get()
    response = api.patch(f"{K}{contact.pk}/", {"vendor": south.pk}, format="json")
    assert response.status_code == 403
    assert Contact.objects.get().vendor == north


def test_certification_endpoint(gov_api, north, south, today):
    CertificationFactory(vendor=north, kind="iso27001", expires_on=today - dt.timedelta(days=1))
    CertificationFactory(vendor=north, kind="soc2_type2", expires_on=today + dt.timedelta(days=60))
    CertificationFactory(vendor=south, kind="pci_dss", expires_on=today + dt.timedelta(days=61))
    CertificationFactory(vendor=south, kind="hipaa", expires_on=None, issued_on=None)

    def kinds(**params):
        response = gov_api.get(C, params)
        assert response.status_code == 200, response.content
        return [(r["kind"], r["expiry_state"]) for r in response.json()["results"]]

    assert kinds(ordering="expires_on") == [
        ("iso27001", "expired"),
        ("soc2_type2", "expiring"),
        ("pci_dss", "valid"),
        ("hipaa", "no_expiry"),
    ]
    assert kinds(expiry="expired") == [("iso27001", "expired")]
    assert kinds(expiry="valid") == [("pci_dss", "valid")]
    assert [k for k, _ in kinds(vendor=south.pk, ordering="kind")] == ["hipaa", "pci_dss"]
    assert [k for k, _ in kinds(kind="soc2_type2")] == ["soc2_type2"]
    assert [k for k, _ in kinds(search="nort", ordering="kind")] == ["iso27001", "soc2_type2"]

    body = {"vendor": north.pk, "kind": "cmmi", "cmmi_level": 3, "expires_on": "2030-01-31"}
    response = gov_api.post(C, body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["cmmi_level"], created["has_evidence"], created["evidence_url"]) == (
        3,
        False,
        None,
    )
    assert "evidence" not in created
    response = gov_api.patch(f"{C}{created['id']}/", {"kind": "iso9001"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["A CMMI level (1–5) belongs to CMMI certifications only."]
    }
    response = gov_api.post(
        C,
        {
            "vendor": north.pk,
            "kind": "iso27001",
            "issued_on": "2026-02-01",
            "expires_on": "2026-01-31",
        },
        format="json",
    )
    assert response.status_code == 400 and "non_field_errors" in response.json()
    response = gov_api.post(C, {"vendor": north.pk, "kind": "iso", "expires_on": "31/01/2026"})
    assert response.status_code == 400 and {"kind", "expires_on"} <= set(response.json())
    assert gov_api.delete(f"{C}{created['id']}/").status_code == 204
    assert Certification.objects.count() == 4


def test_contact_endpoint(gov_api, north, south):
    ContactFactory(vendor=north, name="Olga", level="operational", side="vendor")
    ContactFactory(vendor=south, name="Stan", level="strategic", side="client", role="Sponsor")
    rows = gov_api.get(K, {"level": "strategic"}).json()["results"]
    assert [r["name"] for r in rows] == ["Stan"]
    assert [r["name"] for r in gov_api.get(K, {"side": "vendor"}).json()["results"]] == ["Olga"]
    assert [r["name"] for r in gov_api.get(K, {"search": "spons"}).json()["results"]] == ["Stan"]
    body = {"vendor": north.pk, "name": "Ann", "side": "both", "level": "tactical", "email": "x"}
    response = gov_api.post(K, body, format="json")
    assert response.status_code == 400 and {"side", "email"} == set(response.json())
    response = gov_api.post(K, {**body, "side": "client", "email": "ann@example.com"})
    assert response.status_code == 201
    cid = response.json()["id"]
    response = gov_api.put(
        f"{K}{cid}/",
        {"vendor": north.pk, "name": "Ann B", "side": "client", "level": "strategic"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["level"] == "strategic"
    assert gov_api.delete(f"{K}{cid}/").status_code == 204


@pytest.mark.parametrize(
    ("url", "factory"),
    [(V, VendorFactory), (C, CertificationFactory), (K, ContactFactory)],
)
def test_list_endpoints_use_a_constant_number_of_queries(
    gov_api, django_assert_max_num_queries, url, factory
):
    def make(n):
        for _ in range(n):
            factory(**({"parent": VendorFactory()} if factory is VendorFactory else {}))

    make(3)
    with django_assert_max_num_queries(12) as few:
        assert gov_api.get(url).status_code == 200
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert gov_api.get(url).status_code == 200


def test_change_via_api_shows_in_the_history_page_with_the_actor(
    gov_api, gov_user, client_for, users, north
):
    gov_user.first_name, gov_user.last_name = "Grace", "Okafor"
    gov_user.save()
    response = gov_api.patch(
        f"{V}{north.pk}/", {"tier": 1, "tier_reason": "Critical now"}, format="json"
    )
    assert response.status_code == 200
    html = client_for(users[roles.AUDITOR]).get(north.history_url).content.decode()
    assert "Grace Okafor" in html and "Critical now" in html
    assert f"/api/v1/vendors/{north.pk}/" in html
    step = VendorTierChange.objects.filter(vendor=north).get()
    assert html_has_tier_change(client_for(users[roles.AUDITOR]), step)


def html_has_tier_change(client, step) -> bool:
    html = client.get(step.vendor.get_absolute_url()).content.decode()
    return "Critical now" in html and "Grace Okafor" in html


def test_schema_lists_the_vendor_endpoints(gov_client):
    schema = gov_client.get("/api/schema/").content.decode()
    for path in ("/api/v1/vendors/", "/api/v1/certifications/", "/api/v1/contacts/"):
        assert path in schema
    assert "expiry_state" in schema and "tier_history" in schema
