"""Results and Breaches reference their SLA by a foreign key; an SLA with data is never deleted.

``slas.models.ENGINE_ROWS_SLA_LINK`` (issue 9): the database refuses a Result
or Breach whose SLA does not exist; ``sla_delete`` refuses an SLA that has
measurements, results or breaches, with a message saying to end it with
``effective_to`` — on the page, in the API (409) and in the admin — and
deletes one that has none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from slas.evaluation import evaluate
from slas.models import SLA, Breach, Measurement, Result
from slas.services import SLAInUse, sla_delete
from tests.conftest import token_client
from tests.factories import ContractFactory, SLAFactory
from tests.slas.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def breached_sla():
    contract = ContractFactory(monthly_charge=D("10000.00"), at_risk_percent=D("10.00"))
    sla = SLAFactory(contract=contract, allocation_percent=D("50"))
    Measurement.objects.create(sla=sla, date=dt.date(2026, 1, 5), value=D("90"))
    evaluate(today=TODAY)
    assert Breach.objects.filter(sla=sla).exists()
    return sla


@pytest.mark.parametrize("table", ["slas_result", "slas_breach"])
def test_the_database_refuses_a_row_whose_sla_does_not_exist(breached_sla, table):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET sla_id = %s WHERE sla_id = %s", [10**9, breached_sla.pk]
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the check runs at commit otherwise


def test_deleting_an_sla_with_breaches_is_refused_and_writes_nothing(breached_sla, gov_user):
    with pytest.raises(SLAInUse) as refused:
        sla_delete(instance=breached_sla, actor=gov_user)
    assert "measurements, results, breaches" in str(refused.value)
    assert "effective to" in str(refused.value)
    assert SLA.objects.filter(pk=breached_sla.pk).exists()
    assert Result.objects.filter(sla=breached_sla).count() == 1
    assert Breach.objects.filter(sla=breached_sla).count() == 1


def test_an_sla_with_measurements_only_is_refused_too(gov_user):
    sla = SLAFactory()
    Measurement.objects.create(sla=sla, date=dt.date(2026, 1, 5), value=D("99.9"))
    with pytest.raises(SLAInUse, match="This SLA has measurements:"):
        sla_delete(instance=sla, actor=gov_user)


def test_an_sla_without_measurements_is_deleted(gov_user):
    sla = SLAFactory()
    sla_delete(instance=sla, actor=gov_user)
    assert not SLA.objects.filter(pk=sla.pk).exists()


def test_the_api_answers_409_with_the_reason(breached_sla, gov_user):
    r = token_client(gov_user).delete(f"/api/v1/slas/{breached_sla.pk}/")
    assert r.status_code == 409
    body = r.json()
    assert "effective to" in body["detail"]
    assert body["referenced_by"] == ["breaches", "measurements", "results"]
    assert SLA.objects.filter(pk=breached_sla.pk).exists()
    empty = SLAFactory(contract=breached_sla.contract)
    assert token_client(gov_user).delete(f"/api/v1/slas/{empty.pk}/").status_code == 204


def test_the_page_shows_the_reason(client, breached_sla, gov_user):
    client.force_login(gov_user)
    r = client.post(reverse("slas:sla_delete", args=[breached_sla.pk]), follow=True)
    assert r.status_code == 200
    assert "end it instead" in r.content.decode().lower()
    assert SLA.objects.filter(pk=breached_sla.pk).exists()


def test_the_admin_refuses_too(client, breached_sla, make_user):
    from core import roles

    admin = make_user(roles.ADMIN, username="root")
    client.force_login(admin)
    url = reverse("admin:slas_sla_delete", args=[breached_sla.pk])
    r = client.post(url, {"post": "yes"})
    assert r.status_code == 200  # the "cannot delete: protected objects" page, not a redirect
    assert SLA.objects.filter(pk=breached_sla.pk).exists()
