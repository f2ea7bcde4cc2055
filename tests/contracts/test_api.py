"""The contracts API: fields, filters, search, ordering, pagination, writes, errors, scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from contracts.models import ChangeRequest, Contract, ExitStep, Obligation, SpendRecord
from core import roles
from tests.factories import (
    ChangeRequestFactory,
    ContractFactory,
    ExitPlanFactory,
    ExitStepFactory,
    ObligationFactory,
    SpendRecordFactory,
)

pytestmark = pytest.mark.django_db
D = date.fromisoformat

CONTRACT_FIELDS = {
    "id", "vendor", "reference", "title", "contract_type", "parent", "start_date", "end_date",
    "renewal", "renewal_months", "notice_days", "notice_deadline", "next_renewal_date",
    "currency", "monthly_charge", "total_value", "at_risk_percent", "at_risk_amount",
    "earn_back_periods", "baseline_annual_cost", "target_savings_percent", "transition_cost",
    "transition_cost_month", "scope_in",
    "scope_out", "status", "created_at", "updated_at",
}  # fmt: skip


def payload(vendor, **overrides):
    data = {
        "vendor": vendor.pk,
        "reference": "API-1",
        "title": "Integration",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "renewal": "automatic",
        "renewal_months": 12,
        "notice_days": 90,
        "currency": "EUR",
        "monthly_charge": "20000.00",
        "at_risk_percent": "15.00",
        "earn_back_periods": 2,
        "baseline_annual_cost": "300000.00",
        "target_savings_percent": "20.00",
        "status": "active",
    }
    return {**data, **overrides}


def test_contract_fields_and_computed_values(gov_api, north_south):
    body = gov_api.get(f"/api/v1/contracts/{north_south['north_msa'].pk}/").json()
    assert set(body) == CONTRACT_FIELDS
    assert body["monthly_charge"] == "100000.00"  # decimals as strings
    assert body["at_risk_amount"] == "12000.00"
    assert body["start_date"] == "2025-01-01"
    assert body["next_renewal_date"] is None  # renewal none
    assert body["notice_deadline"] is None


def test_create_update_delete_a_contract(gov_api, north_south):
    response = gov_api.post(
        "/api/v1/contracts/",
        # A term whose notice deadline is still ahead: nothing rolls over on entry.
        payload(north_south["north"], notice_deadline="2000-01-01", end_date="2027-12-31"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["notice_deadline"] == "2027-10-02"  # read-only: computed, not taken
    assert body["next_renewal_date"] == "2028-01-01"
    assert body["at_risk_amount"] == "3000.00"
    pk = body["id"]
    response = gov_api.patch(f"/api/v1/contracts/{pk}/", {"notice_days": 30}, format="json")
    assert response.status_code == 200
    assert response.json()["notice_deadline"] == "2027-12-01"
    assert gov_api.delete(f"/api/v1/contracts/{pk}/").status_code == 204
    assert not Contract.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2024-12-31"}, "end_date"),
        ({"monthly_charge": "-1.00"}, "monthly_charge"),
        ({"at_risk_percent": "150"}, "at_risk_percent"),
        ({"renewal": "sometimes"}, "renewal"),
        ({"renewal_months": 0}, "renewal_months"),
        ({"start_date": "31/12/2025"}, "start_date"),
        ({"reference": "N-MSA"}, "reference"),
        ({"vendor_id": 999999}, "vendor"),
        ({"contract_type": "sow", "parent": "S"}, "parent"),
    ],
)
def test_contract_400_names_the_field(gov_api, north_south, overrides, field):
    if overrides.get("parent") == "S":
        overrides["parent"] = north_south["south_msa"].pk
    data = payload(north_south["north"], **overrides)
    if "vendor_id" in data:
        data["vendor"] = data.pop("vendor_id")
    response = gov_api.post("/api/v1/contracts/", data)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Contract.objects.count() == 2


def test_list_filter_search_order_paginate(gov_api, north_south):
    ContractFactory.create_batch(3, vendor=north_south["south"], status="draft")
    body = gov_api.get("/api/v1/contracts/?page_size=2&ordering=-reference").json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]
    assert gov_api.get("/api/v1/contracts/?status=draft").json()["count"] == 3
    assert gov_api.get(f"/api/v1/contracts/?vendor={north_south['north'].pk}").json()["count"] == 1
    found = gov_api.get("/api/v1/contracts/?search=north managed").json()["results"]
    assert [c["reference"] for c in found] == ["N-MSA"]
    refs = [
        c["reference"]
        for c in gov_api.get("/api/v1/contracts/?ordering=reference").json()["results"]
    ]
    assert refs == sorted(refs)
    assert gov_api.get("/api/v1/contracts/?status=nonsense").status_code == 400


def test_401_403_404(client, api_client_for, make_user, north_south):
    n = north_south
    assert APIClient().get("/api/v1/contracts/").status_code == 401
    executive = api_client_for(make_user(roles.EXECUTIVE))
    assert executive.get("/api/v1/contracts/").json()["count"] == 2
    assert executive.post("/api/v1/contracts/", payload(n["north"])).status_code == 403
    assert executive.delete(f"/api/v1/contracts/{n['north_msa'].pk}/").status_code == 403
    rep = api_client_for(n["north_rep"])
    assert rep.get(f"/api/v1/contracts/{n['south_msa'].pk}/").status_code == 404
    assert [c["reference"] for c in rep.get("/api/v1/contracts/").json()["results"]] == ["N-MSA"]
    assert rep.post("/api/v1/contracts/", payload(n["north"])).status_code == 403
    assert rep.get("/api/v1/exit-plans/").json()["count"] == 0
    assert rep.get("/api/v1/spend-records/").json()["count"] == 0
    assert rep.get("/api/v1/contracts/999999/").status_code == 404
    # A vendor manager writes under the vendors they own only.
    manager = api_client_for(n["north_manager"])
    assert manager.post("/api/v1/contracts/", payload(n["north"])).status_code == 201
    assert manager.post("/api/v1/contracts/", payload(n["south"], reference="X")).status_code == 403
    assert (
        manager.patch(
            f"/api/v1/contracts/{n['south_msa'].pk}/", {"title": "Mine"}, format="json"
        ).status_code
        == 403  # they may read it, not change it (DESIGN.md section 7)
    )
    moved = manager.patch(
        f"/api/v1/contracts/{n['north_msa'].pk}/", {"vendor": n["south"].pk}, format="json"
    )
    assert moved.status_code == 403
    assert Contract.objects.get(pk=n["north_msa"].pk).vendor == n["north"]


def test_related_ids_outside_the_scope_do_not_exist(api_client_for, north_south):
    rep = api_client_for(north_south["north_rep"])
    response = rep.get(f"/api/v1/obligations/?contract={north_south['south_msa'].pk}")
    assert response.status_code == 400 and "contract" in response.json()


def test_obligations(gov_api, north_south):
    msa = north_south["north_msa"]
    ObligationFactory(contract=msa, due_date=D("2020-01-01"), title="Late one")
    ObligationFactory(contract=msa, due_date=D("2099-01-01"))
    response = gov_api.post(
        "/api/v1/obligations/",
        {"contract": msa.pk, "title": "Report", "party": "vendor", "due_date": "2099-06-30"},
    )
    assert response.status_code == 201
    body = gov_api.get("/api/v1/obligations/?overdue=true").json()
    assert [(o["title"], o["is_overdue"]) for o in body["results"]] == [("Late one", True)]
    assert gov_api.get("/api/v1/obligations/?search=report").json()["count"] == 1
    bad = gov_api.post("/api/v1/obligations/", {"contract": msa.pk, "party": "nobody"})
    assert bad.status_code == 400 and {"title", "party"} <= set(bad.json())
    pk = response.json()["id"]
    assert gov_api.patch(f"/api/v1/obligations/{pk}/", {"status": "met"}).status_code == 200
    assert Obligation.objects.get(pk=pk).status == "met"
    assert gov_api.delete(f"/api/v1/obligations/{pk}/").status_code == 204


def test_change_request_transition_action(
    gov_api, gov_user, api_client_for, make_user, north_south
):
    msa = north_south["north_msa"]
    created = gov_api.post(
        "/api/v1/change-requests/",
        {
            "contract": msa.pk,
            "title": "More cover",
            "impact": "cost",
            "cost_impact": "-500.00",
            "status": "implemented",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "proposed" and body["cost_impact"] == "-500.00"
    url = f"/api/v1/change-requests/{body['id']}/transition/"
    bad = gov_api.post(url, {"status": "approved"})
    assert bad.status_code == 400 and "status" in bad.json()
    assert gov_api.post(url, {"status": "flying"}).status_code == 400
    assert (
        gov_api.post(url, {"status": "assessed", "note": "Costed"}).json()["status"] == "assessed"
    )
    approved = gov_api.post(url, {"status": "approved", "note": "OK at JSC"}).json()
    assert approved["status"] == "approved" and approved["decided_by"] == gov_user.pk
    assert approved["decided_at"] and "OK at JSC" in approved["decision_note"]
    executive = api_client_for(make_user(roles.EXECUTIVE))
    assert executive.post(url, {"status": "implemented"}).status_code == 403
    rep = api_client_for(north_south["north_rep"])
    assert rep.get(f"/api/v1/change-requests/{body['id']}/").status_code == 200
    assert rep.post(url, {"status": "implemented"}).status_code == 403
    assert (
        gov_api.post("/api/v1/change-requests/999999/transition/", {"status": "x"}).status_code
        == 404
    )
    assert ChangeRequest.objects.get(pk=body["id"]).status == "approved"


def test_exit_plans_and_steps(gov_api, north_south):
    msa = north_south["north_msa"]
    plan = gov_api.post("/api/v1/exit-plans/", {"contract": msa.pk, "summary": "Leave"})
    assert plan.status_code == 201
    pk = plan.json()["id"]
    again = gov_api.post("/api/v1/exit-plans/", {"contract": msa.pk})
    assert again.status_code == 400 and "contract" in again.json()
    step = gov_api.post(
        "/api/v1/exit-steps/",
        {
            "plan": pk,
            "order": 2,
            "title": "Parallel run",
            "start_date": "2026-03-01",
            "due_date": "2026-04-30",
        },
    )
    assert step.status_code == 201
    gov_api.post("/api/v1/exit-steps/", {"plan": pk, "order": 1, "title": "Notify"})
    bad = gov_api.post(
        "/api/v1/exit-steps/",
        {"plan": pk, "title": "Backwards", "start_date": "2026-03-01", "due_date": "2026-02-01"},
    )
    assert bad.status_code == 400 and "due_date" in bad.json()
    body = gov_api.get(f"/api/v1/exit-plans/{pk}/").json()
    assert [s["title"] for s in body["steps"]] == ["Notify", "Parallel run"]
    assert (
        gov_api.patch(f"/api/v1/exit-steps/{step.json()['id']}/", {"status": "done"}).json()[
            "status"
        ]
        == "done"
    )
    assert gov_api.delete(f"/api/v1/exit-steps/{step.json()['id']}/").status_code == 204
    assert gov_api.delete(f"/api/v1/exit-plans/{pk}/").status_code == 204
    assert not ExitStep.objects.exists()


def test_spend_records_upsert(gov_api, north_south):
    msa = north_south["north_msa"]
    first = gov_api.post(
        "/api/v1/spend-records/", {"contract": msa.pk, "month": "2026-01-01", "amount": "98000.00"}
    )
    assert first.status_code == 201
    again = gov_api.post(
        "/api/v1/spend-records/",
        {"contract": msa.pk, "month": "2026-01-01", "amount": "97000.50", "invoice_reference": "I"},
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert SpendRecord.objects.get().amount == Decimal("97000.50")
    for bad, field in (({"month": "2026-01-15"}, "month"), ({"amount": "-1"}, "amount")):
        data = {"contract": msa.pk, "month": "2026-02-01", "amount": "1", **bad}
        response = gov_api.post("/api/v1/spend-records/", data)
        assert response.status_code == 400 and field in response.json()
    assert SpendRecord.objects.count() == 1
    feb = gov_api.post(
        "/api/v1/spend-records/", {"contract": msa.pk, "month": "2026-02-01", "amount": "1"}
    ).json()
    clash = gov_api.patch(f"/api/v1/spend-records/{feb['id']}/", {"month": "2026-01-01"})
    assert clash.status_code == 400 and "month" in clash.json()
    listing = gov_api.get("/api/v1/spend-records/?month_after=2026-02-01").json()
    assert [r["month"] for r in listing["results"]] == ["2026-02-01"]
    manager = gov_api  # gov may; a vendor user may not push spend
    assert manager.delete(f"/api/v1/spend-records/{feb['id']}/").status_code == 204


def test_vendor_user_cannot_push_spend(api_client_for, north_south):
    rep = api_client_for(north_south["north_rep"])
    response = rep.post(
        "/api/v1/spend-records/",
        {"contract": north_south["north_msa"].pk, "month": "2026-01-01", "amount": "1"},
    )
    assert response.status_code == 403
    assert not SpendRecord.objects.exists()


@pytest.mark.parametrize(
    "resource",
    ["contracts", "obligations", "change-requests", "exit-plans", "exit-steps", "spend-records"],
)
def test_list_endpoints_use_a_constant_number_of_queries(gov_api, resource):
    def add_rows():
        contract = ContractFactory()
        ObligationFactory(contract=contract)
        ChangeRequestFactory(contract=contract)
        ExitStepFactory(plan=ExitPlanFactory(contract=contract))
        SpendRecordFactory(contract=contract)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert gov_api.get(f"/api/v1/{resource}/").status_code == 200
        return len(ctx.captured_queries)

    add_rows()
    few = count()
    for _ in range(8):
        add_rows()
    assert count() == few


def test_schema_lists_the_contract_endpoints(gov_client):
    schema = gov_client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/contracts/",
        "/api/v1/change-requests/{id}/transition/",
        "/api/v1/exit-steps/",
        "/api/v1/spend-records/",
    ):
        assert path in schema


@pytest.mark.parametrize(
    "overrides",
    [
        # Renewing on 9999-12-31: the renewal day overflowed while rendering, after the write.
        {"end_date": "9999-12-31"},
        # Notice days reach before 0001-01-01: the deadline overflowed before validation.
        {"start_date": "0001-01-01", "end_date": "0001-01-05"},
    ],
)
def test_contract_dates_at_the_calendar_edge_are_400_on_end_date(gov_api, north_south, overrides):
    response = gov_api.post("/api/v1/contracts/", payload(north_south["north"], **overrides))
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["end_date"]
    assert "years 1–9999" in response.json()["end_date"][0]
    assert Contract.objects.count() == 2
    # A contract that does not renew has neither date: the same end date is fine.
    fine = payload(north_south["north"], renewal="none", **overrides)
    created = gov_api.post("/api/v1/contracts/", fine)
    assert created.status_code == 201, created.content


@pytest.mark.parametrize("days", ["99999999", "1e30"])
def test_notice_within_beyond_a_century_is_400_on_the_field(gov_api, north_south, days):
    response = gov_api.get("/api/v1/contracts/", {"notice_within": days})
    assert response.status_code == 400
    assert response.json() == {
        "notice_within": ["Ensure this value is less than or equal to 36500."]
    }
    assert gov_api.get("/api/v1/contracts/", {"notice_within": "36500"}).status_code == 200


def test_a_tacit_renewal_posted_with_a_rolled_over_term_answers_its_current_term(
    gov_api, north_south
):
    # A register imported today: a term that ended in 2024, renewing by 12 months.
    body = payload(
        north_south["north"],
        reference="OLD-2024",
        start_date="2023-01-01",
        end_date="2024-12-31",
        renewal="automatic",
        renewal_months=12,
        notice_days=90,
        status="active",
    )
    r = gov_api.post("/api/v1/contracts/", body, format="json")
    assert r.status_code == 201, r.content
    today = date.today()
    assert date.fromisoformat(r.json()["notice_deadline"]) >= today
    assert date.fromisoformat(r.json()["end_date"]).month == 12
    assert date.fromisoformat(r.json()["end_date"]) > today
    again = gov_api.get(f"/api/v1/contracts/{r.json()['id']}/").json()
    assert (again["end_date"], again["notice_deadline"]) == (
        r.json()["end_date"], r.json()["notice_deadline"],
    )  # fmt: skip
