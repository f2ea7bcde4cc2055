"""The API's error shapes and the scoped base viewset, through a throwaway viewset.

The viewset below serves Vendor rows with a deliberately permissive serializer
(no unique validator), so the errors come from the service layer and the
database, the way a real endpoint meets them.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from contracts.models import Contract
from core import roles
from core.api.exceptions import django_error_detail, exception_handler
from core.api.viewsets import ScopedModelViewSet
from tests.factories import ContractFactory, VendorFactory
from vendors.models import Vendor

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class VendorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=200)  # no UniqueValidator: the service decides

    class Meta:
        model = Vendor
        fields = ["id", "name", "service_type", "tier", "status"]


class VendorViewSet(ScopedModelViewSet):
    queryset = Vendor.objects.all()
    serializer_class = VendorSerializer


class ContractSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = ["id", "vendor", "reference", "title", "start_date", "end_date"]


class ContractViewSet(ScopedModelViewSet):
    queryset = Contract.objects.all()
    serializer_class = ContractSerializer


class RaisingView(APIView):
    """Raises whatever the test puts in ``exc``; ``duplicate`` makes the database refuse."""

    exc: Exception | None = None

    def post(self, request):
        if self.exc is not None:
            raise self.exc
        name = request.data["name"]
        with transaction.atomic():  # a savepoint: the request's transaction survives
            Vendor.objects.create(name=name, service_type="ito")
            Vendor.objects.create(name=name, service_type="bpo")  # unique name → IntegrityError


router = SimpleRouter()
router.register("vendors", VendorViewSet, basename="t-vendor")
router.register("contracts", ContractViewSet, basename="t-contract")
urlpatterns = [path("api/", include(router.urls)), path("api/raise/", RaisingView.as_view())]


@pytest.fixture
def api(api_client_for, gov_user):
    return api_client_for(gov_user)


# --- Through the handler directly ----------------------------------------------------


def test_field_dict_becomes_drf_shape():
    exc = DjangoValidationError(
        {"name": ["Too long.", "Taken."], "__all__": ["End before start."], "tier": "Bad tier."}
    )
    assert django_error_detail(exc) == {
        "name": ["Too long.", "Taken."],
        "non_field_errors": ["End before start."],
        "tier": ["Bad tier."],
    }
    response = exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data == {
        "name": ["Too long.", "Taken."],
        "non_field_errors": ["End before start."],
        "tier": ["Bad tier."],
    }


def test_message_without_field_becomes_non_field_errors():
    response = exception_handler(DjangoValidationError("Nope."), {})
    assert (response.status_code, response.data) == (400, {"non_field_errors": ["Nope."]})


def test_value_error_is_a_400_not_a_500_and_is_logged(caplog):
    response = exception_handler(ValueError("invalid literal for int()"), {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["invalid literal for int()"]}
    (record,) = [r for r in caplog.records if r.name == "core.api.exceptions"]
    assert record.levelname == "ERROR" and "invalid literal for int()" in record.getMessage()


# --- Through real requests -------------------------------------------------------------


def test_service_validation_error_is_400_with_field_message(api):
    VendorFactory(name="Acme")
    response = api.post("/api/vendors/", {"name": "Acme", "service_type": "ito"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Vendor with this Name already exists."]}
    assert Vendor.objects.filter(name="Acme").count() == 1


def test_valid_create_goes_through(api):
    response = api.post(
        "/api/vendors/", {"name": "Beta", "service_type": "bpo", "tier": 1}, format="json"
    )
    assert response.status_code == 201
    assert Vendor.objects.get(pk=response.json()["id"]).tier == 1


def test_protected_delete_is_409_and_names_what_refers_to_it(api):
    contract = ContractFactory()
    response = api.delete(f"/api/vendors/{contract.vendor_id}/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This object is still referenced by other records and cannot be deleted.",
        "referenced_by": ["contracts"],
    }
    assert Vendor.objects.filter(pk=contract.vendor_id).exists()


def test_integrity_error_is_400_and_nothing_is_written(api):
    response = api.post("/api/raise/", {"name": "Twice"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The data conflicts with existing records or a constraint."]
    }
    assert not Vendor.objects.filter(name="Twice").exists()


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (DjangoValidationError({"tier": "Bad tier."}), 400),
        (TypeError("unhashable"), 400),
    ],
)
def test_view_errors(gov_user, exc, status):
    request = APIRequestFactory().post("/api/raise/", {}, format="json")
    from rest_framework.test import force_authenticate

    force_authenticate(request, user=gov_user)
    response = RaisingView.as_view(exc=exc)(request)
    assert response.status_code == status


# --- Scope: 404 outside it, 403 for read-only roles ---------------------------------------


def test_vendor_user_sees_only_their_vendor_and_404_for_others(api_client_for, make_user):
    north, south = VendorFactory(name="North"), VendorFactory(name="South")
    client = api_client_for(make_user(roles.VENDOR_USER, vendor=north))
    listing = client.get("/api/vendors/").json()
    assert [row["name"] for row in listing["results"]] == ["North"]
    assert listing["count"] == 1
    assert client.get(f"/api/vendors/{south.pk}/").status_code == 404
    assert client.get(f"/api/vendors/{north.pk}/").status_code == 200


def test_read_only_roles_get_403_on_writes(api_client_for, executive):
    vendor = VendorFactory()
    client = api_client_for(executive)
    assert client.get(f"/api/vendors/{vendor.pk}/").status_code == 200
    assert client.patch(f"/api/vendors/{vendor.pk}/", {"tier": 1}, format="json").status_code == 403
    assert client.post("/api/vendors/", {"name": "X", "service_type": "ito"}).status_code == 403
    vendor.refresh_from_db()
    assert vendor.tier == 2


def test_vendor_manager_changes_owned_vendor_only(api_client_for, make_user):
    manager = make_user(roles.VENDOR_MANAGER)
    mine, other = VendorFactory(relationship_owner=manager), VendorFactory()
    client = api_client_for(manager)
    assert client.patch(f"/api/vendors/{mine.pk}/", {"tier": 1}, format="json").status_code == 200
    # A vendor they may read but not change: 403 (DESIGN.md section 7), not 404.
    assert client.patch(f"/api/vendors/{other.pk}/", {"tier": 1}, format="json").status_code == 403
    assert client.delete(f"/api/vendors/{other.pk}/").status_code == 403
    # Creating a vendor is not theirs to do.
    response = client.post("/api/vendors/", {"name": "New", "service_type": "ito"}, format="json")
    assert response.status_code == 403
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.tier, other.tier) == (1, 2)
    assert not Vendor.objects.filter(name="New").exists()


def test_list_is_a_constant_number_of_queries(api, django_assert_max_num_queries):
    VendorFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        response = api.get("/api/vendors/?page_size=100")
    assert response.json()["count"] == 30


def test_vendor_manager_cannot_move_a_contract_to_a_vendor_they_do_not_own(
    api_client_for, make_user
):
    manager = make_user(roles.VENDOR_MANAGER)
    mine, other = VendorFactory(relationship_owner=manager), VendorFactory()
    contract = ContractFactory(vendor=mine)
    client = api_client_for(manager)
    url = f"/api/contracts/{contract.pk}/"
    assert client.patch(url, {"vendor": other.pk}, format="json").status_code == 403
    assert client.patch(url, {"title": "Renamed"}, format="json").status_code == 200
    contract.refresh_from_db()
    assert (contract.vendor_id, contract.title) == (mine.pk, "Renamed")
    # Creating under a vendor they own is allowed; under another vendor it is not.
    new = {"reference": "M-1", "title": "SOW", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    assert client.post("/api/contracts/", {**new, "vendor": other.pk}).status_code == 403
    assert client.post("/api/contracts/", {**new, "vendor": mine.pk}).status_code == 201
    assert list(Contract.objects.filter(reference="M-1").values_list("vendor", flat=True)) == [
        mine.pk
    ]
