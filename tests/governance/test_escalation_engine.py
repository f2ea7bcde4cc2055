"""The escalation rule of DESIGN.md section 2, with explicit times (hand-worked).

Plan: level 1 responds within 4 h, level 2 within 8 h, level 3 (the
executive) within 24 h; N = 2 consecutive breached periods. The SLA is a
monthly mean with target 99.5 and critical level 95.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections

from governance.escalation import escalations_advance, escalations_open_from_results
from governance.models import Escalation, EscalationTimelineEvent
from governance.services import escalation_acknowledge, escalation_resolve
from tests.governance.conftest import at


def timeline(escalation):
    return [
        (e.kind, e.level, e.at)
        for e in EscalationTimelineEvent.objects.filter(escalation=escalation).order_by("at", "id")
    ]


@pytest.fixture
def streak(sla, plan, measure):
    """January 99.0 and February 99.1: two breached months in a row (major, not critical)."""
    measure(sla, {"2026-01-01": "99.0", "2026-02-01": "99.1"})
    return sla


def test_one_breach_opens_nothing_two_in_a_row_open_one(sla, plan, measure):
    measure(sla, {"2026-01-01": "99.0"})
    assert escalations_open_from_results(at=at("2026-02-02 09:00")).opened == 0
    measure(sla, {"2026-02-01": "99.1"})
    report = escalations_open_from_results(at=at("2026-03-02 09:00"))
    assert report.opened == 1
    escalation = Escalation.objects.get()
    assert (escalation.level, escalation.status, escalation.overdue) == (1, "open", False)
    assert escalation.opened_at == at("2026-03-02 09:00")
    assert escalation.due_at == at("2026-03-02 13:00")  # opened + level 1's 4 hours
    assert (escalation.sla_id, str(escalation.streak_start), str(escalation.trigger_period)) == (
        sla.pk,
        "2026-01-01",
        "2026-02-01",
    )
    assert escalation.subject_type == "breach"
    assert timeline(escalation) == [("opened", 1, at("2026-03-02 09:00"))]


def test_recomputation_and_reruns_open_nothing_more(streak, measure):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    measure(streak, {"2026-02-01": "99.1"})  # re-evaluated, same result
    escalations_open_from_results(at=at("2026-03-02 10:00"))
    # The streak goes on (March breached too): still the same streak, no new escalation.
    measure(streak, {"2026-03-01": "98.0"})
    assert escalations_open_from_results(at=at("2026-04-02 09:00")).opened == 0
    assert Escalation.objects.count() == 1


def test_a_met_period_ends_the_streak_and_a_new_one_opens_again(streak, measure):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    measure(streak, {"2026-03-01": "99.9", "2026-04-01": "99.0", "2026-05-01": "99.2"})
    assert escalations_open_from_results(at=at("2026-06-02 09:00")).opened == 1
    assert sorted(str(e.streak_start) for e in Escalation.objects.all()) == [
        "2026-01-01",
        "2026-04-01",
    ]


def test_a_critical_breach_opens_at_once(sla, plan, measure):
    measure(sla, {"2026-01-01": "94.0"})  # below the critical level 95
    assert escalations_open_from_results(at=at("2026-02-02 09:00")).opened == 1
    assert "critical" in Escalation.objects.get().title


def test_no_plan_no_escalation(sla, measure):
    measure(sla, {"2026-01-01": "90.0", "2026-02-01": "90.0"})
    assert escalations_open_from_results(at=at("2026-03-02 09:00")).opened == 0


def test_moves_exactly_at_each_due_time_however_late_the_job_runs(streak):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    escalation = Escalation.objects.get()
    assert escalations_advance(now=at("2026-03-02 12:59")).moves == 0  # due 13:00
    # The job runs late, at 10:00 the next day: two due times have passed.
    report = escalations_advance(now=at("2026-03-03 10:00"))
    assert report.moves == 2
    escalation.refresh_from_db()
    assert timeline(escalation)[1:] == [
        ("escalated", 2, at("2026-03-02 13:00")),  # level 1's 4 h after 09:00
        ("escalated", 3, at("2026-03-02 21:00")),  # level 2's 8 h after 13:00
    ]
    assert escalation.level == 3
    assert escalation.due_at == at("2026-03-03 21:00")  # level 3's 24 h after 21:00
    assert escalation.overdue is False
    # Running again for the same moment does nothing.
    assert escalations_advance(now=at("2026-03-03 10:00")).moves == 0
    assert len(timeline(escalation)) == 3


def test_stays_at_the_top_level_flagged_overdue(streak):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    report = escalations_advance(now=at("2026-03-10 00:00"))
    assert (report.moves, report.flagged_overdue) == (2, 1)
    escalation = Escalation.objects.get()
    assert (escalation.level, escalation.overdue) == (3, True)
    assert escalation.due_at == at("2026-03-03 21:00")
    assert escalations_advance(now=at("2026-03-20 00:00")) == report.__class__(0, 0)
    assert [k for k, _, _ in timeline(escalation)] == ["opened", "escalated", "escalated"]


def test_acknowledged_in_time_never_moves(streak, gov_user):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    escalation = Escalation.objects.get()
    escalation_acknowledge(escalation=escalation, actor=gov_user, at=at("2026-03-02 12:00"))
    assert escalations_advance(now=at("2026-03-09 00:00")).moves == 0
    escalation.refresh_from_db()
    assert (escalation.status, escalation.level, escalation.overdue) == ("acknowledged", 1, False)
    assert timeline(escalation) == [
        ("opened", 1, at("2026-03-02 09:00")),
        ("acknowledged", 1, at("2026-03-02 12:00")),
    ]


def test_acknowledged_late_records_the_moves_that_happened_first(streak, gov_user):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    escalation = Escalation.objects.get()
    # The job has not run since; acknowledged at 14:00, after level 1's due time (13:00).
    escalation_acknowledge(escalation=escalation, actor=gov_user, at=at("2026-03-02 14:00"))
    escalation.refresh_from_db()
    assert timeline(escalation) == [
        ("opened", 1, at("2026-03-02 09:00")),
        ("escalated", 2, at("2026-03-02 13:00")),
        ("acknowledged", 2, at("2026-03-02 14:00")),
    ]
    with pytest.raises(Exception, match="Only an open escalation"):
        escalation_acknowledge(escalation=escalation, actor=gov_user, at=at("2026-03-02 15:00"))
    escalation_resolve(escalation=escalation, actor=gov_user, at=at("2026-03-05 09:00"))
    escalation.refresh_from_db()
    assert (escalation.status, escalation.resolved_at) == ("resolved", at("2026-03-05 09:00"))


def test_a_withdrawn_cause_adds_an_event_and_deletes_nothing(streak, measure):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    measure(streak, {"2026-02-01": "99.9"})  # the correction cures February
    report = escalations_open_from_results(at=at("2026-03-03 09:00"))
    assert (report.opened, report.causes_withdrawn) == (0, 1)
    escalation = Escalation.objects.get()
    assert timeline(escalation)[-1] == ("cause_withdrawn", 1, at("2026-03-03 09:00"))
    assert escalations_open_from_results(at=at("2026-03-04 09:00")).causes_withdrawn == 0


def test_a_cured_first_period_keeps_the_streak_covered(streak, measure):
    measure(streak, {"2026-03-01": "99.0"})  # Jan, Feb, Mar breached
    escalations_open_from_results(at=at("2026-04-02 09:00"))
    measure(streak, {"2026-01-01": "99.9"})  # Jan cured: Feb–Mar still two in a row
    report = escalations_open_from_results(at=at("2026-04-03 09:00"))
    assert (report.opened, report.causes_withdrawn) == (0, 0)
    assert Escalation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_open_one_escalation(role_groups_tx, streak):
    """Two evaluations finishing together: both open from the results on their own connection."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            escalations_open_from_results(at=at("2026-03-02 09:00"))
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Escalation.objects.count() == 1
    assert EscalationTimelineEvent.objects.filter(kind="opened").count() == 1


def test_history_older_than_a_quarter_opens_nothing(sla, plan, measure):
    """Streaks are looked for among periods ended in the last 92 days before ``at``."""
    measure(sla, {"2026-01-01": "99.0", "2026-02-01": "99.1"})  # February ends 2026-02-28
    assert escalations_open_from_results(at=at("2026-06-01 09:00")).opened == 0  # 93 days on
    assert escalations_open_from_results(at=at("2026-05-31 09:00")).opened == 1  # 92 days on


def test_after_an_evaluation_only_the_slas_whose_breaches_it_wrote(streak):
    """The hook passes the evaluation's start: SLAs with no breach written since are skipped."""
    from django.utils import timezone

    later = timezone.now() + dt.timedelta(minutes=1)
    report = escalations_open_from_results(changed_since=later, at=at("2026-03-02 09:00"))
    assert report.opened == 0
    earlier = timezone.now() - dt.timedelta(hours=1)
    report = escalations_open_from_results(changed_since=earlier, at=at("2026-03-02 09:00"))
    assert report.opened == 1


@pytest.mark.django_db(transaction=True)
def test_an_acknowledgement_committing_during_a_run_stops_its_move(
    role_groups_tx, streak, make_user
):
    """The run reads the escalation as open and due, then waits on the row the acknowledgement
    holds; once that commits, the run sees it acknowledged: no move, no event."""
    from django.db import transaction

    gov_user = make_user("governance_office", username="acknowledger")
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    escalation = Escalation.objects.get()
    holding, results, errors = threading.Event(), [], []

    def acknowledge():
        try:
            with transaction.atomic():
                escalation_acknowledge(escalation=escalation, actor=gov_user,
                                       at=at("2026-03-02 12:00"))  # fmt: skip
                holding.set()
                threading.Event().wait(1.0)  # the run starts and blocks on the row meanwhile
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            holding.set()
            connections.close_all()

    def advance():
        try:
            holding.wait()
            results.append(escalations_advance(now=at("2026-03-09 00:00")))
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=acknowledge), threading.Thread(target=advance)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results[0].moves == 0
    escalation.refresh_from_db()
    assert (escalation.status, escalation.level, escalation.overdue) == ("acknowledged", 1, False)
    assert [k for k, _, _ in timeline(escalation)] == ["opened", "acknowledged"]


@pytest.mark.django_db(transaction=True)
def test_two_advance_runs_at_once_move_each_escalation_once(role_groups_tx, streak):
    escalations_open_from_results(at=at("2026-03-02 09:00"))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(escalations_advance(now=at("2026-03-10 00:00")))
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted((r.moves, r.flagged_overdue) for r in results) == [(0, 0), (2, 1)]
    escalation = Escalation.objects.get()
    assert (escalation.level, escalation.overdue) == (3, True)
    assert [k for k, _, _ in timeline(escalation)] == ["opened", "escalated", "escalated"]
