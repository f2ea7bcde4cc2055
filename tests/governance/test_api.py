"""The governance API: shapes of DESIGN.md section 6, 400s naming the field, scope and roles."""

from __future__ import annotations

import datetime as dt

import pytest

from core import roles
from governance.models import ActionItem, Escalation, EscalationPlan
from tests.factories import ContactFactory, ContractFactory, VendorFactory

pytestmark = pytest.mark.django_db


def _levels(people):
    return [
        {"level": 1, "name": "Service manager", "contact_user": people["duty"].pk,
         "response_hours": 4, "is_executive": False},
        {"level": 2, "name": "CIO", "contact_user": people["exec"].pk,
         "response_hours": 24, "is_executive": True},
    ]  # fmt: skip


def test_escalation_plan_with_nested_levels(gov_api, vendor, people):
    contact = ContactFactory(vendor=vendor)
    levels = _levels(people)
    levels[1] = {**levels[1], "contact_user": None, "contact": contact.pk}
    answer = gov_api.post(
        "/api/v1/escalation-plans/",
        {"vendor": vendor.pk, "consecutive_breaches": 3, "levels": levels},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["consecutive_breaches"] == 3 and body["contract"] is None
    assert [
        (lv["level"], lv["name"], lv["contact"], lv["is_executive"]) for lv in body["levels"]
    ] == [
        (1, "Service manager", None, False),
        (2, "CIO", contact.pk, True),
    ]
    # PATCH with new levels replaces the ladder as a whole.
    plan_id = body["id"]
    answer = gov_api.patch(
        f"/api/v1/escalation-plans/{plan_id}/", {"levels": _levels(people)[:1]}, format="json"
    )
    assert answer.status_code == 400  # one level alone is not also the executive
    assert "levels" in answer.json()
    one = [{**_levels(people)[0], "is_executive": True}]
    answer = gov_api.patch(f"/api/v1/escalation-plans/{plan_id}/", {"levels": one}, format="json")
    assert answer.status_code == 200
    assert len(answer.json()["levels"]) == 1


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda lv: [lv[0], {**lv[1], "level": 3}], "levels"),  # gap
        (lambda lv: [lv[0], {**lv[1], "is_executive": False}], "levels"),  # no executive
        (lambda lv: [{**lv[0], "is_executive": True}, lv[1]], "levels"),  # two
        (lambda lv: [{**lv[0], "contact_user": None}, lv[1]], "levels"),  # no contact
        (lambda lv: [{**lv[0], "response_hours": 0}, lv[1]], "levels"),
        (lambda lv: [], "levels"),
    ],
)
def test_bad_ladders_are_400_and_write_nothing(gov_api, vendor, people, change, field):
    answer = gov_api.post(
        "/api/v1/escalation-plans/",
        {"vendor": vendor.pk, "levels": change(_levels(people))},
        format="json",
    )
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert not EscalationPlan.objects.exists()


def test_plan_contract_of_another_vendor_is_a_field_error(gov_api, vendor, people):
    other = ContractFactory()
    answer = gov_api.post(
        "/api/v1/escalation-plans/",
        {"vendor": vendor.pk, "contract": other.pk, "levels": _levels(people)},
        format="json",
    )
    assert answer.status_code == 400
    assert "contract" in answer.json()


def test_escalation_by_hand_acknowledge_resolve(gov_api, vendor, plan):
    answer = gov_api.post(
        "/api/v1/escalations/",
        {"vendor": vendor.pk, "title": "Data centre move slipping", "subject_type": "other"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["plan"] == plan.pk
    assert (body["level"], body["status"], body["overdue"]) == (1, "open", False)
    opened = dt.datetime.fromisoformat(body["opened_at"].replace("Z", "+00:00"))
    due = dt.datetime.fromisoformat(body["due_at"].replace("Z", "+00:00"))
    assert due - opened == dt.timedelta(hours=4)
    assert [(e["kind"], e["level"]) for e in body["events"]] == [("opened", 1)]
    assert set(body["events"][0]) == {"at", "kind", "level", "by", "note"}
    url = f"/api/v1/escalations/{body['id']}/"
    answer = gov_api.post(url + "acknowledge/", {"note": "On it"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["status"] == "acknowledged"
    answer = gov_api.post(url + "acknowledge/", {}, format="json")
    assert answer.status_code == 400 and "status" in answer.json()
    answer = gov_api.post(url + "resolve/", {}, format="json")
    assert answer.json()["status"] == "resolved"
    assert [e["kind"] for e in answer.json()["events"]] == ["opened", "acknowledged", "resolved"]
    # Level and status are the engine's: a PATCH cannot set them.
    gov_api.patch(url, {"level": 3, "status": "open", "title": "Renamed"}, format="json")
    row = Escalation.objects.get()
    assert (row.level, row.status, row.title) == (1, "resolved", "Renamed")


def test_escalation_bad_input(gov_api, vendor, plan):
    other_vendor = VendorFactory()
    cases = [
        ({"vendor": vendor.pk}, "title"),
        ({"vendor": vendor.pk, "title": "x", "subject_type": "breach"}, "subject_id"),
        ({"vendor": vendor.pk, "title": "x", "subject_type": "breach", "subject_id": 999}, "subject_id"),  # noqa: E501
        ({"vendor": other_vendor.pk, "title": "x"}, "plan"),
        ({"vendor": vendor.pk, "title": "x", "subject_type": "bogus"}, "subject_type"),
    ]  # fmt: skip
    for payload, field in cases:
        answer = gov_api.post("/api/v1/escalations/", payload, format="json")
        assert answer.status_code == 400, (payload, answer.content)
        assert field in answer.json(), (payload, answer.json())
    assert not Escalation.objects.exists()


def test_escalation_list_has_constant_queries(
    gov_api, vendor, plan, gov_user, django_assert_num_queries
):
    from governance.services import escalation_create

    def add(n):
        for i in range(n):
            escalation_create(actor=gov_user, data={"vendor": vendor, "title": f"E{i}"})

    add(2)
    with django_assert_num_queries(6) as few:
        assert gov_api.get("/api/v1/escalations/").json()["count"] == 2
    add(6)
    with django_assert_num_queries(len(few.captured_queries)):
        assert gov_api.get("/api/v1/escalations/").json()["count"] == 8


def test_roles_on_escalations(api_client_for, make_user, vendor, plan, gov_user):
    from governance.services import escalation_create

    escalation = escalation_create(actor=gov_user, data={"vendor": vendor, "title": "E"})
    url = f"/api/v1/escalations/{escalation.pk}/"
    executive = api_client_for(make_user(roles.EXECUTIVE))
    assert executive.get(url).status_code == 200
    assert executive.post(url + "acknowledge/", {}, format="json").status_code == 403
    rep = api_client_for(make_user(roles.VENDOR_USER, vendor=vendor))
    assert rep.get(url).status_code == 404
    assert rep.get("/api/v1/escalations/").json()["count"] == 0
    assert rep.get("/api/v1/escalation-plans/").json()["count"] == 0
    Escalation.objects.filter(pk=escalation.pk).update(status="open")
    assert Escalation.objects.get().status == "open"


def _item(vendor, owner, **extra):
    data = {
        "title": "Fix the backlog",
        "owner": owner.pk,
        "vendor": vendor.pk,
        "due_date": "2026-12-01",
        "priority": "high",
    }
    return {**data, **extra}


def test_action_items_shape_overdue_and_400s(gov_api, vendor, gov_user):
    answer = gov_api.post("/api/v1/action-items/", _item(vendor, gov_user), format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    for name in ("title", "owner", "vendor", "due_date", "priority", "status", "meeting",
                 "breach", "risk", "escalation", "is_overdue"):  # fmt: skip
        assert name in body
    assert body["status"] == "open"
    assert body["is_overdue"] is True  # due 2026-12-01; today is later (2026-12-04)
    for payload, field in [
        (_item(vendor, gov_user, due_date="not a date"), "due_date"),
        (_item(vendor, gov_user, priority="urgent"), "priority"),
        ({**_item(vendor, gov_user), "owner": 99999}, "owner"),
        ({"title": "x"}, "owner"),
    ]:
        answer = gov_api.post("/api/v1/action-items/", payload, format="json")
        assert answer.status_code == 400 and field in answer.json(), answer.content
    assert ActionItem.objects.count() == 1
    done = gov_api.patch(f"/api/v1/action-items/{body['id']}/", {"status": "done"}, format="json")
    assert done.json()["is_overdue"] is False
    assert done.json()["completed_at"] is not None


def test_vendor_user_sees_and_updates_their_vendors_items_only(
    api_client_for, make_user, vendor, gov_user
):
    from governance.services import action_item_create

    mine = action_item_create(
        actor=gov_user,
        data={
            "title": "Ours",
            "owner": gov_user,
            "vendor": vendor,
            "due_date": dt.date(2027, 1, 1),
        },
    )
    other = action_item_create(
        actor=gov_user,
        data={"title": "Theirs", "owner": gov_user, "vendor": VendorFactory(),
              "due_date": dt.date(2027, 1, 1)},
    )  # fmt: skip
    rep = api_client_for(make_user(roles.VENDOR_USER, vendor=vendor))
    listed = rep.get("/api/v1/action-items/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert "risk" not in listed["results"][0] and "escalation" not in listed["results"][0]
    assert rep.get(f"/api/v1/action-items/{other.pk}/").status_code == 404
    url = f"/api/v1/action-items/{mine.pk}/"
    answer = rep.patch(url, {"status": "in_progress", "note": "Two agents added"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "in_progress"
    answer = rep.patch(url, {"title": "Renamed", "due_date": "2028-01-01"}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"title", "due_date"}
    mine.refresh_from_db()
    assert (mine.title, mine.note) == ("Ours", "Two agents added")
    assert (
        rep.post("/api/v1/action-items/", _item(vendor, gov_user), format="json").status_code == 403
    )
    assert rep.delete(url).status_code == 403


def test_forum_and_meeting_with_decisions(gov_api, vendor, gov_user):
    forum = gov_api.post(
        "/api/v1/forums/",
        {"name": "JSC Acme", "kind": "jsc", "cadence": "quarterly", "vendor": vendor.pk,
         "members": [gov_user.pk]},
        format="json",
    ).json()  # fmt: skip
    assert forum["members"] == [gov_user.pk]
    answer = gov_api.post(
        "/api/v1/meetings/",
        {"forum": forum["id"], "vendor": vendor.pk, "date": "2026-10-15", "kind": "qbr",
         "attendees": [gov_user.pk], "minutes": "Reviewed Q3.",
         "decisions": [{"text": "Extend the pilot"}, {"text": "Add a site", "decided_at": "2026-10-16"}]},  # noqa: E501
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    decisions = answer.json()["decisions"]
    assert [(d["text"], d["decided_at"]) for d in decisions] == [
        ("Extend the pilot", "2026-10-15"),
        ("Add a site", "2026-10-16"),
    ]
    forum = gov_api.get(f"/api/v1/forums/{forum['id']}/").json()
    assert forum["next_meeting_due"] == "2027-01-15"  # quarterly after 2026-10-15
    bad = gov_api.post(
        "/api/v1/meetings/",
        {"forum": forum["id"], "date": "2026-10-15", "kind": "qbr", "decisions": [{"text": " "}]},
        format="json",
    )
    assert bad.status_code == 400 and "decisions" in bad.json()
