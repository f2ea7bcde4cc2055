"""The sourcing admin: every page opens; saves go through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import roles
from sourcing.models import SourcingEvent

pytestmark = pytest.mark.django_db

MODELS = (
    "sourcingevent",
    "criterion",
    "candidate",
    "proposal",
    "duediligenceitem",
    "score",
    "transitionplan",
    "transitionstep",
)


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(roles.ADMIN, username="root"))
    return client


def test_every_admin_page_opens(admin_client, event_setup):
    for name in MODELS:
        assert admin_client.get(reverse(f"admin:sourcing_{name}_changelist")).status_code == 200
    url = reverse("admin:sourcing_sourcingevent_change", args=[event_setup["event"].pk])
    assert admin_client.get(url).status_code == 200


def test_admin_creates_an_event_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:sourcing_sourcingevent_add"),
        {"title": "Admin RFP", "scope": "", "objectives": "", "decision_date": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SourcingEvent.objects.get(title="Admin RFP")
    assert event.status == "draft"
    assert event.events.filter(pgh_label="insert").exists()
