"""Every vendors page as the roles that may and may not use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core import roles
from tests.factories import CertificationFactory, ContactFactory, ContractFactory, VendorFactory
from vendors import services
from vendors.models import Certification, Contact, Vendor, VendorTierChange

pytestmark = pytest.mark.django_db

GOV, EXEC, AUD = roles.GOVERNANCE_OFFICE, roles.EXECUTIVE, roles.AUDITOR
VM, VU = roles.VENDOR_MANAGER, roles.VENDOR_USER


def vendor_form(**overrides) -> dict:
    data = {
        "name": "Gamma",
        "legal_name": "Gamma BV",
        "country": "Netherlands",
        "service_type": "both",
        "services_description": "",
        "tier": "2",
        "tier_reason": "Hosts the data warehouse",
        "status": "onboarding",
        "relationship_owner": "",
        "parent": "",
    }
    data.update(overrides)
    return data


def test_lists_show_what_each_role_may_see(users, client_for, north, south):
    CertificationFactory(vendor=north, name="North cert")
    CertificationFactory(vendor=south, name="South cert")
    ContactFactory(vendor=north, name="Nora North")
    ContactFactory(vendor=south, name="Sam South")
    for role, expected in ((GOV, {"North", "South"}), (EXEC, {"North", "South"}), (VU, {"North"})):
        client = client_for(users[role])
        html = client.get(reverse("vendors:vendor_list")).content.decode()
        assert {n for n in ("North", "South") if f">{n}</a>" in html} == expected, role
        certs = client.get(reverse("vendors:certification_list")).content.decode()
        assert ("South cert" in certs) == ("South" in expected)
        contacts = client.get(reverse("vendors:contact_list")).content.decode()
        assert ("Sam South" in contacts) == ("South" in expected)
        assert "Nora North" in contacts


def test_list_filters_and_search(gov_client, north, south):
    url = reverse("vendors:vendor_list")
    html = gov_client.get(url, {"tier": "4"}).content.decode()
    assert ">South</a>" in html and ">North</a>" not in html
    html = gov_client.get(url, {"search": "portug"}).content.decode()
    assert ">South</a>" in html and ">North</a>" not in html
    # A bad filter value is a form error on the page, not a server error.
    response = gov_client.get(url, {"tier": "9"})
    assert response.status_code == 200


def test_add_buttons_only_for_writers(users, client_for, north):
    url = reverse("vendors:vendor_list")
    assert "Add vendor" in client_for(users[GOV]).get(url).content.decode()
    for role in (EXEC, AUD, VU, VM):
        assert "Add vendor" not in client_for(users[role]).get(url).content.decode(), role


@pytest.mark.parametrize(
    ("name", "factory"),
    [("vendor", None), ("certification", CertificationFactory), ("contact", ContactFactory)],
)
def test_list_pages_use_a_constant_number_of_queries(
    gov_client, django_assert_max_num_queries, name, factory
):
    def make(n):
        for _ in range(n):
            parent = VendorFactory()
            if factory is None:
                VendorFactory(parent=parent)
            else:
                factory(vendor=parent)

    make(3)
    with django_assert_max_num_queries(12) as few:
        assert gov_client.get(reverse(f"vendors:{name}_list")).status_code == 200
    make(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert gov_client.get(reverse(f"vendors:{name}_list")).status_code == 200


def test_vendor_page_shows_its_relations(gov_client, north, users, today):
    parent = VendorFactory(name="Holding")
    services.vendor_update(instance=north, actor=users[GOV], data={"parent": parent})
    VendorFactory(name="Sub One", parent=north)
    services.vendor_update(
        instance=north, actor=users[GOV], data={"tier": 1, "tier_reason": "Payroll moved in"}
    )
    CertificationFactory(vendor=north, kind="soc2_type2", expires_on=today - dt.timedelta(days=1))
    CertificationFactory(vendor=north, kind="cmmi", cmmi_level=3, expires_on=None)
    ContactFactory(vendor=north, name="Olga Ops", level="operational")
    ContactFactory(vendor=north, name="Stan Strategy", level="strategic", side="client")
    ContractFactory(vendor=north, reference="N-100", title="Service desk")

    html = gov_client.get(north.get_absolute_url()).content.decode()

    assert "Payroll moved in" in html and "2 – High" in html and "1 – Critical" in html
    assert 'data-expiry="expired"' in html and 'data-expiry="no_expiry"' in html
    assert "CMMI level 3" in html
    # The matrix goes from strategic down to operational.
    assert html.index("Strategic") < html.index("Stan Strategy") < html.index("Operational")
    assert html.index("Operational") < html.index("Olga Ops")
    assert "Holding" in html and "Sub One" in html
    assert "N-100" in html and "Service desk" in html


def test_vendor_user_sees_only_their_vendor(users, client_for, north, south):
    client = client_for(users[VU])
    assert client.get(north.get_absolute_url()).status_code == 200
    for url in (
        south.get_absolute_url(),
        south.edit_url,
        south.delete_url,
        south.history_url,
        CertificationFactory(vendor=south).get_absolute_url(),
        ContactFactory(vendor=south).get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url
    # Their own vendor: readable, not changeable; its internal audit trail is not theirs.
    assert client.get(north.edit_url).status_code == 403
    assert client.get(north.history_url).status_code == 403
    html = client.get(north.get_absolute_url()).content.decode()
    assert "Tier history" not in html and "Tier reason" not in html


@pytest.mark.parametrize("role", [EXEC, AUD])
def test_read_only_roles_get_403_on_every_write_page(users, client_for, north, role):
    client = client_for(users[role])
    cert, contact = CertificationFactory(vendor=north), ContactFactory(vendor=north)
    for obj, add in ((north, "vendor"), (cert, "certification"), (contact, "contact")):
        assert client.get(obj.get_absolute_url()).status_code == 200
        assert client.get(obj.history_url).status_code == 200
        add_url = reverse(f"vendors:{add}_add")
        assert client.get(add_url).status_code == 403
        assert client.post(add_url, vendor_form()).status_code == 403
        assert client.get(obj.edit_url).status_code == 403
        assert client.post(obj.edit_url, vendor_form()).status_code == 403
        assert client.get(obj.delete_url).status_code == 403
        assert client.post(obj.delete_url).status_code == 403
    assert Vendor.objects.count() == 1 and Certification.objects.count() == 1


def test_governance_office_adds_edits_and_deletes_a_vendor(gov_client, gov_user):
    assert gov_client.get(reverse("vendors:vendor_add")).status_code == 200
    response = gov_client.post(reverse("vendors:vendor_add"), vendor_form())
    vendor = Vendor.objects.get(name="Gamma")
    assert response.status_code == 302 and response["Location"] == vendor.get_absolute_url()
    assert (vendor.tier, vendor.status, vendor.service_type) == (2, "onboarding", "both")

    assert gov_client.get(vendor.edit_url).status_code == 200
    response = gov_client.post(
        vendor.edit_url, vendor_form(tier="1", tier_reason="Now hosts payroll")
    )
    assert response.status_code == 302
    steps = VendorTierChange.objects.filter(vendor=vendor).order_by("id")
    assert [(s.from_tier, s.to_tier, s.reason, s.changed_by) for s in steps] == [
        (None, 2, "Hosts the data warehouse", gov_user),
        (2, 1, "Now hosts payroll", gov_user),
    ]

    assert gov_client.get(vendor.delete_url).status_code == 200
    response = gov_client.post(vendor.delete_url)
    assert response.status_code == 302 and response["Location"] == reverse("vendors:vendor_list")
    assert not Vendor.objects.filter(pk=vendor.pk).exists()


def test_duplicate_name_is_a_field_error_and_writes_nothing(gov_client, north):
    response = gov_client.post(reverse("vendors:vendor_add"), vendor_form(name="North"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Vendor.objects.count() == 1 and not VendorTierChange.objects.exists()


def test_parent_cycle_and_missing_tier_reason_show_on_their_fields(gov_client, north):
    child = VendorFactory(name="Child", parent=north)
    response = gov_client.post(
        north.edit_url, vendor_form(name="North", parent=str(child.pk), tier="1", tier_reason="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"parent", "tier_reason"}
    north.refresh_from_db()
    assert (north.parent_id, north.tier) == (None, 2)


def test_delete_of_a_vendor_with_contracts_is_refused_with_a_message(gov_client, north):
    ContractFactory(vendor=north)
    response = gov_client.post(north.delete_url, follow=True)
    assert "still referenced" in response.content.decode()
    assert Vendor.objects.filter(pk=north.pk).exists()


def test_vendor_manager_changes_own_vendor_only(users, client_for, north, south):
    client = client_for(users[VM])
    assert client.get(north.edit_url).status_code == 200
    response = client.post(
        north.edit_url, vendor_form(name="North", tier="2", relationship_owner=users[VM].pk)
    )
    assert response.status_code == 302
    north.refresh_from_db()
    assert (north.legal_name, north.status) == ("Gamma BV", "onboarding")

    assert client.get(south.get_absolute_url()).status_code == 200  # reads everything
    assert client.get(south.edit_url).status_code == 403
    assert client.post(south.delete_url).status_code == 403
    assert client.get(reverse("vendors:vendor_add")).status_code == 403

    # Certifications and contacts: for their own vendor only.
    add = reverse("vendors:contact_add")
    contact = {"name": "Ann", "side": "vendor", "level": "tactical", "role": "", "email": ""}
    assert client.post(add, {**contact, "vendor": north.pk, "phone": ""}).status_code == 302
    response = client.post(add, {**contact, "vendor": south.pk, "phone": ""})
    assert response.status_code == 200 and "vendor" in response.context["form"].errors
    assert list(Contact.objects.values_list("vendor__name", flat=True)) == ["North"]


def test_certification_and_contact_pages_for_the_governance_office(gov_client, north):
    add = reverse("vendors:certification_add")
    assert gov_client.get(add, {"vendor": north.pk}).status_code == 200
    response = gov_client.post(
        add,
        {
            "vendor": north.pk,
            "kind": "cmmi",
            "name": "",
            "cmmi_level": "3",
            "scope": "Development",
            "issued_on": "2025-01-01",
            "expires_on": "2027-12-31",
        },
    )
    cert = Certification.objects.get()
    assert response.status_code == 302 and response["Location"] == cert.get_absolute_url()
    assert gov_client.get(cert.get_absolute_url()).status_code == 200
    response = gov_client.post(
        cert.edit_url,
        {
            "vendor": north.pk,
            "kind": "iso27001",
            "cmmi_level": "3",
            "expires_on": "2024-01-01",
            "issued_on": "2025-01-01",
            "name": "",
            "scope": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors  # a CMMI level on ISO, expiry before issue
    cert.refresh_from_db()
    assert cert.kind == "cmmi"
    assert gov_client.post(cert.delete_url).status_code == 302
    assert not Certification.objects.exists()

    response = gov_client.post(
        reverse("vendors:contact_add"),
        {
            "vendor": north.pk,
            "name": "Ann",
            "side": "client",
            "level": "strategic",
            "role": "Sponsor",
            "email": "not-an-email",
            "phone": "",
        },
    )
    assert response.status_code == 200 and "email" in response.context["form"].errors
    assert not Contact.objects.exists()
    contact = ContactFactory(vendor=north)
    assert gov_client.get(contact.get_absolute_url()).status_code == 200
    assert gov_client.get(contact.edit_url).status_code == 200
    assert gov_client.get(contact.history_url).status_code == 200
    assert gov_client.post(contact.delete_url).status_code == 302
