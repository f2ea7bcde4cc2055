"""List endpoints and pages of the improvement programme and notifications: constant queries."""

from __future__ import annotations

import pytest

from improvement import services
from notifications.services import notify
from tests.factories import SLAFactory

pytestmark = pytest.mark.django_db


def _goals(office, north, count):
    for number in range(count):
        sla = SLAFactory(contract__vendor=north)
        services.goal_create(
            actor=office, data={"vendor": north, "title": f"Goal {number}", "slas": [sla]}
        )


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/api/v1/improvement-goals/", "/improvement/goals/", "/api/v1/ideas/"]
)
def test_goal_lists_do_not_grow_with_rows(api_client_for, office, north, url, client):
    api = api_client_for(office) if url.startswith("/api/") else client
    if not url.startswith("/api/"):
        client.force_login(office)
    _goals(office, north, 2)
    few = _count_queries(api, url)
    _goals(office, north, 6)
    many = _count_queries(api, url)
    assert many == few


def test_notification_list_does_not_grow(api_client_for, office):
    api = api_client_for(office)
    for number in range(2):
        notify(kind="review_due", users=[office], title="t", dedupe_key=f"a{number}")
    few = _count_queries(api, "/api/v1/notifications/")
    for number in range(8):
        notify(kind="review_due", users=[office], title="t", dedupe_key=f"b{number}")
    assert _count_queries(api, "/api/v1/notifications/") == few


def test_admin_pages_render(client, users):
    from core import roles

    admin = users[roles.ADMIN]
    admin.is_staff = True
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for url in (
        "/admin/notifications/webhooksubscription/",
        "/admin/notifications/webhooksubscription/add/",
        "/admin/notifications/webhookdelivery/",
        "/admin/notifications/notification/",
        "/admin/improvement/goal/",
        "/admin/improvement/goal/add/",
        "/admin/improvement/healthsurvey/add/",
        "/admin/improvement/idea/add/",
    ):
        assert client.get(url).status_code == 200, url
    answer = client.post(
        "/admin/notifications/webhooksubscription/add/",
        {"name": "x", "target_url": "http://10.0.0.1/", "event_types": ["breach.opened"]},
    )
    assert answer.status_code == 200 and "non-public address" in answer.content.decode()
