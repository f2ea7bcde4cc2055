"""The admin writes through the services (issue 9, "Every write through the services").

Raising a contract's at-risk percent in the admin re-evaluates its SLAs, so
the credits shown follow at once; results and breaches cannot be deleted
there; each write is attributed to the admin user in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from contracts.models import Contract
from core import roles
from slas.evaluation import evaluate
from slas.models import Breach, Measurement, Result
from tests.factories import ContractFactory, SLAFactory

pytestmark = pytest.mark.django_db


def form_data(instance, **changes) -> dict:
    """The admin change form's POST for ``instance`` as stored, with ``changes``."""
    data = {
        k: ("" if v is None else getattr(v, "pk", v)) for k, v in model_to_dict(instance).items()
    }
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(roles.ADMIN, username="root")
    client.force_login(admin)
    client.admin = admin
    return client


@pytest.fixture
def breached():
    # 10,000.00 a month at 10 % at risk: an at-risk amount of 1,000.00; the SLA's
    # 50 % allocation makes January's breach a credit of 500.00.
    contract = ContractFactory(monthly_charge=D("10000.00"), at_risk_percent=D("10.00"))
    sla = SLAFactory(contract=contract, allocation_percent=D("50"))
    Measurement.objects.create(sla=sla, date=dt.date(2026, 1, 5), value=D("90"))
    evaluate(today=dt.date(2026, 12, 1))
    assert Breach.objects.get(sla=sla).credit == D("500.00")
    return contract, sla


def test_raising_the_at_risk_percent_in_the_admin_re_evaluates_the_credits(
    admin_client, breached, django_capture_on_commit_callbacks
):
    contract, sla = breached
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        r = admin_client.post(url, form_data(contract, at_risk_percent="20.00"))
    assert queued, "no evaluation was queued"
    assert r.status_code == 302, r.content.decode()[:2000]
    contract.refresh_from_db()
    assert contract.at_risk_amount == D("2000.00")
    # 2,000.00 × 50 % = 1,000.00: the evaluation queued by contract_update has run
    # (tasks run eagerly here) and the breach's credit follows.
    assert Breach.objects.get(sla=sla).credit == D("1000.00")
    event = contract.events.select_related("pgh_context").latest("pgh_id")
    assert event.pgh_context.metadata["user"] == admin_client.admin.pk


def test_a_contract_added_in_the_admin_gets_its_notice_deadline(admin_client, breached):
    contract, _ = breached
    data = form_data(
        contract,
        reference="ADM-1",
        end_date="2027-12-31",
        renewal="by_agreement",
        renewal_months="12",
        notice_days="90",
    )
    r = admin_client.post(reverse("admin:contracts_contract_add"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Contract.objects.get(reference="ADM-1").notice_deadline == dt.date(2027, 10, 2)


@pytest.mark.parametrize("model", ["result", "breach"])
def test_results_and_breaches_cannot_be_deleted_in_the_admin(admin_client, breached, model):
    _, sla = breached
    row = (Result if model == "result" else Breach).objects.get(sla=sla)
    r = admin_client.post(reverse(f"admin:slas_{model}_delete", args=[row.pk]), {"post": "yes"})
    assert r.status_code == 403
    r = admin_client.post(
        reverse(f"admin:slas_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert type(row).objects.filter(pk=row.pk).exists()


def test_an_sla_added_in_the_admin_is_created_by_the_service(admin_client, breached):
    contract, sla = breached
    data = form_data(sla, name="Second", effective_to="")
    r = admin_client.post(reverse("admin:slas_sla_add"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    created = contract.slas.get(name="Second")
    event = created.events.select_related("pgh_context").latest("pgh_id")
    assert event.pgh_context.metadata["source"] == "slas:sla_create"
    assert event.pgh_context.metadata["user"] == admin_client.admin.pk
