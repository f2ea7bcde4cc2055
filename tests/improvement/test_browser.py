"""In Chromium: the vendor's representative sees the bell, agrees a goal and answers the survey.

Uses the browser fixtures of ``tests/browser/fixtures.py`` (the system's Chromium).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.fixtures import CHROMIUM, PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: apt-get install -y chromium"
    ),
]


@pytest.fixture
def programme(role_groups):
    from core import roles
    from core.services import user_provision
    from improvement import services
    from tests.factories import VendorFactory

    vendor = VendorFactory(name="Northwind BPO", tier=1)
    office = user_provision(username="grace", role=roles.GOVERNANCE_OFFICE, password=PASSWORD)
    user_provision(username="priya", role=roles.VENDOR_USER, vendor_id=vendor.pk, password=PASSWORD)
    goal = services.goal_create(
        actor=office, data={"vendor": vendor, "title": "Raise first-contact resolution"}
    )
    services.goal_agree(instance=goal, actor=office)
    return {"vendor": vendor, "goal": goal}


def test_vendor_agrees_the_goal_and_answers_the_survey(programme, login):
    from improvement.models import Goal, HealthSurvey

    tab = login("priya")
    bell = tab.locator("a.bell")
    assert bell.get_attribute("data-unread") == "1"
    bell.click()
    tab.get_by_role(
        "link", name="Goal awaiting your agreement: Raise first-contact resolution"
    ).click()
    tab.get_by_role("button", name="Agree for the vendor").click()
    tab.wait_for_load_state("domcontentloaded")
    assert "Agreed by both sides" in tab.content()
    assert Goal.objects.get().is_agreed
    assert tab.locator("a.bell").get_attribute("data-unread") == "0"

    tab.goto("/improvement/health-surveys/add/")
    tab.get_by_label("Quarter").fill("2026Q3")
    for name, score in (
        ("Communication", "4"),
        ("Responsiveness", "3"),
        ("Flexibility", "2"),
        ("Quality", "4"),
        ("Innovation", "3"),
        ("Trust", "5"),
    ):
        tab.get_by_label(name).fill(score)
    tab.get_by_role("button", name="Save").click()
    tab.wait_for_load_state("domcontentloaded")
    survey = HealthSurvey.objects.get()
    assert (survey.side, survey.quarter, survey.trust) == ("vendor", "2026Q3", 5)
    assert "Health index" in tab.content() and "3.50" in tab.content()
