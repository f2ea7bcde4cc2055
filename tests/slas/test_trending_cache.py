"""The dashboard's "trending to breach": fitted once per evaluation, refreshed by the next one."""

from __future__ import annotations

import pytest

from core import roles
from core.services import user_provision
from slas import selectors
from slas.evaluation import evaluate, sla_trends
from slas.filters import SLAFilterSet
from tests.slas.conftest import TODAY

pytestmark = pytest.mark.django_db

FALLING = ["99.9", "99.83", "99.76", "99.69", "99.62", "99.55"]  # next ≈ 99.48 < 99.5


def monthly(sla, measure, values):
    measure(sla, {f"2026-{i + 1:02d}-01": v for i, v in enumerate(values)})


def _panel(user) -> dict:
    panels = selectors.dashboard_panels(user=user)
    return next(p for p in panels if p["title"] == "SLAs trending to breach")


def _listed(user) -> set[int]:
    queryset = selectors.sla_list(user=user)
    filtered = SLAFilterSet({"trending": "true"}, queryset=queryset).qs
    return set(filtered.values_list("pk", flat=True))


def test_trending_panel_and_filter_follow_a_correction(make_sla, measure):
    officer = user_provision(username="trend-officer", role=roles.GOVERNANCE_OFFICE)
    falling = make_sla(period="monthly", target="99.5")
    monthly(falling, measure, FALLING)
    steady = make_sla(period="monthly", target="99.5")
    monthly(steady, measure, ["99.7"] * 6)
    evaluate(today=TODAY)

    panel = _panel(officer)
    assert panel["count"] == 1
    assert [row[1] for row in panel["rows"]] == [falling.get_absolute_url()]
    # The figures are the SLA page's: the same projection, in the same words.
    falling.refresh_from_db()
    projected = sla_trends(sla_ids=[falling.pk])[falling.pk].projected
    assert panel["rows"][0][2] == selectors.projection_note(sla=falling, projected=projected)
    assert _listed(officer) == {falling.pk}
    assert _panel(officer)["count"] == 1  # read again: from the cache, same answer

    # A correction of the last month (in the same transaction, as in a request)
    # flattens the line; the next evaluation refreshes the panel and the filter.
    monthly(falling, measure, [*FALLING[:-1], "99.95"])
    evaluate(today=TODAY)
    assert sla_trends(sla_ids=[falling.pk])[falling.pk].trending_to_breach is False
    assert _panel(officer)["count"] == 0
    assert _listed(officer) == set()

    # And back: the steady SLA starts falling.
    monthly(steady, measure, ["99.9", "99.8", "99.7", "99.6", "99.55", "99.51"])
    evaluate(today=TODAY)
    assert _listed(officer) == {steady.pk}
    assert _panel(officer)["count"] == 1


def test_trending_panel_keeps_scope(make_sla, measure):
    """A vendor's user sees no other vendor's SLA, not even in the count."""
    from tests.factories import VendorFactory

    falling = make_sla(period="monthly", target="99.5")
    monthly(falling, measure, FALLING)
    evaluate(today=TODAY)
    outsider = user_provision(
        username="trend-vendor", role=roles.VENDOR_USER, vendor_id=VendorFactory().pk
    )
    assert _panel(outsider)["count"] == 0
    assert _panel(outsider)["rows"] == []
