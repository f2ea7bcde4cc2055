"""Governance: escalation plans and escalations, forums, meetings and their decisions,
and the action log (DESIGN.md section 1, governance/; section 2, "Escalation").

Escalations are opened by hand or by ``governance.escalation.escalations_open_from_results``
after each SLA evaluation, and moved up their plan's levels by the
``escalations-advance`` job; both are set-based SQL (``governance/escalation.py``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from core.audit import tracked
from core.models import CovenantModel
from governance import choices

USER = settings.AUTH_USER_MODEL


@tracked()
class EscalationPlan(CovenantModel):
    """Who an escalation goes to, level after level, for one vendor (or one of its contracts).

    A contract's own plan wins over its vendor's plan. ``consecutive_breaches``
    is N of DESIGN.md section 2: an SLA breached in N consecutive periods opens
    an escalation (a critical breach opens one at once). The levels
    (``EscalationLevel``) are numbered 1, 2, … without gaps; exactly one of
    them is the escalation executive (checked by ``escalation_plan_save``).
    """

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only for this contract; empty: the vendor's plan for all its contracts.",
    )
    consecutive_breaches = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1)],
        help_text="Breached periods in a row that open an escalation.",
    )

    class Meta:
        ordering = ["vendor__name", "contract__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor"],
                condition=Q(contract__isnull=True),
                name="escalation_plan_one_per_vendor",
                violation_error_message="This vendor already has an escalation plan.",
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(contract__isnull=False),
                name="escalation_plan_one_per_contract",
                violation_error_message="This contract already has an escalation plan.",
            ),
            models.CheckConstraint(
                condition=Q(consecutive_breaches__gte=1),
                name="escalation_plan_n_positive",
                violation_error_message="At least one breached period is needed.",
            ),
        ]

    def __str__(self) -> str:
        if self.contract_id:
            return f"Escalation plan {self.vendor} / {self.contract.reference}"
        return f"Escalation plan {self.vendor}"


@tracked()
class EscalationLevel(CovenantModel):
    """One rung of a plan: who is contacted (a user or a contact of the matrix) and within
    how many hours they must respond before the escalation climbs to the next rung."""

    scope_vendor_path = "plan__vendor"

    plan = models.ForeignKey(EscalationPlan, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=200)
    contact_user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "vendors.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_hours = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    is_executive = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "level"],
                name="escalation_level_unique",
                violation_error_message="This plan already has that level.",
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(is_executive=True),
                name="escalation_level_one_executive",
                violation_error_message="A plan has exactly one escalation executive.",
            ),
            models.CheckConstraint(
                condition=Q(contact_user__isnull=True, contact__isnull=False)
                | Q(contact_user__isnull=False, contact__isnull=True),
                name="escalation_level_one_contact",
                violation_error_message="Name either a user or a contact, not both.",
            ),
            models.CheckConstraint(
                condition=Q(response_hours__gte=1) & Q(level__gte=1),
                name="escalation_level_positive",
                violation_error_message="Levels and response hours start at 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.name}"

    @property
    def contact_label(self) -> str:
        if self.contact_user_id:
            return self.contact_user.display_name
        return self.contact.name if self.contact_id else ""


@tracked()
class Escalation(CovenantModel):
    """A matter raised up a vendor's escalation plan until someone acknowledges it.

    Opened by hand on a breach, risk, action item or free text, or automatically
    from the SLA results (``sla`` and ``streak_start`` then name the streak of
    breached periods, ``trigger_period`` the period that opened it; one
    escalation per streak). ``due_at`` is when the current level must have
    responded; ``overdue`` is set when the top level's time has passed too.
    """

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    # No index of its own on plan, opener or SLA: each index is written again by
    # every move of every escalation (the advance job's cost, BENCHMARKS.md);
    # lookups by SLA use the unique (sla, streak_start) index.
    plan = models.ForeignKey(
        EscalationPlan, on_delete=models.PROTECT, related_name="escalations", db_index=False
    )
    subject_type = models.CharField(
        max_length=12, choices=choices.SubjectType.choices, default=choices.SubjectType.OTHER
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=12,
        choices=choices.EscalationStatus.choices,
        default=choices.EscalationStatus.OPEN,
    )
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    overdue = models.BooleanField(default=False)
    opened_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The streak of an automatic escalation (NULL for those opened by hand).
    sla = models.ForeignKey(
        "slas.SLA", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )  # fmt: skip
    streak_start = models.DateField(null=True, blank=True)
    trigger_period = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sla", "streak_start"],
                condition=Q(sla__isnull=False),
                name="escalation_one_per_streak",
            ),
        ]
        # On status, not on due_at: a move rewrites due_at and level only, so with
        # no index on them (and room on the page: fillfactor 80, migration 0003)
        # PostgreSQL updates the row in place (HOT) without touching any index.
        indexes = [models.Index(fields=["status"], name="escalation_status")]

    def __str__(self) -> str:
        return self.title


class EscalationTimelineEvent(models.Model):
    """One step on an escalation's timeline: opened, escalated to a level, acknowledged,
    resolved, cause withdrawn, or a note — when, at which level, by whom.

    Written once, never changed (except ``notified_at``, set when the
    notifications for it went out). The unique key makes the jobs idempotent:
    an escalation is opened, moved to a level and loses its cause at most once
    each.
    """

    # No index of its own: the unique key ``escalation_event_unique`` leads with it
    # (one index entry less for each of the advance job's inserts, BENCHMARKS.md).
    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, related_name="timeline", db_index=False
    )
    at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=choices.EventKind.choices)
    level = models.PositiveSmallIntegerField()
    by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    note = models.TextField(blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            # One unique key for the three rules, and the escalation's lookup index:
            # moved to a level once (escalation, "escalated", level); opened and
            # cause withdrawn once each (escalation, kind, 0); every other event
            # is its own (escalation, kind, id), so any number of them.
            models.UniqueConstraint(
                F("escalation"),
                F("kind"),
                Case(
                    When(kind="escalated", then=F("level")),
                    When(kind__in=["opened", "cause_withdrawn"], then=Value(0)),
                    default=F("id"),
                    output_field=models.BigIntegerField(),
                ),
                name="escalation_event_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"], name="escalation_event_unnotified", condition=Q(notified_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.escalation_id}: {self.kind} (level {self.level}) at {self.at:%Y-%m-%d %H:%M}"


@tracked()
class Forum(CovenantModel):
    """A governance body (joint steering committee, operational review, …): members and cadence.

    ``vendor`` is optional: a forum may govern one vendor or the whole portfolio.
    """

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=choices.ForumKind.choices)
    cadence = models.CharField(max_length=12, choices=choices.Cadence.choices)
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(blank=True)
    members = models.ManyToManyField(USER, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@tracked()
class Meeting(CovenantModel):
    """One meeting of a forum, with a vendor: attendees, agenda, minutes; decisions are rows.

    The QBR meeting of a quarter links its report(s) through
    ``reports.QBRReport.meeting`` (reverse: ``meeting.qbr_reports``): reports sits
    above governance in the import order, so the foreign key lives there.
    """

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    vendor = models.ForeignKey(
        "vendors.Vendor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=choices.MeetingKind.choices)
    title = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(USER, blank=True, related_name="+")
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title or f"{self.forum} {self.date:%Y-%m-%d}"


@tracked()
class Decision(CovenantModel):
    """A decision taken in a meeting (the QBR reads those of its quarter)."""

    scope_vendor_path = "meeting__vendor"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    decided_at = models.DateField()

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


@tracked()
class ActionItem(CovenantModel):
    """An entry of the issue list: what, who, by when, how urgent, where it came from.

    Linked optionally to the meeting, breach, escalation, risk or assessment
    finding it came from.
    Overdue: still open or in progress after its due date. A vendor's
    representative sees the items assigned to their vendor and may change
    their status and note only (``action_item_update``).
    """

    visible_to_vendor_users = True
    vendor_users_may_change = True
    # The risk register and escalations are the office's: representatives see no link to them.
    internal_fields = ("risk", "escalation")

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    priority = models.CharField(
        max_length=8, choices=choices.Priority.choices, default=choices.Priority.MEDIUM
    )
    status = models.CharField(
        max_length=12, choices=choices.ActionStatus.choices, default=choices.ActionStatus.OPEN
    )
    note = models.TextField(blank=True, help_text="Progress notes (either side).")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    breach = models.ForeignKey(
        "slas.Breach", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalation = models.ForeignKey(
        Escalation, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    risk = models.ForeignKey(
        "risks.Risk", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finding = models.ForeignKey(
        "risks.Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_item_status_due")]

    def __str__(self) -> str:
        return self.title

    def overdue_on(self, today: date) -> bool:
        return self.status in choices.ACTION_PENDING and self.due_date < today

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())


class ActionReminder(models.Model):
    """An action-item reminder that went out: one per item, due date and kind (idempotency)."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    kind = models.CharField(max_length=8, choices=choices.ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action_item", "due_date", "kind"], name="action_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_item_id} {self.kind} {self.due_date}"
