"""The value fields (#13): transition cost and month, baseline adjustments — forms and API.

They are the office's internal figures: pages and API take and show them to
office roles, never to a vendor representative; a bad value is an error on
its field and writes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import ChangeRequest, Contract
from core import roles
from tests.factories import ChangeRequestFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def contract_payload(vendor, **overrides):
    data = {
        "vendor": vendor.pk,
        "reference": "VAL-1",
        "title": "Value",
        "contract_type": "msa",
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "renewal": "none",
        "renewal_months": 0,
        "notice_days": 60,
        "currency": "EUR",
        "monthly_charge": "1000.00",
        "total_value": "24000.00",
        "at_risk_percent": "10",
        "earn_back_periods": 0,
        "baseline_annual_cost": "15000.00",
        "target_savings_percent": "15",
        "transition_cost": "30000.50",
        "transition_cost_month": "2026-02-01",
    }
    return {**data, **overrides}


def change_payload(contract, **overrides):
    data = {
        "contract": contract.pk,
        "title": "Scope grows",
        "impact": "cost",
        "baseline_adjustment": "-12000.00",
        "baseline_adjustment_date": "2026-07-01",
    }
    return {**data, **overrides}


# --- API ------------------------------------------------------------------------------


def test_api_creates_and_updates_a_contract_with_its_transition_cost(gov_api, north_south):
    response = gov_api.post("/api/v1/contracts/", contract_payload(north_south["north"]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["transition_cost"], body["transition_cost_month"]) == ("30000.50", "2026-02-01")
    contract = Contract.objects.get(pk=body["id"])
    assert contract.transition_cost == Decimal("30000.50")
    assert contract.transition_cost_month == D("2026-02-01")
    response = gov_api.patch(
        f"/api/v1/contracts/{contract.pk}/",
        {"transition_cost": "0.01", "transition_cost_month": None},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["transition_cost"], response.json()["transition_cost_month"]) == (
        "0.01",
        None,
    )


def test_api_contract_without_transition_cost_defaults_to_none(gov_api, north_south):
    data = contract_payload(north_south["north"])
    del data["transition_cost"], data["transition_cost_month"]
    body = gov_api.post("/api/v1/contracts/", data).json()
    assert (body["transition_cost"], body["transition_cost_month"]) == ("0.00", None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"transition_cost": "-1.00"}, "transition_cost"),
        ({"transition_cost": "12.345"}, "transition_cost"),
        ({"transition_cost": "lots"}, "transition_cost"),
        ({"transition_cost_month": "2026-02-15"}, "transition_cost_month"),
        ({"transition_cost_month": "02/2026"}, "transition_cost_month"),
    ],
)
def test_api_contract_bad_value_is_400_on_the_field(gov_api, north_south, overrides, field):
    response = gov_api.post(
        "/api/v1/contracts/", contract_payload(north_south["north"], **overrides)
    )
    assert response.status_code == 400
    assert set(response.json()) == {field}, response.json()
    assert Contract.objects.count() == 2  # the two of the fixture


def test_api_change_request_carries_a_dated_baseline_adjustment(gov_api, north_south):
    response = gov_api.post("/api/v1/change-requests/", change_payload(north_south["north_msa"]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["baseline_adjustment"], body["baseline_adjustment_date"]) == (
        "-12000.00",
        "2026-07-01",
    )
    cr = ChangeRequest.objects.get(pk=body["id"])
    assert cr.baseline_adjustment == Decimal("-12000.00")
    response = gov_api.patch(
        f"/api/v1/change-requests/{cr.pk}/", {"baseline_adjustment": "500.00"}, format="json"
    )
    assert response.status_code == 200
    cr.refresh_from_db()
    assert (cr.baseline_adjustment, cr.baseline_adjustment_date) == (
        Decimal("500.00"),
        D("2026-07-01"),
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"baseline_adjustment_date": None}, "baseline_adjustment_date"),
        ({"baseline_adjustment_date": "1 July"}, "baseline_adjustment_date"),
        ({"baseline_adjustment": "1.001"}, "baseline_adjustment"),
        ({"baseline_adjustment": "ten"}, "baseline_adjustment"),
    ],
)
def test_api_change_request_bad_adjustment_is_400_on_the_field(
    gov_api, north_south, overrides, field
):
    data = change_payload(north_south["north_msa"], **overrides)
    response = gov_api.post("/api/v1/change-requests/", data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {field}, response.json()
    assert not ChangeRequest.objects.exists()


def test_api_patch_removing_the_date_of_an_adjustment_is_400(gov_api, north_south):
    cr = ChangeRequestFactory(
        contract=north_south["north_msa"],
        baseline_adjustment=Decimal("100.00"),
        baseline_adjustment_date=D("2026-03-01"),
    )
    response = gov_api.patch(
        f"/api/v1/change-requests/{cr.pk}/", {"baseline_adjustment_date": None}, format="json"
    )
    assert response.status_code == 400 and "baseline_adjustment_date" in response.json()
    cr.refresh_from_db()
    assert cr.baseline_adjustment_date == D("2026-03-01")


def test_vendor_user_receives_none_of_the_value_fields(api_client_for, north_south):
    contract = north_south["north_msa"]
    contract.transition_cost = Decimal("5000.00")
    contract.transition_cost_month = D("2025-03-01")
    contract.save()
    cr = ChangeRequestFactory(
        contract=contract,
        baseline_adjustment=Decimal("100.00"),
        baseline_adjustment_date=D("2026-03-01"),
    )
    rep = api_client_for(north_south["north_rep"])
    hidden_contract = {"transition_cost", "transition_cost_month", "baseline_annual_cost"}
    hidden_change = {"baseline_adjustment", "baseline_adjustment_date"}
    detail = rep.get(f"/api/v1/contracts/{contract.pk}/").json()
    listed = rep.get("/api/v1/contracts/").json()["results"]
    assert detail["reference"] == "N-MSA" and not hidden_contract & set(detail)
    assert listed and all(not hidden_contract & set(row) for row in listed)
    change = rep.get(f"/api/v1/change-requests/{cr.pk}/").json()
    assert change["title"] == cr.title and not hidden_change & set(change)
    changes = rep.get("/api/v1/change-requests/").json()["results"]
    assert changes and all(not hidden_change & set(row) for row in changes)


def test_office_roles_receive_them(api_client_for, make_user, north_south):
    cr = ChangeRequestFactory(
        contract=north_south["north_msa"],
        baseline_adjustment=Decimal("100.00"),
        baseline_adjustment_date=D("2026-03-01"),
    )
    for role in (roles.EXECUTIVE, roles.AUDITOR, roles.VENDOR_MANAGER):
        api = api_client_for(make_user(role))
        assert api.get(f"/api/v1/change-requests/{cr.pk}/").json()["baseline_adjustment"] == (
            "100.00"
        )
        assert "transition_cost" in api.get(f"/api/v1/contracts/{cr.contract_id}/").json()


# --- forms and pages ------------------------------------------------------------------


def form_data(payload):
    return {k: ("" if v is None else str(v)) for k, v in payload.items()}


def test_contract_form_saves_the_transition_cost(client, gov_user, north_south):
    client.force_login(gov_user)
    response = client.post(
        "/contracts/contracts/add/", form_data(contract_payload(north_south["north"]))
    )
    assert response.status_code == 302, response.context["form"].errors
    contract = Contract.objects.get(reference="VAL-1")
    assert contract.transition_cost == Decimal("30000.50")
    assert contract.transition_cost_month == D("2026-02-01")
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "EUR 30,000.50" in page and "paid 2026-02" in page


def test_contract_form_empty_transition_cost_means_none(client, gov_user, north_south):
    client.force_login(gov_user)
    data = form_data(contract_payload(north_south["north"], transition_cost=None))
    data["transition_cost_month"] = ""
    assert client.post("/contracts/contracts/add/", data).status_code == 302
    assert Contract.objects.get(reference="VAL-1").transition_cost == Decimal("0")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"transition_cost": "-5"}, "transition_cost"),
        ({"transition_cost": "1.999"}, "transition_cost"),
        ({"transition_cost_month": "2026-02-10"}, "transition_cost_month"),
        ({"transition_cost_month": "February"}, "transition_cost_month"),
    ],
)
def test_contract_form_bad_value_names_the_field(client, gov_user, north_south, overrides, field):
    client.force_login(gov_user)
    response = client.post(
        "/contracts/contracts/add/",
        form_data(contract_payload(north_south["north"], **overrides)),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}, response.context["form"].errors
    assert Contract.objects.count() == 2


def test_change_request_form_saves_a_dated_adjustment(client, gov_user, north_south):
    client.force_login(gov_user)
    response = client.post(
        "/contracts/change-requests/add/", form_data(change_payload(north_south["north_msa"]))
    )
    assert response.status_code == 302
    cr = ChangeRequest.objects.get()
    assert (cr.baseline_adjustment, cr.baseline_adjustment_date) == (
        Decimal("-12000.00"),
        D("2026-07-01"),
    )
    page = client.get(cr.get_absolute_url()).content.decode()
    assert "-12,000.00" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"baseline_adjustment_date": None}, "baseline_adjustment_date"),
        ({"baseline_adjustment_date": "soon"}, "baseline_adjustment_date"),
        ({"baseline_adjustment": "abc"}, "baseline_adjustment"),
    ],
)
def test_change_request_form_bad_adjustment_names_the_field(
    client, gov_user, north_south, overrides, field
):
    client.force_login(gov_user)
    response = client.post(
        "/contracts/change-requests/add/",
        form_data(change_payload(north_south["north_msa"], **overrides)),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}, response.context["form"].errors
    assert not ChangeRequest.objects.exists()


def test_forms_leave_the_value_fields_out_for_a_vendor_user(north_south):
    from contracts.forms import ChangeRequestForm, ContractForm

    rep = north_south["north_rep"]
    assert not {"transition_cost", "transition_cost_month", "baseline_annual_cost"} & set(
        ContractForm(user=rep).fields
    )
    assert not {"baseline_adjustment", "baseline_adjustment_date"} & set(
        ChangeRequestForm(user=rep).fields
    )
    office = ContractForm(user=north_south["north_manager"]).fields
    assert {"transition_cost", "transition_cost_month"} <= set(office)


def test_vendor_user_pages_show_no_value_figures(client, north_south):
    contract = north_south["north_msa"]
    contract.transition_cost = Decimal("7777.00")
    contract.save()
    cr = ChangeRequestFactory(
        contract=contract,
        baseline_adjustment=Decimal("4321.00"),
        baseline_adjustment_date=D("2026-03-01"),
    )
    client.force_login(north_south["north_rep"])
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "N-MSA" in page and "7,777.00" not in page and "Transition cost" not in page
    page = client.get(cr.get_absolute_url()).content.decode()
    assert cr.title in page and "4,321.00" not in page and "Baseline adjustment" not in page
