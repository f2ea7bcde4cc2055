"""notify(): once per (user, event), by each user's preference, e-mail in the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from core import roles
from notifications import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    user = make_user(roles.GOVERNANCE_OFFICE, username="alice")
    user.email = "alice@example.com"
    user.save()
    return user


@pytest.fixture
def bob(make_user):
    user = make_user(roles.VENDOR_MANAGER, username="bob")
    user.email = "bob@example.com"
    user.save()
    return user


def _send(users, key="escalation:7:level:2"):
    return services.notify(
        kind="escalation_moved",
        users=users,
        title="Escalation #7 moved to level 2",
        body="Nobody acknowledged it in 4 hours.",
        url="/governance/escalations/7/",
        dedupe_key=key,
    )


def test_sent_once_per_event_a_rerun_sends_nothing(alice, bob):
    assert _send([alice, bob]) == 2
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    assert mail.outbox[0].subject == "Escalation #7 moved to level 2"
    assert "/governance/escalations/7/" in mail.outbox[0].body
    # The rerun (and a duplicate in the list) sends nothing more.
    assert _send([alice, bob, alice]) == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2
    # A different event is a new notification.
    assert _send([alice], key="escalation:7:level:3") == 1
    assert len(mail.outbox) == 3


def test_preference_honoured_per_kind(alice, bob):
    services.preferences_set(actor=alice, choices_by_kind={"escalation_moved": (True, False)})
    services.preferences_set(actor=bob, choices_by_kind={"escalation_moved": (False, True)})
    assert _send([alice, bob]) == 2
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]  # alice: in-app only
    assert Notification.objects.get(user=alice).in_app is True
    bob_note = Notification.objects.get(user=bob)
    assert (bob_note.in_app, bob_note.email, bob_note.emailed_at is not None) == (False, True, True)
    # bob's e-mail-only notification does not show in his bell
    from notifications.selectors import unread_count

    assert unread_count(user=bob) == 0
    assert unread_count(user=alice) == 1
    # another kind keeps the default: both
    services.notify(kind="action_assigned", users=[alice], title="t", dedupe_key="a:1")
    assert len(mail.outbox) == 2


def test_none_preference_records_but_sends_nothing(alice):
    services.preferences_set(actor=alice, choices_by_kind={"escalation_moved": (False, False)})
    assert _send([alice]) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(user=alice).count() == 1


def test_inactive_users_and_no_address(alice, bob):
    bob.is_active = False
    bob.save()
    alice.email = ""
    alice.save()
    assert _send([alice, bob, None]) == 1  # alice in-app; bob skipped
    assert mail.outbox == []


def test_unknown_kind_is_refused(alice):
    with pytest.raises(ValueError):
        services.notify(kind="nope", users=[alice], title="t", dedupe_key="k")


def test_refused_mail_is_retried_by_the_job(alice, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.FailingBackend"
    assert _send([alice]) == 1
    note = Notification.objects.get()
    assert note.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(minutes=5)
    assert services.notifications_email_retry(now=later) == 1
    assert services.notifications_email_retry(now=later) == 0
    assert len(mail.outbox) == 1


def test_mark_read_only_own(alice, bob):
    _send([alice, bob])
    theirs = Notification.objects.get(user=bob)
    assert services.notification_mark_read(actor=alice, ids=[theirs.pk]) == 0
    assert services.notification_mark_read(actor=alice) == 1
    assert Notification.objects.get(user=bob).read_at is None


def test_jobs_run_from_the_shell_twice_doing_nothing_twice(alice, settings):
    """``run_job notifications-email-retry --at`` sends a refused e-mail once; a rerun nothing."""
    from io import StringIO

    from django.core.management import call_command

    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.FailingBackend"
    _send([alice])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    note = Notification.objects.get()
    at = (note.created_at + timedelta(minutes=5)).isoformat()
    for _ in range(2):
        call_command("run_job", "notifications-email-retry", "--at", at, stdout=StringIO())
        call_command("run_job", "webhooks-retry-due", "--at", at, stdout=StringIO())
    assert len(mail.outbox) == 1
