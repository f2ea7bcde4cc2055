"""Pages: who may read and write what, the contract page's figures, forms and workflow."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts import services
from contracts.models import ChangeRequest, Contract, ExitStep, SpendRecord
from core import roles
from tests.factories import (
    ChangeRequestFactory,
    ContractFactory,
    ExitPlanFactory,
    ExitStepFactory,
    ObligationFactory,
    SLAFactory,
    SpendRecordFactory,
)

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def login(client, user):
    client.force_login(user)
    return client


def contract_form(vendor, **overrides):
    data = {
        "vendor": vendor.pk,
        "reference": "NEW-1",
        "title": "New work",
        "contract_type": "msa",
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "renewal": "automatic",
        "renewal_months": "12",
        "notice_days": "60",
        "currency": "EUR",
        "monthly_charge": "1000.00",
        "total_value": "24000.00",
        "at_risk_percent": "10",
        "earn_back_periods": "0",
        "baseline_annual_cost": "15000",
        "target_savings_percent": "15",
    }
    return {**data, **overrides}


# --- reading --------------------------------------------------------------------------


def test_contract_page_shows_money_dates_family_and_related(client, gov_user, north_south):
    msa = north_south["north_msa"]
    services.contract_update(
        instance=msa,
        data={"renewal": "automatic", "renewal_months": 12, "notice_days": 90, "total_value": 1},
    )
    sow = ContractFactory(vendor=msa.vendor, reference="N-SOW", contract_type="sow", parent=msa)
    ObligationFactory(contract=msa, title="Late report", due_date=D("2020-01-31"))
    ChangeRequestFactory(contract=msa, title="Add weekend cover")
    plan = ExitPlanFactory(contract=msa, summary="Hand back in six months.")
    ExitStepFactory(plan=plan, title="Knowledge transfer")
    SpendRecordFactory(contract=msa, month=D("2026-01-01"), amount=Decimal("100000.00"))
    SLAFactory(contract=msa, name="Availability 99.5")
    response = login(client, gov_user).get(msa.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "EUR 12,000.00" in text  # at-risk amount = 100,000.00 × 12 % / 100
    assert "2027-10-02" in text  # notice deadline = 2027-12-31 − 90 days
    assert "2028-01-01" in text  # next renewal
    assert sow.get_absolute_url() in text
    assert "Late report" in text and "badge-overdue" in text
    assert "Add weekend cover" in text and "Mark assessed" in text
    assert "Knowledge transfer" in text
    # Spend: 100,000 × 12 = 1,200,000 a year against a 1,500,000 baseline = 20.00 % saved.
    assert "EUR 1,200,000.00" in text and "300,000.00" in text and "on target" in text
    assert "Availability 99.5" in text


def test_notice_badge_within_90_days(client, gov_user):
    today = timezone.localdate()
    contract = services.contract_create(
        data={
            "vendor": ContractFactory().vendor,
            "reference": "SOON",
            "title": "Soon",
            "start_date": today - timedelta(days=300),
            "end_date": today + timedelta(days=40),
            "renewal": "automatic",
            "renewal_months": 12,
            "notice_days": 30,
            "status": "active",
        }
    )
    text = login(client, gov_user).get(contract.get_absolute_url()).content.decode()
    assert "data-notice-soon" in text and "in 10 days" in text
    listing = client.get("/contracts/contracts/?notice_within=90").content.decode()
    assert "SOON" in listing and "10 d" in listing


def test_vendor_user_sees_only_their_vendor_and_nothing_internal(client, north_south):
    n = north_south
    plan = ExitPlanFactory(contract=n["north_msa"])
    spend = SpendRecordFactory(contract=n["north_msa"])
    login(client, n["north_rep"])
    assert client.get(n["north_msa"].get_absolute_url()).status_code == 200
    assert client.get(n["south_msa"].get_absolute_url()).status_code == 404
    listing = client.get("/contracts/contracts/")
    assert [r.record.reference for r in listing.context["table"].rows] == ["N-MSA"]
    page = client.get(n["north_msa"].get_absolute_url()).content.decode()
    assert "Exit plan" not in page and "Spend and savings" not in page
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(spend.get_absolute_url()).status_code == 404
    assert client.get("/contracts/exit-plans/").context["table"].paginator.count == 0
    assert client.get("/contracts/spend/").context["table"].paginator.count == 0
    assert client.get("/contracts/contracts/add/").status_code == 403
    assert client.get(n["north_msa"].edit_url).status_code == 403


@pytest.mark.parametrize("role", [roles.EXECUTIVE, roles.AUDITOR])
def test_read_only_roles_read_but_never_write(client, make_user, north_south, role):
    n = north_south
    cr = ChangeRequestFactory(contract=n["north_msa"])
    login(client, make_user(role))
    assert client.get(n["north_msa"].get_absolute_url()).status_code == 200
    assert (
        client.get(ExitPlanFactory(contract=n["south_msa"]).get_absolute_url()).status_code == 200
    )
    assert client.get("/contracts/contracts/add/").status_code == 403
    assert client.post("/contracts/contracts/add/", contract_form(n["north"])).status_code == 403
    assert client.get(n["north_msa"].edit_url).status_code == 403
    assert client.post(n["north_msa"].delete_url).status_code == 403
    response = client.post(
        f"/contracts/change-requests/{cr.pk}/transition/", {"status": "assessed"}
    )
    assert response.status_code == 403
    assert ChangeRequest.objects.get(pk=cr.pk).status == "proposed"
    assert not Contract.objects.filter(reference="NEW-1").exists()


# --- writing --------------------------------------------------------------------------


def test_gov_adds_a_contract_and_the_deadline_is_stored(client, gov_user, north_south):
    response = login(client, gov_user).post(
        "/contracts/contracts/add/", contract_form(north_south["north"])
    )
    contract = Contract.objects.get(reference="NEW-1")
    assert response.status_code == 302 and response["Location"] == contract.get_absolute_url()
    assert contract.notice_deadline == D("2027-11-01")  # 2027-12-31 − 60 days


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"monthly_charge": "-1"}, "monthly_charge"),
        ({"at_risk_percent": "101"}, "at_risk_percent"),
        ({"renewal_months": "0"}, "renewal_months"),
        ({"contract_type": "sow", "parent": "S_MSA"}, "parent"),
        ({"reference": "N-MSA"}, "reference"),
    ],
)
def test_contract_form_errors_name_the_field(client, gov_user, north_south, overrides, field):
    if overrides.get("parent") == "S_MSA":
        overrides["parent"] = north_south["south_msa"].pk
    response = login(client, gov_user).post(
        "/contracts/contracts/add/", contract_form(north_south["north"], **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert Contract.objects.count() == 2


def test_vendor_manager_writes_only_under_owned_vendors(client, north_south):
    n = north_south
    login(client, n["north_manager"])
    assert client.post("/contracts/contracts/add/", contract_form(n["north"])).status_code == 302
    refused = client.post("/contracts/contracts/add/", contract_form(n["south"], reference="NEW-2"))
    assert refused.status_code == 200 and "vendor" in refused.context["form"].errors
    assert not Contract.objects.filter(reference="NEW-2").exists()
    assert client.get(n["south_msa"].get_absolute_url()).status_code == 200  # reads the rest
    assert client.get(n["south_msa"].edit_url).status_code == 403
    ok = client.post(
        "/contracts/obligations/add/",
        {
            "contract": n["north_msa"].pk,
            "title": "Report",
            "party": "vendor",
            "recurrence": "none",
            "status": "open",
        },
    )
    assert ok.status_code == 302
    bad = client.post(
        "/contracts/obligations/add/",
        {
            "contract": n["south_msa"].pk,
            "title": "Report",
            "party": "vendor",
            "recurrence": "none",
            "status": "open",
        },
    )
    assert "contract" in bad.context["form"].errors


def test_change_request_workflow_buttons(client, gov_user, north_south):
    cr = ChangeRequestFactory(contract=north_south["north_msa"])
    login(client, gov_user)
    url = f"/contracts/change-requests/{cr.pk}/transition/"
    page = client.get(cr.get_absolute_url()).content.decode()
    assert 'value="assessed"' in page and 'value="approved"' not in page
    response = client.post(url, {"status": "assessed", "next": "/contracts/contracts/"})
    assert response["Location"] == "/contracts/contracts/"
    response = client.post(url, {"status": "approved", "note": "Agreed", "next": "//evil.test/"})
    assert response["Location"] == cr.get_absolute_url()
    cr.refresh_from_db()
    assert (cr.status, cr.decided_by) == ("approved", gov_user)
    refused = client.post(url, {"status": "rejected"}, follow=True)
    assert "can only become Implemented" in refused.content.decode()
    assert ChangeRequest.objects.get(pk=cr.pk).status == "approved"
    assert client.get("/contracts/change-requests/999999/transition/").status_code == 405
    assert client.post("/contracts/change-requests/999999/transition/").status_code == 404


def test_change_request_form_cannot_set_the_status(client, gov_user, north_south):
    login(client, gov_user).post(
        "/contracts/change-requests/add/",
        {
            "contract": north_south["north_msa"].pk,
            "title": "Sneaky",
            "impact": "cost",
            "status": "approved",
        },
    )
    assert ChangeRequest.objects.get(title="Sneaky").status == "proposed"


def test_exit_steps_add_edit_delete(client, gov_user, north_south):
    plan = ExitPlanFactory(contract=north_south["north_msa"])
    login(client, gov_user)
    form = client.get(f"/contracts/exit-steps/add/?plan={plan.pk}&order=1")
    assert form.status_code == 200
    response = client.post(
        "/contracts/exit-steps/add/",
        {
            "plan": plan.pk,
            "order": 1,
            "title": "Data return",
            "status": "planned",
            "start_date": "2026-05-01",
            "due_date": "2026-04-01",
        },
    )
    assert "due_date" in response.context["form"].errors
    response = client.post(
        "/contracts/exit-steps/add/",
        {"plan": plan.pk, "order": 1, "title": "Data return", "status": "planned"},
    )
    step = ExitStep.objects.get(title="Data return")
    assert response["Location"] == plan.get_absolute_url()
    client.post(
        step.edit_url, {"plan": plan.pk, "order": 2, "title": "Data return", "status": "done"}
    )
    step.refresh_from_db()
    assert (step.order, step.status) == (2, "done")
    assert "Data return" in client.get(plan.get_absolute_url()).content.decode()
    client.post(step.delete_url)
    assert not ExitStep.objects.exists()


def test_spend_page_refuses_a_second_record_for_the_month(client, gov_user, north_south):
    SpendRecordFactory(contract=north_south["north_msa"], month=D("2026-01-01"))
    response = login(client, gov_user).post(
        "/contracts/spend/add/",
        {"contract": north_south["north_msa"].pk, "month": "2026-01-01", "amount": "5"},
    )
    assert response.status_code == 200
    assert not response.context["form"].is_valid()
    response = client.post(
        "/contracts/spend/add/",
        {"contract": north_south["north_msa"].pk, "month": "2026-02-15", "amount": "5"},
    )
    assert "month" in response.context["form"].errors
    assert SpendRecord.objects.count() == 1


def test_every_list_page_and_history(client, gov_user, north_south):
    n = north_south
    ObligationFactory(contract=n["north_msa"])
    ChangeRequestFactory(contract=n["north_msa"])
    ExitStepFactory(plan=ExitPlanFactory(contract=n["north_msa"]))
    SpendRecordFactory(contract=n["north_msa"])
    login(client, gov_user)
    for prefix in (
        "contracts",
        "obligations",
        "change-requests",
        "exit-plans",
        "exit-steps",
        "spend",
    ):
        assert client.get(f"/contracts/{prefix}/?search=N-MSA").status_code == 200
        assert client.get(f"/contracts/{prefix}/add/").status_code == 200
    assert client.get(n["north_msa"].history_url).status_code == 200
    assert client.get("/contracts/obligations/?overdue=true").status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "prefix", ["contracts", "obligations", "change-requests", "exit-plans", "exit-steps", "spend"]
)
def test_list_pages_use_a_constant_number_of_queries(client, gov_user, prefix):
    def add_rows():
        contract = ContractFactory()
        ObligationFactory(contract=contract)
        ChangeRequestFactory(contract=contract)
        ExitStepFactory(plan=ExitPlanFactory(contract=contract))
        SpendRecordFactory(contract=contract)

    login(client, gov_user)
    add_rows()
    few = _queries(client, f"/contracts/{prefix}/")
    for _ in range(8):
        add_rows()
    assert _queries(client, f"/contracts/{prefix}/") == few


def test_contract_page_queries_do_not_grow_with_related_rows(client, gov_user, north_south):
    msa = north_south["north_msa"]
    login(client, gov_user)
    ObligationFactory(contract=msa)
    ChangeRequestFactory(contract=msa)
    SpendRecordFactory(contract=msa)
    ExitStepFactory(plan=ExitPlanFactory(contract=msa))
    few = _queries(client, msa.get_absolute_url())
    for m in range(2, 10):
        ObligationFactory(contract=msa)
        ChangeRequestFactory(contract=msa)
        SpendRecordFactory(contract=msa, month=date(2026, m, 1))
        ExitStepFactory(plan=msa.exit_plan)
    assert _queries(client, msa.get_absolute_url()) == few
