"""Fixtures of the sourcing tests: an event with three prospects and two evaluators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core import roles
from sourcing import services
from tests.factories import VendorFactory


@pytest.fixture
def event_setup(gov_user, make_user):
    """A draft event: criteria cost 40 / quality 35 / security 25, three candidates with
    proposals, two evaluators; opened for scoring."""
    event = services.event_create(
        actor=gov_user,
        data={"title": "Service desk RFP", "decision_date": dt.date(2026, 12, 1)},
    )
    criteria = services.criteria_replace(
        event=event,
        actor=gov_user,
        rows=[
            {"name": "Cost", "weight": Decimal("40")},
            {"name": "Quality", "weight": Decimal("35")},
            {"name": "Security", "weight": Decimal("25")},
        ],
    )
    vendors = [VendorFactory(name=n, status="prospect") for n in ("Alpha", "Bravo", "Charlie")]
    candidates, proposals = [], []
    for vendor, price in zip(vendors, ("900000", "850000", "990000"), strict=True):
        candidate = services.candidate_create(
            actor=gov_user, data={"event": event, "vendor": vendor}
        )
        candidates.append(candidate)
        proposals.append(
            services.proposal_create(
                actor=gov_user, data={"candidate": candidate, "price": Decimal(price)}
            )
        )
    ann = make_user(roles.GOVERNANCE_OFFICE, username="ann")
    bob = make_user(roles.GOVERNANCE_OFFICE, username="bob")
    for evaluator in (ann, bob):
        services.evaluator_assign(actor=gov_user, data={"event": event, "evaluator": evaluator})
    services.event_open(event=event, actor=gov_user)
    event.refresh_from_db()
    return {
        "event": event,
        "criteria": criteria,
        "vendors": vendors,
        "candidates": candidates,
        "proposals": proposals,
        "ann": ann,
        "bob": bob,
    }


def give(setup, evaluator, proposal_index, scores):
    """Scores in criterion order (None = not scored)."""
    for criterion, value in zip(setup["criteria"], scores, strict=True):
        if value is not None:
            services.score_set(
                actor=evaluator,
                proposal=setup["proposals"][proposal_index],
                criterion=criterion,
                score=value,
            )
