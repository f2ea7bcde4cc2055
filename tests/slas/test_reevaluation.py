"""Edits elsewhere that change credits queue their evaluation at once (no wait for the night).

Contract: 10,000.00 a month at 10 % at risk -> a cap of 1,000.00. Two SLAs of
60 % each breach in March 2026: 600.00 + 600.00 uncapped, capped to 500.00 each.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from contracts.services import contract_update
from slas.evaluation import evaluate
from slas.models import Breach
from slas.services import SLAInUse, sla_delete, sla_update
from tests.factories import ContractFactory
from tests.slas.conftest import TODAY, breach_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_sla, measure):
    slas = [make_sla(allocation_percent=D("60")) for _ in range(2)]
    for sla in slas:
        measure(sla, {"2026-03-10": "98"})
    evaluate(today=TODAY)
    assert [breach_of(s, "2026-03-01").credit for s in slas] == [D("500.00")] * 2
    return slas


def test_moving_an_sla_to_another_contract_reshares_the_old_contract_s_cap(
    pair, django_capture_on_commit_callbacks
):
    moved, stays = pair
    other = ContractFactory(monthly_charge=D("5000.00"), at_risk_percent=D("10.00"))
    with django_capture_on_commit_callbacks(execute=True):
        sla_update(instance=moved, data={"contract": other})
    # Alone under its cap, the SLA that stayed is due its full 600.00; the moved
    # one now owes 60 % of the new contract's 500.00 at risk, 300.00.
    assert breach_of(stays, "2026-03-01").credit == D("600.00")
    assert breach_of(moved, "2026-03-01").credit == D("300.00")


def test_an_sla_with_breaches_is_not_deleted_and_its_credits_stay(pair):
    # Its breaches are part of the record (issue 9): the SLA is ended with
    # effective_to instead, and the caps it took part in stay as they are.
    gone, stays = pair
    before = [breach_of(s, "2026-03-01").credit for s in pair]
    with pytest.raises(SLAInUse):
        sla_delete(instance=gone)
    assert [breach_of(s, "2026-03-01").credit for s in pair] == before


def test_deleting_an_sla_with_breaches_in_the_admin_is_refused(pair, client, make_user):
    from core import roles

    gone, _ = pair
    client.force_login(make_user(roles.ADMIN))
    response = client.post(
        "/admin/slas/sla/",
        {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"},
    )
    assert response.status_code == 200  # the page naming the protected rows
    assert Breach.objects.filter(sla_id=gone.pk).exists()


def test_changing_the_contract_s_money_recomputes_its_credits(
    pair, contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contract_update(instance=contract, data={"monthly_charge": D("20000.00")})
    # Cap 2,000.00 now; each SLA owes 60 % of it, 1,200.00, 2,400.00 in all:
    # capped, 1,000.00 each.
    assert [breach_of(s, "2026-03-01").credit for s in pair] == [D("1000.00")] * 2
    with django_capture_on_commit_callbacks(execute=True):
        contract_update(instance=contract, data={"at_risk_percent": D("30.00")})
    # Cap 6,000.00: both uncapped credits (3,600.00 each) are capped to 3,000.00.
    assert [breach_of(s, "2026-03-01").credit for s in pair] == [D("3000.00")] * 2


def test_an_edit_that_leaves_the_credit_terms_alone_queues_nothing(
    pair, contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contract_update(instance=contract, data={"title": "Renamed"})
    assert callbacks == []


def test_deleting_measurements_in_bulk_in_the_admin_re_evaluates_their_periods(
    pair, client, make_user, django_capture_on_commit_callbacks
):
    from core import roles
    from slas.models import Measurement, Result

    client.force_login(make_user(roles.ADMIN))
    first, second = pair
    ids = list(Measurement.objects.filter(sla=first).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/slas/measurement/",
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
    assert response.status_code == 302
    assert not Measurement.objects.filter(sla=first).exists()
    # March lost its only measurement: no Result, the breach withdrawn, and the
    # other SLA alone under the cap is due its full 600.00.
    assert not Result.objects.filter(sla=first).exists()
    assert breach_of(first, "2026-03-01").status == "withdrawn"
    assert breach_of(second, "2026-03-01").credit == D("600.00")


def test_a_form_edit_of_an_allocation_is_re_evaluated_too(
    pair, client, make_user, django_capture_on_commit_callbacks
):
    # The page's form writes the new values onto the SLA before the service runs:
    # the service reads the old ones from the database, so it still sees the change.
    from django.forms.models import model_to_dict
    from django.urls import reverse

    from core import roles
    from slas.models import SLA

    first, second = pair
    client.force_login(make_user(roles.GOVERNANCE_OFFICE))
    data = {
        k: ("" if v is None else v)
        for k, v in model_to_dict(first, fields=SLA.DEFINITION_FIELDS).items()
    }
    data["allocation_percent"] = "20"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        r = client.post(reverse("slas:sla_edit", args=[first.pk]), data)
    assert r.status_code == 302, r.content.decode()[:1500]
    assert queued
    # 1,000.00 × 20 % = 200.00 and 600.00: 800.00 in all, under the cap.
    assert [breach_of(s, "2026-03-01").credit for s in pair] == [D("200.00"), D("600.00")]
