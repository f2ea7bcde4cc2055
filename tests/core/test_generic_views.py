"""The generic Object*View classes: scope (404), read-only (403), service errors on forms.

Tested against a tiny URLconf declared here, with plain Vendor and Contract
views, so the behaviour of core.views is pinned independently of the apps'
own pages.
"""

from __future__ import annotations

import django_filters
import django_tables2 as tables
import pytest
from django import forms
from django.urls import include, path

from contracts.models import Contract
from core import roles
from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
)
from tests.factories import ContractFactory, VendorFactory
from vendors.models import Vendor

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class VendorFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Vendor
        fields = ["tier"]


class VendorTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Vendor
        fields = ["name", "tier", "relationship_owner"]


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "service_type", "tier", "status"]


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["vendor", "reference", "title", "start_date", "end_date"]


class VendorList(ObjectListView):
    model = Vendor
    queryset = Vendor.objects.select_related("relationship_owner")
    filterset_class = VendorFilterSet
    table_class = VendorTable


vendor_urls = (
    [
        path("", VendorList.as_view(), name="vendor_list"),
        path(
            "add/",
            ObjectCreateView.as_view(model=Vendor, form_class=VendorForm),
            name="vendor_add",
        ),
        path("<int:pk>/", ObjectDetailView.as_view(model=Vendor), name="vendor_detail"),
        path(
            "<int:pk>/edit/",
            ObjectUpdateView.as_view(model=Vendor, form_class=VendorForm),
            name="vendor_edit",
        ),
        path("<int:pk>/delete/", ObjectDeleteView.as_view(model=Vendor), name="vendor_delete"),
        path("<int:pk>/history/", ObjectHistoryView.as_view(model=Vendor), name="vendor_history"),
    ],
    "vendors",
)
contract_urls = (
    [
        path("<int:pk>/", ObjectDetailView.as_view(model=Contract), name="contract_detail"),
        path(
            "<int:pk>/edit/",
            ObjectUpdateView.as_view(model=Contract, form_class=ContractForm),
            name="contract_edit",
        ),
        path(
            "add/",
            ObjectCreateView.as_view(model=Contract, form_class=ContractForm),
            name="contract_add",
        ),
        path("", ObjectDetailView.as_view(model=Contract), name="contract_list"),  # unused
    ],
    "contracts",
)
urlpatterns = [
    path("", include("core.urls")),
    path("v/", include(vendor_urls)),
    path("c/", include(contract_urls)),
]


@pytest.fixture
def north_south(make_user):
    manager = make_user(roles.VENDOR_MANAGER)
    north = VendorFactory(name="North", relationship_owner=manager)
    south = VendorFactory(name="South")
    return manager, north, south


def as_user(client, user):
    client.force_login(user)
    return client


# --- Detail: 404 outside the scope -------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "north", "south"),
    [
        (roles.GOVERNANCE_OFFICE, 200, 200),
        (roles.EXECUTIVE, 200, 200),
        (roles.AUDITOR, 200, 200),
        (roles.VENDOR_USER, 200, 404),
    ],
)
def test_detail_status_per_role(client, make_user, north_south, role, north, south):
    _, n, s = north_south
    user = make_user(role, vendor=n if role == roles.VENDOR_USER else None)
    as_user(client, user)
    assert client.get(f"/v/{n.pk}/").status_code == north
    assert client.get(f"/v/{s.pk}/").status_code == south
    assert client.get("/v/999999/").status_code == 404


def test_detail_shows_edit_buttons_only_to_who_may_change(client, make_user, north_south):
    manager, north, south = north_south
    as_user(client, manager)
    assert b"/v/%d/edit/" % north.pk in client.get(f"/v/{north.pk}/").content
    assert b"/v/%d/edit/" % south.pk not in client.get(f"/v/{south.pk}/").content


# --- Edit: 403 when visible but read-only, 404 when invisible ----------------------------------


@pytest.mark.parametrize(
    ("role", "north", "south"),
    [
        (roles.GOVERNANCE_OFFICE, 200, 200),
        (roles.VENDOR_MANAGER, 200, 403),
        (roles.EXECUTIVE, 403, 403),
        (roles.AUDITOR, 403, 403),
        (roles.VENDOR_USER, 403, 404),
    ],
)
def test_edit_status_per_role(client, make_user, north_south, role, north, south):
    manager, n, s = north_south
    user = manager if role == roles.VENDOR_MANAGER else make_user(role, vendor=n)
    if role != roles.VENDOR_USER and role != roles.VENDOR_MANAGER:
        user = make_user(role)
    as_user(client, user)
    assert client.get(f"/v/{n.pk}/edit/").status_code == north
    assert client.get(f"/v/{s.pk}/edit/").status_code == south
    assert client.post(f"/v/{s.pk}/edit/", {"name": "Hacked"}).status_code == south
    assert Vendor.objects.filter(name="Hacked").count() == 0


def test_edit_saves_and_lands_in_history_with_actor(client, gov_user, north_south):
    _, north, _ = north_south
    as_user(client, gov_user)
    response = client.post(
        f"/v/{north.pk}/edit/",
        {"name": "North Europe", "service_type": "both", "tier": 1, "status": "active"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/v/{north.pk}/"
    north.refresh_from_db()
    assert (north.name, north.tier, north.service_type) == ("North Europe", 1, "both")
    history = client.get(f"/v/{north.pk}/history/")
    assert history.status_code == 200
    events = history.context["events"]
    assert events[0].action == "update"
    assert events[0].actor == gov_user.username
    assert events[0].via == f"/v/{north.pk}/edit/"
    assert events[0].changes["name"] == ["North", "North Europe"]


def test_service_validation_errors_land_on_the_form_and_nothing_is_written(
    client, gov_user, north_south
):
    _, north, south = north_south
    as_user(client, gov_user)
    response = client.post(
        f"/v/{north.pk}/edit/",
        {"name": "South", "service_type": "ito", "tier": 2, "status": "active"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Vendor with this Name already exists."]}
    north.refresh_from_db()
    assert north.name == "North"


def test_history_is_scoped_like_detail(client, make_user, north_south):
    _, north, south = north_south
    as_user(client, make_user(roles.VENDOR_USER, vendor=north))
    assert client.get(f"/v/{north.pk}/history/").status_code == 200
    assert client.get(f"/v/{south.pk}/history/").status_code == 404


# --- Create --------------------------------------------------------------------------------------


def test_read_only_roles_cannot_open_add_pages(client, executive):
    as_user(client, executive)
    assert client.get("/v/add/").status_code == 403
    assert client.post("/v/add/", {"name": "X", "service_type": "ito"}).status_code == 403
    assert not Vendor.objects.filter(name="X").exists()


def test_vendor_manager_adds_contracts_only_under_owned_vendors(client, north_south):
    manager, north, south = north_south
    as_user(client, manager)
    data = {"reference": "N-9", "title": "SOW"}
    data |= {"start_date": "2026-01-01", "end_date": "2026-12-31"}
    refused = client.post("/c/add/", {**data, "vendor": south.pk})
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "You may not add this record for that vendor."
    ]
    assert not Contract.objects.filter(reference="N-9").exists()
    assert client.post("/c/add/", {**data, "vendor": north.pk}).status_code == 302
    assert Contract.objects.get(reference="N-9").vendor == north


def test_vendor_manager_cannot_move_a_contract_to_another_vendor(client, north_south):
    manager, north, south = north_south
    contract = ContractFactory(vendor=north, reference="N-1")
    as_user(client, manager)
    response = client.post(
        f"/c/{contract.pk}/edit/",
        {
            "vendor": south.pk,
            "reference": "N-1",
            "title": "Moved",
            "start_date": "2025-01-01",
            "end_date": "2027-12-31",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "You may not move this record to that vendor."
    ]
    contract.refresh_from_db()
    assert (contract.vendor, contract.title) == (north, "Managed services")


def test_gov_adds_a_vendor(client, gov_user):
    as_user(client, gov_user)
    response = client.post(
        "/v/add/", {"name": "Gamma", "service_type": "bpo", "tier": 4, "status": "prospect"}
    )
    vendor = Vendor.objects.get(name="Gamma")
    assert response["Location"] == f"/v/{vendor.pk}/"
    assert vendor.tier == 4


# --- Delete --------------------------------------------------------------------------------------


def test_protected_delete_is_refused_with_a_message(client, gov_user):
    contract = ContractFactory()
    as_user(client, gov_user)
    response = client.post(f"/v/{contract.vendor_id}/delete/", follow=True)
    assert response.redirect_chain[-1][0] == f"/v/{contract.vendor_id}/"
    assert b"is still referenced by other records and was not deleted" in response.content
    assert Vendor.objects.filter(pk=contract.vendor_id).exists()


def test_delete(client, gov_user, make_user):
    vendor = VendorFactory()
    as_user(client, make_user(roles.AUDITOR))
    assert client.post(f"/v/{vendor.pk}/delete/").status_code == 403
    as_user(client, gov_user)
    response = client.post(f"/v/{vendor.pk}/delete/")
    assert response["Location"] == "/v/"
    assert not Vendor.objects.filter(pk=vendor.pk).exists()


# --- List ----------------------------------------------------------------------------------


def test_list_is_scoped_filtered_and_constant_in_queries(
    client, make_user, north_south, django_assert_max_num_queries
):
    _, north, _ = north_south
    owner = make_user(roles.VENDOR_MANAGER)
    VendorFactory.create_batch(20, relationship_owner=owner, tier=1)
    as_user(client, make_user(roles.GOVERNANCE_OFFICE))
    with django_assert_max_num_queries(12):
        response = client.get("/v/?per_page=50")
    assert response.context["table"].paginator.count == 22
    assert client.get("/v/?search=nor").context["table"].paginator.count == 1
    assert client.get("/v/?tier=1").context["table"].paginator.count == 20

    as_user(client, make_user(roles.VENDOR_USER, vendor=north))
    rows = client.get("/v/").context["table"].rows
    assert [row.record.name for row in rows] == ["North"]


def test_list_pages_through_long_tables(client, gov_user):
    VendorFactory.create_batch(30)
    as_user(client, gov_user)
    first = client.get("/v/?tier=2")
    assert b"Page 1 of 2" in first.content
    assert b'href="?tier=2&amp;page=2"' in first.content  # keeps the filter
    second = client.get("/v/?tier=2&page=2")
    assert len(second.context["table"].page.object_list) == 5
