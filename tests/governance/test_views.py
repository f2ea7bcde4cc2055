"""Governance pages: lists and details render, steps and forms go through the services,
scope per role (404 outside, 403 read-only), a representative's narrow action form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import roles
from governance.models import ActionItem, Escalation, EscalationPlan
from governance.services import action_item_create, escalation_create, forum_create, meeting_create
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalation(vendor, plan, gov_user):
    return escalation_create(actor=gov_user, data={"vendor": vendor, "title": "Backlog growing"})


@pytest.fixture
def item(vendor, gov_user):
    return action_item_create(
        actor=gov_user,
        data={"title": "Send the RCA", "owner": gov_user, "vendor": vendor,
              "due_date": dt.date(2026, 11, 30), "priority": "high"},
    )  # fmt: skip


def test_pages_render_for_the_office(gov_client, escalation, item, vendor, gov_user):
    forum = forum_create(data={"name": "JSC", "kind": "jsc", "cadence": "quarterly"})
    meeting = meeting_create(
        data={"forum": forum, "vendor": vendor, "date": dt.date(2026, 10, 1), "kind": "jsc",
              "decisions": [{"text": "Go"}]},
    )  # fmt: skip
    urls = [
        "/governance/escalations/",
        f"/governance/escalations/{escalation.pk}/",
        "/governance/escalations/add/",
        "/governance/escalation-plans/",
        f"/governance/escalation-plans/{escalation.plan_id}/",
        f"/governance/escalation-plans/{escalation.plan_id}/edit/",
        "/governance/escalation-plans/add/",
        "/governance/forums/",
        f"/governance/forums/{forum.pk}/",
        "/governance/meetings/",
        f"/governance/meetings/{meeting.pk}/",
        f"/governance/meetings/{meeting.pk}/edit/",
        "/governance/action-items/",
        "/governance/action-items/?overdue=true&status=open",
        f"/governance/action-items/{item.pk}/",
        f"/governance/action-items/{item.pk}/edit/",
        f"/governance/action-items/{item.pk}/history/",
        "/governance/my-actions/",
        "/",
    ]
    for url in urls:
        answer = gov_client.get(url)
        assert answer.status_code == 200, url
    page = gov_client.get(f"/governance/escalations/{escalation.pk}/").content.decode()
    assert "Timeline" in page and "Acknowledge" in page and "Service manager" in page
    assert "Open escalations by level" in gov_client.get("/").content.decode()


def test_acknowledge_and_resolve_by_page(gov_client, escalation):
    url = f"/governance/escalations/{escalation.pk}/"
    answer = gov_client.post(url + "acknowledge/", {"acknowledge-note": "Seen"})
    assert answer.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == "acknowledged"
    # Acknowledging again is refused on the page, with the reason, and writes nothing.
    answer = gov_client.post(url + "acknowledge/", {})
    assert answer.status_code == 400
    assert "Only an open escalation" in answer.content.decode()
    assert gov_client.post(url + "resolve/", {}).status_code == 302
    assert gov_client.post(url + "note/", {"note-note": ""}).status_code == 400
    assert gov_client.post(url + "bogus/", {}).status_code == 404
    escalation.refresh_from_db()
    assert escalation.status == "resolved"
    assert [e.kind for e in escalation.timeline.all()] == ["opened", "acknowledged", "resolved"]


def test_read_only_and_out_of_scope(client, make_user, escalation, item, vendor):
    client.force_login(make_user(roles.EXECUTIVE))
    url = f"/governance/escalations/{escalation.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url + "acknowledge/", {}).status_code == 403
    client.force_login(make_user(roles.VENDOR_USER, vendor=vendor))
    assert client.get(url).status_code == 404
    assert client.get("/governance/escalation-plans/").status_code == 200
    assert "Backlog growing" not in client.get("/governance/escalations/").content.decode()
    assert client.get(f"/governance/action-items/{item.pk}/").status_code == 200
    client.force_login(make_user(roles.VENDOR_USER, vendor=VendorFactory()))
    assert client.get(f"/governance/action-items/{item.pk}/").status_code == 404
    assert "Send the RCA" not in client.get("/governance/action-items/").content.decode()


def test_representative_updates_status_and_note_only(client, make_user, item, vendor):
    client.force_login(make_user(roles.VENDOR_USER, vendor=vendor))
    form = client.get(f"/governance/action-items/{item.pk}/edit/").content.decode()
    assert 'name="status"' in form and 'name="note"' in form
    assert 'name="title"' not in form and 'name="owner"' not in form
    answer = client.post(
        f"/governance/action-items/{item.pk}/edit/", {"status": "done", "note": "Sent Tuesday"}
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.note, item.title) == ("done", "Sent Tuesday", "Send the RCA")
    assert item.completed_at is not None
    assert client.get("/governance/action-items/add/").status_code == 403
    assert client.get(f"/governance/action-items/{item.pk}/delete/").status_code == 403
    assert client.get("/governance/my-actions/").status_code == 200


def test_bad_action_form_names_the_field_and_writes_nothing(gov_client, vendor, gov_user):
    answer = gov_client.post(
        "/governance/action-items/add/",
        {"title": "", "owner": gov_user.pk, "vendor": vendor.pk, "due_date": "31/31/2026",
         "priority": "high", "status": "open"},
    )  # fmt: skip
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) >= {"title", "due_date"}
    assert not ActionItem.objects.exists()


def test_plan_form_with_its_levels(gov_client, vendor, people):
    def post(levels):
        data = {
            "vendor": vendor.pk,
            "consecutive_breaches": 2,
            "levels-TOTAL_FORMS": len(levels),
            "levels-INITIAL_FORMS": 0,
            "levels-MIN_NUM_FORMS": 1,
            "levels-MAX_NUM_FORMS": 1000,
        }
        for i, (number, name, user, hours, executive) in enumerate(levels):
            data[f"levels-{i}-level"] = number
            data[f"levels-{i}-name"] = name
            data[f"levels-{i}-contact_user"] = user.pk
            data[f"levels-{i}-response_hours"] = hours
            if executive:
                data[f"levels-{i}-is_executive"] = "on"
        return gov_client.post("/governance/escalation-plans/add/", data)

    answer = post([(1, "Duty", people["duty"], 4, False), (2, "CIO", people["exec"], 24, False)])
    assert answer.status_code == 200
    assert "Exactly one level is the escalation executive" in answer.content.decode()
    assert not EscalationPlan.objects.exists()
    answer = post([(1, "Duty", people["duty"], 4, False), (2, "CIO", people["exec"], 24, True)])
    assert answer.status_code == 302
    plan = EscalationPlan.objects.get()
    assert [(lv.level, lv.is_executive) for lv in plan.levels.order_by("level")] == [
        (1, False),
        (2, True),
    ]


def test_list_pages_have_constant_queries(
    gov_client, vendor, plan, gov_user, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            escalation_create(actor=gov_user, data={"vendor": vendor, "title": f"E{i}"})
            action_item_create(
                actor=gov_user,
                data={"title": f"A{i}", "owner": gov_user, "vendor": vendor,
                      "due_date": dt.date(2027, 1, 1)},
            )  # fmt: skip

    add(2)
    for url in ("/governance/escalations/", "/governance/action-items/"):
        with CaptureQueriesContext(connection) as few:
            gov_client.get(url)
        baseline = len(few.captured_queries)
        add(5)
        with django_assert_num_queries(baseline):
            gov_client.get(url)
    assert Escalation.objects.count() == 12
