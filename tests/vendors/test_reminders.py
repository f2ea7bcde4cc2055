"""Certification reminders: 90, 30 and 7 days before expiry, expired flagged once, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from core import roles
from tests.factories import CertificationFactory
from vendors.models import CertificationReminder
from vendors.services import certification_reminders_send
from vendors.tasks import certification_reminders_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def owner(users, north):
    manager = users[roles.VENDOR_MANAGER]
    manager.email = "owner@example.com"
    manager.save()
    return manager


def test_reminders_go_on_the_right_days_once(owner, north):
    due = {
        offset: CertificationFactory(vendor=north, name=f"in {offset}", expires_on=day(offset))
        for offset in (90, 89, 31, 30, 7, 6, 0, 61)
    }
    expired = CertificationFactory(vendor=north, name="gone", expires_on=day(-1))
    CertificationFactory(vendor=north, name="forever", expires_on=None, issued_on=None)

    report = certification_reminders_send(today=TODAY)

    assert (report.reminders_sent, report.expired_flagged) == (3, 1)
    rows = set(CertificationReminder.objects.values_list("certification__name", "kind"))
    assert rows == {("in 90", "d90"), ("in 30", "d30"), ("in 7", "d7"), ("gone", "expired")}
    assert len(mail.outbox) == 4
    assert {tuple(m.to) for m in mail.outbox} == {("owner@example.com",)}
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Certification expired: gone (North)",
        "Certification expires in 30 days: in 30 (North)",
        "Certification expires in 7 days: in 7 (North)",
        "Certification expires in 90 days: in 90 (North)",
    ]
    assert "2026-05-30" in next(m.body for m in mail.outbox if "in 90" in m.subject)
    assert due[90].reminders.get().sent_on == TODAY and expired.reminders.count() == 1

    # The same day again: nothing more is sent.
    again = certification_reminders_send(today=TODAY)
    assert (again.reminders_sent, again.expired_flagged) == (0, 0)
    assert len(mail.outbox) == 4
    # The next day: "in 31" is 30 days out; "in 0" has expired ("gone" is not flagged again).
    nxt = certification_reminders_send(today=day(1))
    assert (nxt.reminders_sent, nxt.expired_flagged) == (1, 1)
    assert set(
        CertificationReminder.objects.filter(sent_on=day(1)).values_list(
            "certification__name", "kind"
        )
    ) == {("in 31", "d30"), ("in 0", "expired")}
    # The day after: no certification is 90, 30 or 7 days out, none newly expired.
    nxt = certification_reminders_send(today=day(2))
    assert (nxt.reminders_sent, nxt.expired_flagged) == (0, 0)
    assert len(mail.outbox) == 6


def test_a_renewed_certification_gets_its_reminders_again(owner, north):
    cert = CertificationFactory(vendor=north, expires_on=day(30))
    certification_reminders_send(today=TODAY)
    cert.expires_on = day(365 + 30)
    cert.save()
    report = certification_reminders_send(today=day(365))
    assert report.reminders_sent == 1
    assert cert.reminders.count() == 2


def test_without_an_owner_the_governance_office_is_told(make_user, south):
    office = make_user(roles.GOVERNANCE_OFFICE)
    office.email = "office@example.com"
    office.save()
    CertificationFactory(vendor=south, expires_on=day(7))
    certification_reminders_send(today=TODAY)
    assert [m.to for m in mail.outbox] == [["office@example.com"]]
    assert CertificationReminder.objects.get().recipients == "office@example.com"


def test_a_failed_send_is_retried_by_the_notifications_job(owner, north, settings):
    """The reminder is recorded once; the e-mail the server refused waits for the retry job."""
    from django.utils import timezone

    from notifications.services import notifications_email_retry

    CertificationFactory(vendor=north, expires_on=day(7))
    settings.EMAIL_BACKEND = "tests.vendors.test_reminders.FailingBackend"
    assert certification_reminders_send(today=TODAY).reminders_sent == 1
    assert mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert certification_reminders_send(today=TODAY).reminders_sent == 0
    assert notifications_email_retry(now=timezone.now() + dt.timedelta(minutes=5)) == 1
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_task_runs_the_service_for_the_given_day(owner, north):
    CertificationFactory(vendor=north, expires_on=day(30))
    assert certification_reminders_task.delay(TODAY.isoformat()).get() == {
        "reminders_sent": 1,
        "expired_flagged": 0,
    }
    assert certification_reminders_task(TODAY.isoformat())["reminders_sent"] == 0
