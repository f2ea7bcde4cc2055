"""The sourcing part of the demo: a finished event (three candidates, two evaluators, the
representative's vendor wins) and two years of spend with one baseline adjustment on its
contract — and a second run adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps

from contracts.models import ChangeRequest
from contracts.value import contract_value
from core import registry
from demo.seed import seed
from sourcing import selectors
from sourcing.models import SourcingEvent

pytestmark = pytest.mark.django_db
TODAY = date.today()


@pytest.fixture
def only_sourcing_demo(monkeypatch):
    everything = registry.apps
    monkeypatch.setattr(
        registry, "apps", lambda: [a for a in everything() if a.label == "sourcing"]
    )


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_app_config("sourcing").get_models()
    }


def test_demo_sourcing_and_value(only_sourcing_demo, gov_user):
    seed(today=TODAY)
    event = SourcingEvent.objects.get(status="awarded")
    assert event.candidates.count() == 3
    assert event.evaluators.filter(submitted_at__isnull=False).count() == 2
    ranking = selectors.event_ranking(event=event)
    assert ranking[0].candidate == event.awarded_candidate
    assert any(r.incomplete for r in ranking)  # the missing score is shown
    adjustment = ChangeRequest.objects.get(title="Second-line scope added")
    value = contract_value(contract=adjustment.contract, user=gov_user, today=TODAY)
    assert len([m for m in value.months if not m.missing]) >= 20
    assert value.adjustments == [adjustment]
    first = counts()
    seed(today=TODAY)
    assert counts() == first
