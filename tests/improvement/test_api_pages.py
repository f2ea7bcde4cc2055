"""Improvement API and pages: field names, 400s, scope, the vendor's own login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from governance.models import ActionItem
from improvement import services
from improvement.models import Goal, HealthSurvey, Idea, IssueListPublication
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

SCORES = {
    "communication": 4,
    "responsiveness": 3,
    "flexibility": 2,
    "quality": 4,
    "innovation": 3,
    "trust": 5,
}


@pytest.fixture
def goals(office, north, south):
    return [
        services.goal_create(actor=office, data={"vendor": north, "title": "North goal"}),
        services.goal_create(actor=office, data={"vendor": south, "title": "South goal"}),
    ]


def test_vendor_user_sees_only_their_vendor(api_client_for, rep, goals, north, south, office):
    api = api_client_for(rep)
    listed = api.get("/api/v1/improvement-goals/").json()
    assert [g["title"] for g in listed["results"]] == ["North goal"]
    assert api.get(f"/api/v1/improvement-goals/{goals[1].pk}/").status_code == 404
    # no internal assessments for the vendor
    assert api.get("/api/v1/improvement-assessments/").json()["count"] == 0


def test_vendor_user_agrees_but_cannot_edit(
    api_client_for, rep, office, goals, django_assert_max_num_queries
):
    api = api_client_for(rep)
    north_goal = goals[0]
    assert (
        api.patch(
            f"/api/v1/improvement-goals/{north_goal.pk}/", {"title": "mine"}, format="json"
        ).status_code
        == 403
    )
    answer = api.post(f"/api/v1/improvement-goals/{north_goal.pk}/agree/")
    assert answer.status_code == 200
    assert answer.json()["agreement"] == "awaiting_client"
    assert api.post(f"/api/v1/improvement-goals/{goals[1].pk}/agree/").status_code == 404
    office_api = api_client_for(office)
    body = office_api.post(f"/api/v1/improvement-goals/{north_goal.pk}/agree/").json()
    assert body["agreement"] == "agreed" and body["is_agreed"] is True


def test_goal_api_fields_and_errors(gov_api, north, south):
    from tests.factories import ContractFactory

    contract = ContractFactory(vendor=south)
    bad = gov_api.post(
        "/api/v1/improvement-goals/",
        {"vendor": north.pk, "title": "x", "contract": contract.pk, "kind": "improvement"},
        format="json",
    )
    assert bad.status_code == 400 and "contract" in bad.json()
    bad = gov_api.post(
        "/api/v1/improvement-goals/",
        {"vendor": north.pk, "title": "x", "kind": "nope"},
        format="json",
    )
    assert bad.status_code == 400 and "kind" in bad.json()
    made = gov_api.post(
        "/api/v1/improvement-goals/",
        {
            "vendor": north.pk,
            "title": "Business case",
            "kind": "business_case",
            "baseline_value": "100",
            "target_value": "80",
            "client_agreed_at": "2026-01-01T00:00:00Z",  # read-only: ignored
        },
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["agreement"] == "draft"
    assert gov_api.get("/api/v1/improvement-goals/?agreement=draft").json()["count"] == 1
    assert Goal.objects.count() == 1


def test_health_survey_api_vendor_side_and_summary(api_client_for, rep, office, north, south):
    rep_api = api_client_for(rep)
    made = rep_api.post(
        "/api/v1/health-surveys/",
        {"vendor": north.pk, "quarter": "2026Q3", **SCORES},
        format="json",
    )
    assert made.status_code == 201, made.json()
    # 4+3+2+4+3+5 = 21; 21/6 = 3.5 → "3.50"
    assert made.json()["side"] == "vendor" and made.json()["health_index"] == "3.50"
    again = rep_api.post(
        "/api/v1/health-surveys/",
        {"vendor": north.pk, "quarter": "2026Q3", **SCORES},
        format="json",
    )
    assert again.status_code == 400
    other = rep_api.post(
        "/api/v1/health-surveys/",
        {"vendor": south.pk, "quarter": "2026Q3", **SCORES},
        format="json",
    )
    assert other.status_code == 400 and "vendor" in other.json()  # South is not theirs: unknown
    office_api = api_client_for(office)
    client_scores = {**SCORES, "flexibility": 5}  # 24/6 = 4.00
    office_api.post(
        "/api/v1/health-surveys/",
        {"vendor": north.pk, "quarter": "2026Q3", "side": "client", **client_scores},
        format="json",
    )
    summary = office_api.get(f"/api/v1/health-surveys/summary/?vendor={north.pk}&quarter=2026Q3")
    body = summary.json()
    assert body["client"]["index"] == "4.00" and body["vendor_side"]["index"] == "3.50"
    assert body["gap"]["index"] == "0.50" and body["gap"]["dimensions"]["flexibility"] == 3
    bad = office_api.get(f"/api/v1/health-surveys/summary/?vendor={north.pk}&quarter=26Q3")
    assert bad.status_code == 400 and "quarter" in bad.json()
    assert HealthSurvey.objects.count() == 2


def test_ideas_vendor_proposes_client_decides(api_client_for, rep, office, north):
    rep_api = api_client_for(rep)
    made = rep_api.post(
        "/api/v1/ideas/",
        {
            "vendor": north.pk,
            "title": "Automate the invoice matching",
            "status": "implemented",  # not theirs to decide: forced to proposed
            "expected_benefit": "12000.00",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    idea = made.json()
    assert (idea["proposed_by"], idea["status"]) == ("vendor", "proposed")
    office_api = api_client_for(office)
    bad = office_api.patch(
        f"/api/v1/ideas/{idea['id']}/", {"realised_benefit": "9000.00"}, format="json"
    )
    assert bad.status_code == 400  # realised only once implemented
    done = office_api.patch(
        f"/api/v1/ideas/{idea['id']}/",
        {"status": "implemented", "realised_benefit": "9000.00"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["decided_at"]
    assert (
        rep_api.patch(f"/api/v1/ideas/{idea['id']}/", {"title": "x"}, format="json").status_code
        == 403
    )
    assert Idea.objects.get().title == "Automate the invoice matching"


def test_issue_list_versions_frozen_and_published(api_client_for, office, rep, north):
    ActionItem.objects.create(
        title="Fix the backlog", owner=office, vendor=north, due_date=dt.date(2026, 12, 20)
    )
    ContactFactory(vendor=north, name="Ann", side="vendor", email="ann@north.example")
    ContactFactory(vendor=north, name="Bob", side="client", email="bob@client.example")
    api = api_client_for(office)
    first = api.post("/api/v1/issue-list-publications/", {"vendor": north.pk}, format="json")
    assert first.status_code == 201
    assert first.json()["version"] == 1
    assert [i["title"] for i in first.json()["items"]] == ["Fix the backlog"]
    refused = api.post("/api/v1/issue-list-publications/", {"vendor": north.pk}, format="json")
    assert refused.status_code == 400 and "vendor" in refused.json()
    published = api.post(f"/api/v1/issue-list-publications/{first.json()['id']}/publish/").json()
    assert {r["email"] for r in published["recipients"]} == {
        "ann@north.example",
        "bob@client.example",
    }
    assert len(mail.outbox) == 1
    assert "Fix the backlog" in mail.outbox[0].body
    api.post(f"/api/v1/issue-list-publications/{first.json()['id']}/publish/")
    assert len(mail.outbox) == 1  # published once
    ActionItem.objects.create(
        title="Second item", owner=office, vendor=north, due_date=dt.date(2026, 12, 30)
    )
    second = api.post(
        "/api/v1/issue-list-publications/", {"vendor": north.pk}, format="json"
    ).json()
    assert second["version"] == 2 and len(second["items"]) == 2
    assert IssueListPublication.objects.get(version=1).items[0]["title"] == "Fix the backlog"
    # the vendor sees its versions, cannot approve
    rep_api = api_client_for(rep)
    assert rep_api.get("/api/v1/issue-list-publications/").json()["count"] == 2
    assert (
        rep_api.post(
            "/api/v1/issue-list-publications/", {"vendor": north.pk}, format="json"
        ).status_code
        == 403
    )


def test_pages_render_for_staff_and_vendor(client, office, rep, north, goals):
    services.health_survey_create(
        actor=office, data={"vendor": north, "quarter": "2026Q3", "side": "client", **SCORES}
    )
    client.force_login(office)
    for url in (
        "/improvement/goals/",
        f"/improvement/goals/{goals[0].pk}/",
        "/improvement/health-surveys/",
        f"/improvement/health/{north.pk}/",
        "/improvement/ideas/",
        "/improvement/issue-lists/",
        "/improvement/issue-lists/approve/",
        "/improvement/assessments/",
        "/improvement/goals/add/",
        "/",
    ):
        assert client.get(url).status_code == 200, url
    assert "3.50" in client.get(f"/improvement/health/{north.pk}/").content.decode()
    client.force_login(rep)
    page = client.get(f"/improvement/goals/{goals[0].pk}/").content.decode()
    assert "Agree for the vendor" in page
    assert client.get(f"/improvement/goals/{goals[1].pk}/").status_code == 404
    assert client.get("/improvement/assessments/").status_code in (200, 403)
    assert client.post(f"/improvement/goals/{goals[0].pk}/agree/").status_code == 302
    assert Goal.objects.get(pk=goals[0].pk).vendor_agreed_by == rep
    answer = client.post(
        "/improvement/health-surveys/add/", {"vendor": north.pk, "quarter": "2026Q3", **SCORES}
    )
    assert answer.status_code == 302
    assert HealthSurvey.objects.filter(side="vendor").count() == 1


def test_publishing_with_the_mail_server_down_publishes_nothing(
    api_client_for, office, north, settings
):
    ContactFactory(vendor=north, name="Ann", side="vendor", email="ann@north.example")
    api = api_client_for(office)
    version = api.post("/api/v1/issue-list-publications/", {"vendor": north.pk}, format="json")
    assert version.status_code == 201, version.json()
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.FailingBackend"
    answer = api.post(f"/api/v1/issue-list-publications/{version.json()['id']}/publish/")
    assert answer.status_code == 503
    assert IssueListPublication.objects.get().published_at is None


def test_approve_and_publish_pages(client, office, rep, north, south):
    ContactFactory(vendor=north, name="Ann", side="vendor", email="ann@north.example")
    client.force_login(office)
    bad = client.post("/improvement/issue-lists/approve/", {"vendor": "", "note": "x"})
    assert bad.status_code == 400 and "Choose a vendor" in bad.content.decode()
    answer = client.post("/improvement/issue-lists/approve/", {"vendor": north.pk, "note": "Q4"})
    assert answer.status_code == 302
    version = IssueListPublication.objects.get()
    again = client.post("/improvement/issue-lists/approve/", {"vendor": north.pk})
    assert again.status_code == 400 and "not yet published" in again.content.decode()
    assert client.post(f"/improvement/issue-lists/{version.pk}/publish/").status_code == 302
    version.refresh_from_db()
    assert version.published_at is not None and [m.to for m in mail.outbox] == [
        ["ann@north.example"]
    ]
    client.force_login(rep)
    assert client.get("/improvement/issue-lists/approve/").status_code == 403
    assert client.get(f"/improvement/issue-lists/{version.pk}/").status_code == 200
