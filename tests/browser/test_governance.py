"""A governance officer acknowledges an escalation and closes an action, in the browser.

The escalation comes from the engine (two breached months in a row) and its
page shows the ladder and the timeline; the action is found under "My actions".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core import roles
from core.services import user_provision
from governance.escalation import escalations_open_from_results
from governance.models import ActionItem, Escalation
from governance.services import action_item_create, escalation_plan_create
from slas.evaluation import evaluate
from tests.browser.fixtures import PASSWORD
from tests.browser.helpers import open_menu
from tests.factories import ContractFactory, SLAFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def governance(role_groups):
    officer = user_provision(username="officer", role=roles.GOVERNANCE_OFFICE, password=PASSWORD)
    officer.first_name, officer.last_name = "Grace", "Okafor"
    officer.save()
    cio = user_provision(username="cio", role=roles.EXECUTIVE, password=PASSWORD)
    contract = ContractFactory()
    sla = SLAFactory(contract=contract, name="Order processing availability")
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
    before = (first - dt.timedelta(days=1)).replace(day=1)
    sla.measurements.create(date=before, value=Decimal("99.0"))
    sla.measurements.create(date=first, value=Decimal("99.1"))
    evaluate(sla_ids=[sla.pk])
    escalation_plan_create(
        data={
            "vendor": contract.vendor,
            "levels": [
                {"level": 1, "name": "Service manager", "contact_user": officer,
                 "response_hours": 8},
                {"level": 2, "name": "Chief information officer", "contact_user": cio,
                 "response_hours": 48, "is_executive": True},
            ],
        }
    )  # fmt: skip
    escalations_open_from_results()
    item = action_item_create(
        actor=officer,
        data={"title": "Send the root-cause analysis", "owner": officer,
              "vendor": contract.vendor, "due_date": today - dt.timedelta(days=2),
              "priority": "high"},
    )  # fmt: skip
    return {"escalation": Escalation.objects.get(), "item": item}


def test_officer_acknowledges_an_escalation_and_closes_an_action(page, login, governance, shot):
    login("officer")
    open_menu(page, "Governance", "Escalations")
    escalation = governance["escalation"]
    page.get_by_role("link", name=escalation.title).click()
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(escalation.title)
    expect(main.locator(".ladder li.current")).to_contain_text("Service manager")
    expect(main.locator("#timeline tbody tr")).to_have_count(1)
    main.locator("form.step-acknowledge textarea").fill("Vendor called back; plan by Friday.")
    main.locator("form.step-acknowledge").get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Escalation acknowledged")).to_be_visible()
    expect(main.locator("#timeline tbody tr")).to_have_count(2)
    expect(main.locator("#timeline tbody tr").nth(1)).to_contain_text("Grace Okafor")
    expect(main.locator("form.step-acknowledge")).to_have_count(0)
    shot("governance-escalation-acknowledged")
    escalation.refresh_from_db()
    assert escalation.status == "acknowledged"

    open_menu(page, "Governance", "My actions")
    row = page.locator("table tbody tr").filter(has_text="Send the root-cause analysis")
    expect(row).to_contain_text("overdue")
    row.get_by_role("link", name="Send the root-cause analysis").click()
    main.get_by_role("link", name="Edit").click()
    main.get_by_label("Status").select_option("done")
    main.get_by_label("Note").fill("Sent on Tuesday.")
    main.get_by_role("button", name="Save").click()
    expect(main.locator(".page-head")).to_contain_text("Done")
    expect(main.locator(".page-head")).not_to_contain_text("overdue")
    shot("governance-action-done")
    item = ActionItem.objects.get(pk=governance["item"].pk)
    assert (item.status, item.note) == ("done", "Sent on Tuesday.")
    assert item.completed_at is not None
