"""Vendor selection: sourcing events, weighted criteria, candidates and their proposals,
due diligence, blind scoring by evaluators, the award and the transition in.

The scoring rule (``sourcing.scoring``) and the award rule (``sourcing.services``)
are written down where they are implemented.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.audit import tracked
from core.models import CovenantModel
from sourcing import choices

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 16, "decimal_places": 2}


@tracked()
class SourcingEvent(CovenantModel):
    """A request for proposals: scope, objectives, weighted criteria and the decision.

    Only the office sees events; a vendor representative sees its own
    proposal's status (``Proposal``), never the event's criteria, scores or
    the other candidates.
    """

    scope_vendor_path = "candidates__vendor"

    title = models.CharField(max_length=200)
    scope = models.TextField(blank=True)
    objectives = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=choices.EventStatus.choices, default=choices.EventStatus.DRAFT
    )
    decision_date = models.DateField(
        null=True, blank=True, help_text="Certifications must be valid on this day."
    )
    awarded_candidate = models.ForeignKey(
        "Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award_rationale = models.TextField(blank=True)
    awarded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(null=True, blank=True)
    # The printable evaluation summary, rendered by a Celery task
    # (sourcing.tasks.render_evaluation_summary_task through core.pdf).
    summary_pdf = models.FileField(upload_to="sourcing/summaries/", blank=True, max_length=300)
    summary_run = models.ForeignKey(
        "core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


@tracked()
class Criterion(CovenantModel):
    """One weighted criterion of an event; an event's weights sum to 100 before scoring."""

    scope_vendor_path = "event__candidates__vendor"

    event = models.ForeignKey(SourcingEvent, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=100)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text="Percent of the total; an event's weights sum to 100.",
    )
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["event", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="criterion_name_once_per_event",
                violation_error_message="This event already has a criterion of that name.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100),
                name="criterion_weight_0_100",
                violation_error_message="A weight is above 0 and at most 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight} %)"


@tracked()
class Candidate(CovenantModel):
    """A vendor (a prospect or one being evaluated) invited to an event."""

    event = models.ForeignKey(SourcingEvent, on_delete=models.CASCADE, related_name="candidates")
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="sourcing_candidacies"
    )
    status = models.CharField(
        max_length=16,
        choices=choices.CandidateStatus.choices,
        default=choices.CandidateStatus.INVITED,
    )

    class Meta:
        ordering = ["event", "vendor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "vendor"],
                name="candidate_once_per_event",
                violation_error_message="This vendor is already a candidate of the event.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor} – {self.event}"


def proposal_upload_to(instance: Proposal, filename: str) -> str:
    return f"sourcing/proposals/{instance.candidate_id}/{filename}"


@tracked()
class Proposal(CovenantModel):
    """A candidate's proposal: price, notes, document. Its vendor's users see it and its status."""

    scope_vendor_path = "candidate__vendor"
    visible_to_vendor_users = True

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="proposal")
    price = models.DecimalField(help_text="Proposed annual price.", **MONEY)
    currency = models.CharField(max_length=3, default="EUR")
    notes = models.TextField(blank=True)
    document = models.FileField(upload_to=proposal_upload_to, blank=True, max_length=300)

    class Meta:
        ordering = ["candidate__event", "candidate__vendor__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="proposal_price_non_negative",
                violation_error_message="The price cannot be negative.",
            )
        ]

    def __str__(self) -> str:
        return f"Proposal of {self.candidate.vendor}"

    def clean(self) -> None:
        if self.price is not None and self.price < 0:
            raise ValidationError({"price": "The price cannot be negative."})


@tracked()
class DueDiligenceItem(CovenantModel):
    """One check of a candidate; an open blocking item stops the award to that candidate.

    Certification kinds (ISO 27001, SOC 2, CMMI ≥ ``cmmi_min_level``) are
    decided from the vendor's certifications valid on the event's decision
    date (``sourcing.selectors.item_cleared``); the others by their status.
    """

    scope_vendor_path = "candidate__vendor"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="due_diligence")
    kind = models.CharField(max_length=24, choices=choices.DueDiligenceKind.choices)
    cmmi_min_level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="CMMI items: the lowest level accepted.",
    )
    status = models.CharField(
        max_length=8,
        choices=choices.DueDiligenceStatus.choices,
        default=choices.DueDiligenceStatus.OPEN,
    )
    blocking = models.BooleanField(default=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["candidate", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.candidate.vendor}"

    def get_absolute_url(self) -> str:
        return self.candidate.event.get_absolute_url()  # shown on its event's page

    def clean(self) -> None:
        if self.kind == choices.DueDiligenceKind.CMMI and not self.cmmi_min_level:
            raise ValidationError({"cmmi_min_level": "Give the lowest CMMI level accepted."})


@tracked()
class EvaluatorAssignment(CovenantModel):
    """An evaluator of an event; ``submitted_at`` ends their blind scoring."""

    scope_vendor_path = "event__candidates__vendor"

    event = models.ForeignKey(SourcingEvent, on_delete=models.CASCADE, related_name="evaluators")
    evaluator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "evaluator__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "evaluator"],
                name="evaluator_once_per_event",
                violation_error_message="This person already evaluates the event.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} on {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()


@tracked()
class Score(CovenantModel):
    """An evaluator's 0–5 score of one proposal on one criterion, with a comment."""

    scope_vendor_path = "proposal__candidate__vendor"

    evaluator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["proposal", "criterion", "evaluator"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "proposal", "criterion"],
                name="score_once_per_evaluator",
                violation_error_message="This evaluator already scored that criterion.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=5),
                name="score_0_5",
                violation_error_message="A score is from 0 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


@tracked()
class TransitionPlan(CovenantModel):
    """How the awarded vendor takes the service in (the mirror of contracts' exit plan)."""

    event = models.OneToOneField(
        SourcingEvent, on_delete=models.PROTECT, related_name="transition_plan"
    )
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="transition_plans"
    )
    summary = models.TextField(blank=True)
    knowledge_transfer = models.TextField(blank=True)
    go_live_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["vendor__name"]

    def __str__(self) -> str:
        return f"Transition in – {self.vendor}"


@tracked()
class TransitionStep(CovenantModel):
    """One step of a transition in, with owner and dates."""

    scope_vendor_path = "plan__vendor"

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=choices.StepStatus.choices, default=choices.StepStatus.PLANNED
    )

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="transition_step_due_after_start",
                violation_error_message="The due date cannot be before the start date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def clean(self) -> None:
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError({"due_date": "The due date cannot be before the start date."})


@tracked()
class ReadinessCriterion(CovenantModel):
    """A go/no-go criterion of a transition in: go-live needs every one met."""

    scope_vendor_path = "plan__vendor"

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="readiness")
    description = models.CharField(max_length=300)
    met = models.BooleanField(default=False)

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()
