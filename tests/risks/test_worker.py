"""The review job through a real Celery worker on Redis: notified once, however often it runs.

Needs ``REDIS_URL`` (CI sets it). The worker is the SLA tests' fixture: a
``celery -A config worker`` subprocess on this test database, listening on a
private queue.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.contrib.auth.models import Group

from core import roles
from core.services import user_provision
from notifications.models import Notification
from risks import services
from risks.models import ReviewReminder
from risks.tasks import reviews_due_task
from tests.factories import VendorFactory
from tests.slas.test_worker import worker  # noqa: F401 -- the fixture

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: the real-worker tests need a Redis broker",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_the_job_on_a_worker_notifies_once(worker):  # noqa: F811
    for name in roles.ALL_ROLES:  # a transactional test has flushed the migration's groups
        Group.objects.get_or_create(name=name)
    owner = user_provision(username="owner", role=roles.GOVERNANCE_OFFICE, password="pw-1234567")
    vendor = VendorFactory(name="North", tier=1, status="prospect")  # no reassessment
    risk = services.risk_create(
        actor=owner,
        data={"vendor": vendor, "title": "Offshore data", "category": "privacy",
              "likelihood": 4, "impact": 4, "owner": owner},
        today=dt.date(2026, 6, 1),
    )  # fmt: skip
    assert risk.next_review == dt.date(2026, 9, 1)  # tier 1: 3 months (the default cadence)

    def run():
        result = reviews_due_task.apply_async(
            kwargs={"at": "2026-12-04T06:00:00"}, queue=worker["queue"]
        )
        return result.get(timeout=60)

    assert run() == {"risk_reviews_notified": 1, "reassessments_notified": 0}
    assert run() == {"risk_reviews_notified": 0, "reassessments_notified": 0}
    assert ReviewReminder.objects.count() == 1
    note = Notification.objects.get(kind="review_due")
    assert note.user == owner
    assert note.title == "Review of risk “Offshore data” overdue since 2026-09-01"
