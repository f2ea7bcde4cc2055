"""Pages and API of notifications and webhooks: own rows only, webhooks for managers only."""

from __future__ import annotations

import pytest

from core import roles
from notifications import services
from notifications.models import Notification, NotificationPreference, WebhookSubscription

pytestmark = pytest.mark.django_db


def _note(user, key, title="Escalation #3 opened"):
    services.notify(kind="escalation_opened", users=[user], title=title, url="/", dedupe_key=key)
    return Notification.objects.get(user=user, dedupe_key=key)


def test_bell_shows_the_unread_count(client, gov_user):
    _note(gov_user, "a")
    _note(gov_user, "b")
    client.force_login(gov_user)
    page = client.get("/notifications/").content.decode()
    assert 'data-unread="2"' in page
    assert "Escalation #3 opened" in page
    client.post("/notifications/read-all/")
    assert 'data-unread="0"' in client.get("/notifications/").content.decode()


def test_open_marks_read_and_stays_on_site(client, gov_user):
    note = _note(gov_user, "a")
    Notification.objects.filter(pk=note.pk).update(url="https://evil.example/")
    client.force_login(gov_user)
    answer = client.get(f"/notifications/{note.pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == "/notifications/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_others_notifications_are_404(client, gov_user, make_user):
    other = make_user(roles.ADMIN)
    theirs = _note(other, "x")
    client.force_login(gov_user)
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    client.post(f"/notifications/{theirs.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_page_saves(client, gov_user):
    client.force_login(gov_user)
    assert client.get("/notifications/preferences/").status_code == 200
    answer = client.post("/notifications/preferences/", {"critical_breach__in_app": "on"})
    assert answer.status_code == 302
    pref = NotificationPreference.objects.get(user=gov_user, kind="critical_breach")
    assert (pref.in_app, pref.email) == (True, False)
    assert NotificationPreference.objects.get(user=gov_user, kind="report_ready").in_app is False


def test_api_own_notifications_and_mark_read(api_client_for, gov_user, make_user):
    mine = _note(gov_user, "a")
    _note(gov_user, "b")
    _note(make_user(roles.VENDOR_MANAGER), "c")
    api = api_client_for(gov_user)
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    assert set(body["results"][0]) >= {"id", "kind", "title", "is_read", "created_at"}
    assert api.post(f"/api/v1/notifications/{mine.pk}/read/").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert (
        api.post("/api/v1/notifications/read-all/", {"ids": ["x"]}, format="json").status_code
        == 400
    )
    assert api.post("/api/v1/notifications/read-all/", {}, format="json").json() == {"marked": 1}


def test_vendor_user_sees_own_notifications(api_client_for, make_user):
    from tests.factories import VendorFactory

    rep = make_user(roles.VENDOR_USER, vendor=VendorFactory())
    _note(rep, "g")
    assert api_client_for(rep).get("/api/v1/notifications/").json()["count"] == 1


@pytest.mark.parametrize("role", [roles.VENDOR_MANAGER, roles.EXECUTIVE, roles.AUDITOR])
def test_webhooks_refused_to_other_roles(role, make_user, api_client_for, client):
    user = make_user(role)
    assert api_client_for(user).get("/api/v1/webhooks/").status_code == 403
    client.force_login(user)
    assert client.get("/notifications/webhooks/").status_code == 403
    assert client.get("/notifications/deliveries/").status_code == 403


def test_webhooks_api_crud_and_errors(gov_api, make_user, api_client_for):
    bad = gov_api.post(
        "/api/v1/webhooks/",
        {"name": "x", "target_url": "http://10.0.0.1/", "events": ["breach.opened"]},
        format="json",
    )
    assert bad.status_code == 400 and "target_url" in bad.json()
    bad = gov_api.post(
        "/api/v1/webhooks/",
        {"name": "x", "target_url": "https://example.com/", "events": ["nope"]},
        format="json",
    )
    assert bad.status_code == 400 and "events" in bad.json()
    bad = gov_api.post(
        "/api/v1/webhooks/",
        {
            "name": "x",
            "target_url": "http://127.0.0.1/",
            "events": ["breach.opened"],
            "allow_private": True,
        },
        format="json",
    )
    assert bad.status_code == 400 and "allow_private" in bad.json()
    assert WebhookSubscription.objects.count() == 0
    admin_api = api_client_for(make_user(roles.ADMIN))
    made = admin_api.post(
        "/api/v1/webhooks/",
        {
            "name": "siem",
            "target_url": "http://127.0.0.1:9/",
            "events": ["breach.opened", "escalation.moved"],
            "allow_private": True,
            "active": False,
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["events"] == ["breach.opened", "escalation.moved"]
    assert len(body["secret"]) == 64
    listed = gov_api.get("/api/v1/webhooks/?event=escalation.moved").json()
    assert listed["count"] == 1
    assert gov_api.get(f"/api/v1/webhooks/{body['id']}/deliveries/").json()["count"] == 0


def test_webhook_pages(gov_client, gov_user):
    sub = services.webhook_subscription_create(
        actor=gov_user,
        data={
            "name": "ticketing",
            "target_url": "https://example.com/hook",
            "event_types": ["breach.opened"],
        },
    )
    assert gov_client.get("/notifications/webhooks/").status_code == 200
    page = gov_client.get(f"/notifications/webhooks/{sub.pk}/").content.decode()
    assert sub.secret in page and "Send test" in page
    answer = gov_client.post(
        "/notifications/webhooks/add/",
        {"name": "internal", "target_url": "http://192.168.0.4/", "event_types": ["breach.opened"]},
    )
    assert answer.status_code == 200
    assert "non-public address" in answer.content.decode()
    assert gov_client.get("/notifications/deliveries/").status_code == 200
    assert gov_client.get(f"/notifications/webhooks/{sub.pk}/history/").status_code == 200
