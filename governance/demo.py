"""The governance part of the demo seed (``registry.register_app(demo=...)``).

* Escalation plans for the tier-1 and tier-2 vendors: service manager (8 h),
  head of vendor management (24 h), the CIO as escalation executive (48 h); N = 2.
* Escalations opened by the real engine from the evaluated SLA results, with
  past ``at`` values so their events are real: one has climbed to the
  executive, one was acknowledged at level 1; the rest opened this morning.
* Forums with a year of meetings, decisions and action items (some overdue).

Idempotent: every row is found again by its natural key, and the engine opens
nothing twice for a streak.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from core.seeding import Seeder, add_months, rng
from governance import services
from governance.choices import ActionStatus
from governance.escalation import escalations_advance, escalations_open_from_results
from governance.models import ActionItem, Decision, Escalation, EscalationPlan, Forum, Meeting
from slas.models import SLA, Breach
from vendors.models import Vendor

# (vendor name or None for the portfolio, forum name, kind, cadence, meeting kind)
FORUMS = [
    ("Northwind BPO", "Northwind joint steering committee", "jsc", "quarterly", "qbr"),
    ("Northwind BPO", "Northwind operational review", "ops_review", "monthly", "ops_review"),
    ("Meridian Infotech", "Meridian joint steering committee", "jsc", "quarterly", "jsc"),
    ("Meridian Infotech", "Meridian operational review", "ops_review", "monthly", "ops_review"),
    (None, "Portfolio governance board", "jsc", "quarterly", "jsc"),
]
DECISIONS = [
    "Approve the remediation plan for the missed service levels",
    "Add a second shift to clear the backlog before month end",
    "Move the next QBR to the client's offices",
    "Launch an automation pilot for invoice matching",
    "Agree the revised staffing model for peak season",
    "Commission a root-cause review of the P1 incidents",
]
ACTIONS = [
    "Send the root-cause analysis of the last breach",
    "Update the capacity plan for the next quarter",
    "Review the knowledge-transfer checklist",
    "Share the automation business case",
    "Confirm the disaster-recovery test date",
    "Propose service-credit earn-back milestones",
]


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def seed_governance(seeder: Seeder) -> None:
    """Plans, escalations, forums, meetings, decisions and actions of the demo portfolio."""
    staff = {h: seeder.users.get(h) for h in ("governance", "manager", "executive", "admin")}
    if not all(staff.values()):
        return  # the demo users come first; nothing to hang governance on without them
    vendors = list(Vendor.objects.filter(tier__in=[1, 2]).order_by("name"))
    for vendor in vendors:
        _seed_plan(seeder, vendor=vendor, staff=staff)
    _seed_escalations(seeder)
    for vendor_name, name, kind, cadence, meeting_kind in FORUMS:
        vendor = Vendor.objects.filter(name=vendor_name).first() if vendor_name else None
        if vendor_name and vendor is None:
            continue
        _seed_forum(
            seeder, vendor=vendor, name=name, kind=kind, cadence=cadence, meeting_kind=meeting_kind,
            staff=staff,
        )  # fmt: skip


def _seed_plan(seeder: Seeder, *, vendor: Vendor, staff: dict) -> None:
    if EscalationPlan.objects.filter(vendor=vendor, contract=None).exists():
        return
    first = vendor.relationship_owner or staff["manager"]
    services.escalation_plan_create(
        actor=seeder.actor,
        data={
            "vendor": vendor,
            "consecutive_breaches": 2,
            "levels": [
                _level(1, "Service delivery manager", first, 8),
                _level(2, "Head of vendor management", staff["governance"], 24),
                _level(3, "Chief information officer", staff["executive"], 48, executive=True),
            ],
        },
    )  # fmt: skip
    seeder.created["escalation plans"] = seeder.created.get("escalation plans", 0) + 1


def _level(number: int, name: str, user, hours: int, *, executive: bool = False) -> dict:
    return {
        "level": number,
        "name": name,
        "contact_user": user,
        "response_hours": hours,
        "is_executive": executive,
    }


def _seed_escalations(seeder: Seeder) -> None:
    """Open escalations from the results with past times, so the timelines are real.

    The story needs two: one that climbed to the executive and one that was
    acknowledged. Where the results hold fewer streaks, the missing one is
    opened by hand on a recent breach, through the same service, at a past time.
    """
    before = Escalation.objects.count()
    if not before:
        candidates = list(
            SLA.objects.filter(contract__vendor__tier__in=[1, 2])
            .order_by("contract__vendor__tier", "contract__vendor__name", "name")
            .values_list("pk", flat=True)
        )
        opened_at = _moment(seeder.today - timedelta(days=6), 9)
        climbed = _open_first(candidates, at=opened_at) or _by_hand(seeder, at=opened_at)
        if climbed is not None:
            # Nobody answered: 8 h, then 24 h later it reached the executive, and
            # 48 h after that it is overdue at the top (the job ran this morning).
            escalations_advance(now=_moment(seeder.today, 7), escalation_ids=[climbed.pk])
        rest = [pk for pk in candidates if climbed is None or pk != climbed.sla_id]
        opened_at = _moment(seeder.today - timedelta(days=2), 10)
        acknowledged = _open_first(rest, at=opened_at) or _by_hand(seeder, at=opened_at)
        if acknowledged is not None:
            services.escalation_acknowledge(
                escalation=acknowledged,
                actor=seeder.users["manager"],
                note="Vendor called; remediation plan due Friday.",
                at=_moment(seeder.today - timedelta(days=2), 14),
            )
    # Everything else the results call for, opened this morning.
    escalations_open_from_results(at=_moment(seeder.today, 7))
    # Only what this run opened: a second run opens nothing and reports nothing.
    count = Escalation.objects.count() - before
    if count:
        seeder.created["escalations"] = count


def _open_first(sla_ids: list[int], *, at: datetime) -> Escalation | None:
    """Open the escalation of the first of ``sla_ids`` whose results call for one."""
    for sla_id in sla_ids:
        if escalations_open_from_results(sla_ids=[sla_id], at=at).opened:
            return Escalation.objects.filter(sla_id=sla_id).order_by("-id").first()
    return None


def _by_hand(seeder: Seeder, *, at: datetime) -> Escalation | None:
    """An escalation opened by the office on the latest breach not escalated yet."""
    taken = Escalation.objects.filter(subject_type="breach").values("subject_id")
    breach = (
        Breach.objects.filter(sla__contract__vendor__tier__in=[1, 2])
        .exclude(status="withdrawn")
        .exclude(pk__in=taken)
        .select_related("sla__contract__vendor")
        .order_by("-period_start", "sla_id")
        .first()
    )
    if breach is None:
        return None
    vendor = breach.sla.contract.vendor
    return services.escalation_create(
        actor=seeder.users["governance"],
        data={
            "vendor": vendor,
            "subject_type": "breach",
            "subject_id": breach.pk,
            "title": f"{breach.sla}: breached in the period from {breach.period_start}",
            "description": "Raised in the operational review: the vendor's recovery plan is late.",
        },
        at=at,
    )


def _seed_forum(seeder: Seeder, *, vendor, name, kind, cadence, meeting_kind, staff) -> None:
    forum = seeder.upsert(
        Forum,
        lookup={"name": name},
        data={"kind": kind, "cadence": cadence, "vendor": vendor},
        service="governance.services.forum_create",
    )
    members = [staff["governance"], staff["manager"]] + (
        [staff["executive"]] if kind == "jsc" else []
    )
    if set(forum.members.values_list("pk", flat=True)) != {m.pk for m in members}:
        forum.members.set(members)
    step = 1 if cadence == "monthly" else 3
    # A year of meetings: the latest a few days ago, one cadence step apart.
    for index in range(12 // step):
        day = add_months(seeder.today - timedelta(days=5), -index * step)
        _seed_meeting(
            seeder, forum=forum, vendor=vendor, day=day, kind=meeting_kind, index=index, staff=staff
        )


def _seed_meeting(seeder: Seeder, *, forum, vendor, day, kind, index, staff) -> None:
    meeting = Meeting.objects.filter(forum=forum, date=day).first()
    if meeting is None:
        noise = rng("meeting", forum.name, day)
        decisions = [{"text": t} for t in noise.sample(DECISIONS, 2)]
        meeting = services.meeting_create(
            actor=seeder.actor,
            data={
                "forum": forum,
                "vendor": vendor,
                "date": day,
                "kind": kind,
                "title": f"{forum.name} – {day:%B %Y}",
                "agenda": "1. Service performance\n2. Open actions\n3. Risks and escalations",
                "minutes": "Performance reviewed against the scorecard; actions agreed below.",
                "attendees": [staff["governance"], staff["manager"]],
                "decisions": decisions,
            },
        )
        seeder.created["meetings"] = seeder.created.get("meetings", 0) + 1
    if vendor is None or not Decision.objects.filter(meeting=meeting).exists():
        return
    title = ACTIONS[(index + len(forum.name)) % len(ACTIONS)]
    if ActionItem.objects.filter(meeting=meeting, title=title).exists():
        return
    due = day + timedelta(days=21)
    # Old actions are done; a few recent ones ran past their date (overdue).
    if due < seeder.today - timedelta(days=60):
        status = ActionStatus.DONE
    elif due < seeder.today:
        status = ActionStatus.OPEN if index % 2 else ActionStatus.IN_PROGRESS
    else:
        status = ActionStatus.OPEN
    services.action_item_create(
        actor=seeder.actor,
        data={
            "title": title,
            "owner": staff["manager"] if index % 2 else staff["governance"],
            "vendor": vendor,
            "due_date": due,
            "priority": ("high", "medium", "critical", "low")[index % 4],
            "status": status,
            "meeting": meeting,
        },
    )
    seeder.created["action items"] = seeder.created.get("action items", 0) + 1
