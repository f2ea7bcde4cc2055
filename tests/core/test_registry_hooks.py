"""The hooks through which higher apps serve lower ones (issue #9, one-way imports).

The menu hides entries by a ``core.permissions`` predicate, not by role names;
the vendor page's sections and the contract value's figures are registered
by the apps that own them, and every registered path imports.
"""

from __future__ import annotations

import pytest

from core import registry, roles
from core.navigation import menu_for
from tests.factories import VendorFactory


def _labels(user) -> set[str]:
    return {label for _, links in menu_for(user) for label, _ in links}


@pytest.mark.django_db
def test_the_menu_shows_each_role_what_the_permission_rule_allows(make_user):
    office = _labels(make_user(roles.GOVERNANCE_OFFICE))
    assert {"Risk register", "Import measurements", "Webhooks", "My actions"} <= office
    rep = _labels(make_user(roles.VENDOR_USER, vendor=VendorFactory()))
    assert "Risk register" not in rep and "Spend" not in rep and "Portfolio" not in rep
    assert "Findings" in rep and "Import measurements" in rep
    executive = _labels(make_user(roles.EXECUTIVE))
    assert "Import measurements" not in executive and "My actions" not in executive
    assert "Risk register" in executive and "Webhooks" not in executive
    manager = _labels(make_user(roles.VENDOR_MANAGER))
    assert "Webhooks" not in manager and "Vendor access to reports" not in manager
    assert "Import measurements" in manager


def test_every_menu_entry_takes_a_predicate_not_role_names():
    for app in registry.apps():
        for entry in app.menu:
            assert entry.visible is None or callable(entry.visible), (app.label, entry)


def test_vendor_page_sections_and_contract_value_providers_are_registered():
    assert registry.vendor_sections("contracts")
    assert registry.vendor_sections("overview")
    assert registry.vendor_sections("slas") and registry.vendor_sections("breaches")
    for name in (
        "contracts.net_credits_by_month",
        "contracts.volume_kpi",
        "contracts.volumes_by_month",
        "contracts.vendor_goals",
    ):
        assert callable(registry.provider(name)), name
    assert registry.provider("no.such.figure") is None
