"""The scheduled jobs: escalations-advance and action-items-reminders, run as ``run_job``
does, with ``--at``; every notice and webhook goes out once, whatever reruns."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from governance.escalation import escalations_open_from_results
from governance.models import ActionItem, ActionReminder, Escalation
from governance.services import action_item_create, action_items_remind
from governance.tasks import escalations_advance_task, escalations_open_task
from notifications.models import Notification, WebhookDelivery, WebhookSubscription
from tests.governance.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook():
    return WebhookSubscription.objects.create(
        name="ITSM",
        target_url="https://itsm.example.com/hooks/covenant",
        event_types=["escalation.opened", "escalation.moved", "escalation.resolved"],
    )


def test_escalation_notices_and_webhooks_once(sla, plan, measure, people, hook):
    measure(sla, {"2026-01-01": "99.0", "2026-02-01": "99.1"})
    escalations_open_task(at="2026-03-02T09:00:00+00:00")
    escalations_open_task(at="2026-03-02T09:05:00+00:00")  # a rerun opens and sends nothing
    opened = Notification.objects.filter(kind="escalation_opened")
    assert list(opened.values_list("user__username", flat=True)) == ["duty-manager"]
    result = escalations_advance_task(at="2026-03-03T10:00:00+00:00")
    assert (result["moves"], result["flagged_overdue"]) == (2, 0)
    again = escalations_advance_task(at="2026-03-03T10:00:00+00:00")
    assert (again["moves"], again["notified"]) == (0, 0)
    moved = Notification.objects.filter(kind="escalation_moved").order_by("id")
    assert list(moved.values_list("user__username", flat=True)) == ["head-of-sourcing", "cio"]
    deliveries = WebhookDelivery.objects.filter(subscription=hook).order_by("id")
    assert [(d.event, d.payload["level"]) for d in deliveries] == [
        ("escalation.opened", 1),
        ("escalation.moved", 2),
        ("escalation.moved", 3),
    ]
    assert deliveries[2].payload["event_at"] == "2026-03-02T21:00:00+00:00"


def test_run_job_escalations_advance(sla, plan, measure):
    measure(sla, {"2026-01-01": "94.0"})  # critical
    escalations_open_from_results(at=at("2026-02-02 09:00"))
    out = StringIO()
    call_command("run_job", "escalations-advance", "--at", "2026-02-02T13:30:00+00:00", stdout=out)
    escalation = Escalation.objects.get()
    assert escalation.level == 2
    assert escalation.due_at == at("2026-02-02 21:00")


def test_action_item_reminders_once_each(vendor, gov_user):
    item = action_item_create(
        actor=gov_user,
        data={"title": "Send the RCA", "owner": gov_user, "vendor": vendor,
              "due_date": dt.date(2026, 3, 10)},
    )  # fmt: skip
    done = action_item_create(
        actor=gov_user,
        data={"title": "Done already", "owner": gov_user, "vendor": vendor,
              "due_date": dt.date(2026, 3, 1), "status": "done"},
    )  # fmt: skip
    assert action_items_remind(today=dt.date(2026, 3, 6)) == {"due": 0, "overdue": 0}
    assert action_items_remind(today=dt.date(2026, 3, 7)) == {"due": 1, "overdue": 0}  # 3 days
    assert action_items_remind(today=dt.date(2026, 3, 8)) == {"due": 0, "overdue": 0}
    assert item.overdue_on(dt.date(2026, 3, 10)) is False  # due today is not late
    assert item.overdue_on(dt.date(2026, 3, 11)) is True
    assert done.overdue_on(dt.date(2026, 3, 11)) is False
    out = StringIO()
    call_command("run_job", "action-items-reminders", "--at", "2026-03-11T06:30:00", stdout=out)
    call_command("run_job", "action-items-reminders", "--at", "2026-03-12T06:30:00", stdout=out)
    assert sorted(ActionReminder.objects.values_list("kind", flat=True)) == ["due", "overdue"]
    notices = Notification.objects.filter(user=gov_user, kind__in=["action_due", "action_overdue"])
    assert sorted(notices.values_list("kind", flat=True)) == ["action_due", "action_overdue"]
    # A new due date is a new deadline: its reminders go out again.
    ActionItem.objects.filter(pk=item.pk).update(due_date=dt.date(2026, 3, 20))
    assert action_items_remind(today=dt.date(2026, 3, 17)) == {"due": 1, "overdue": 0}


def test_assignment_is_notified_once_per_owner(
    vendor, gov_user, people, django_capture_on_commit_callbacks
):
    from governance.services import action_item_update

    data = {"title": "Plan the DR test", "owner": people["duty"], "vendor": vendor,
            "due_date": dt.date(2027, 1, 1)}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        item = action_item_create(actor=gov_user, data=data)
    with django_capture_on_commit_callbacks(execute=True):
        action_item_update(instance=item, actor=gov_user, data={"priority": "high"})
    with django_capture_on_commit_callbacks(execute=True):
        action_item_update(instance=item, actor=gov_user, data={"owner": people["head"]})
    assigned = Notification.objects.filter(kind="action_assigned").order_by("id")
    assert list(assigned.values_list("user__username", flat=True)) == [
        "duty-manager",
        "head-of-sourcing",
    ]


def test_an_evaluation_signals_its_breaches_and_opens_escalations(
    sla, plan, people, django_capture_on_commit_callbacks
):
    """The hook of slas.tasks: a new critical breach last month is a ``breach.opened``
    webhook, a ``critical_breach`` notice to the office (the vendor has no owner) and an
    escalation at level 1 — each once, however often the evaluation runs."""
    from django.utils import timezone

    from slas.evaluation import queue_evaluation

    WebhookSubscription.objects.create(
        name="BI", target_url="https://bi.example.com/in", event_types=["breach.opened"]
    )
    sla.measurements.create(date=timezone.localdate() - dt.timedelta(days=20), value="90")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            queue_evaluation(sla_ids=[sla.pk])
    assert Escalation.objects.count() == 1
    assert Escalation.objects.get().sla_id == sla.pk
    notices = Notification.objects.filter(kind="critical_breach")
    assert sorted(notices.values_list("user__username", flat=True)) == [
        "duty-manager",
        "head-of-sourcing",
    ]
    deliveries = WebhookDelivery.objects.filter(event="breach.opened")
    assert deliveries.count() == 1
    assert deliveries.get().payload["severity"] == "critical"
