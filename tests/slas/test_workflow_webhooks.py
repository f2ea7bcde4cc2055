"""``breach.changed`` webhooks for workflow moves, delivered to a real local receiver.

slas announces each move (``slas.signals.breach_changed``); governance turns it
into one ``breach.changed`` delivery per subscription and move, queued inside
the move's transaction and sent after its commit.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from notifications import services as notification_services
from notifications.models import WebhookDelivery
from slas.models import BreachTransition
from slas.services import (
    breach_acknowledge,
    breach_remediate,
    breach_reopen,
    breach_resolve,
    breach_waive,
)
from slas.signals import breach_changed
from tests.conftest import token_client as api
from tests.notifications.conftest import Receiver
from tests.slas.test_ingestion import build_world
from tests.slas.test_workflow import PLAN, make_breach

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return build_world()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def subscription(w, receiver):
    return notification_services.webhook_subscription_create(
        actor=w.admin,
        data={
            "name": "ticketing",
            "target_url": receiver.url,
            "event_types": ["breach.changed"],
            "allow_private": True,  # the receiver listens on 127.0.0.1
        },
    )


def _documents(receiver) -> list[dict]:
    return [json.loads(r["body"]) for r in receiver.requests]


def test_every_move_is_one_delivered_webhook(
    w, subscription, receiver, django_capture_on_commit_callbacks
):
    breach = make_breach(w)
    moves = [
        lambda: breach_acknowledge(breach=breach, actor=w.ma, note="seen"),
        lambda: breach_remediate(breach=breach, actor=w.ma, **PLAN),
        lambda: breach_resolve(breach=breach, actor=w.ma, note="fixed"),
        lambda: breach_reopen(breach=breach, actor=w.gov, note="it came back"),
        lambda: breach_waive(breach=breach, actor=w.gov, reason="Agreed at the JSC"),
    ]
    for move in moves:
        with django_capture_on_commit_callbacks(execute=True):
            move()
    documents = _documents(receiver)
    assert [(d["event"], d["data"]["action"], d["data"]["status"]) for d in documents] == [
        ("breach.changed", "acknowledge", "acknowledged"),
        ("breach.changed", "remediate", "remediating"),
        ("breach.changed", "resolve", "resolved"),
        ("breach.changed", "reopen", "open"),
        ("breach.changed", "waive", "waived"),
    ]
    remediate = documents[1]["data"]
    assert (remediate["id"], remediate["sla"], remediate["vendor"]) == (breach.pk, w.a.pk, w.va.pk)
    assert remediate["from_status"] == "acknowledged"
    assert remediate["root_cause"] == PLAN["root_cause"]
    assert remediate["corrective_action"] == PLAN["corrective_action"]
    assert remediate["remediation_due"] == "2026-03-31"
    assert remediate["changed_by"] == w.ma.pk
    # The waiver gives up the credit: the payload has it after the re-evaluation.
    assert documents[4]["data"]["waiver_reason"] == "Agreed at the JSC"
    assert documents[4]["data"]["credit"] == "0.00"
    deliveries = WebhookDelivery.objects.filter(subscription=subscription).order_by("id")
    assert [(d.status, d.response_code) for d in deliveries] == [("delivered", 200)] * 5
    transitions = BreachTransition.objects.filter(breach=breach).order_by("id")
    assert [d.dedupe_key for d in deliveries] == [
        f"breach:{breach.pk}:move:{t.pk}" for t in transitions
    ]


def test_a_move_signalled_again_sends_nothing_more(
    w, subscription, receiver, django_capture_on_commit_callbacks
):
    breach = make_breach(w)
    with django_capture_on_commit_callbacks(execute=True):
        breach = breach_acknowledge(breach=breach, actor=w.ma)
    transition = BreachTransition.objects.get(breach=breach)
    with django_capture_on_commit_callbacks(execute=True):  # a rerun of the same event
        breach_changed.send(sender=type(breach), breach=breach, transition=transition,
                            action="acknowledge")  # fmt: skip
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_refused_move_sends_nothing(
    w, subscription, receiver, django_capture_on_commit_callbacks
):
    breach = make_breach(w)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        breach_resolve(breach=breach, actor=w.gov)  # open → resolved is not a move
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_the_api_moves_send_it_too(w, subscription, receiver, django_capture_on_commit_callbacks):
    breach = make_breach(w)
    url = f"/api/v1/breaches/{breach.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(w.ma).post(url + "acknowledge/", {"note": "on it"}, format="json")
    assert response.status_code == 200, response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = api(w.ma).post(url + "remediate/", {"root_cause": "x"}, format="json")
    assert response.status_code == 400  # refused: nothing sent for it
    (document,) = _documents(receiver)
    assert (document["data"]["action"], document["data"]["note"]) == ("acknowledge", "on it")


def test_without_a_subscription_nothing_is_queued(w, django_capture_on_commit_callbacks):
    breach = make_breach(w)
    with django_capture_on_commit_callbacks(execute=True):
        breach_acknowledge(breach=breach, actor=w.ma)
    assert not WebhookDelivery.objects.exists()
