"""The improvement programme (Gartner's nine steps; DESIGN.md section 1, governance/).

Situation assessments with their key issues; goals agreed by both sides and
linked to the SLAs/KPIs that show them; the issue list's numbered
publications; the quarterly relationship health survey; the innovation log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from core.audit import tracked
from core.models import CovenantModel
from improvement import choices

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 16, "decimal_places": 2}
VALUE = {"max_digits": 20, "decimal_places": 6}  # as slas.models.VALUE: a goal reads SLA figures
QUARTER = RegexValidator(r"^\d{4}Q[1-4]$", "A quarter reads like 2026Q3.")
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


@tracked()
class SituationAssessment(CovenantModel):
    """Where a relationship stands before improving it (step one): its key issues.

    Internal to the client: the vendor's representatives do not see it.
    """

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    assessed_on = models.DateField()
    summary = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.title}"


@tracked()
class KeyIssue(CovenantModel):
    """One key issue of an assessment and the investment needed to fix it."""

    scope_vendor_path = "assessment__vendor"

    assessment = models.ForeignKey(
        SituationAssessment, on_delete=models.CASCADE, related_name="key_issues"
    )
    description = models.TextField()
    investment_needed = models.DecimalField(
        **MONEY, default=0, validators=[MinValueValidator(0)], help_text="Money needed to fix it."
    )
    currency = models.CharField(max_length=3, default="EUR")

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment_needed__gte=0),
                name="key_issue_investment_not_negative",
                violation_error_message="The investment needed cannot be negative.",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]


@tracked()
class Goal(CovenantModel):
    """An improvement goal (or a contract's business case), agreed by both sides.

    ``slas`` are the SLAs/KPIs whose latest results show progress. The client
    owner and a vendor representative each record their agreement (who and
    when); the goal is agreed only with both. A change to its terms clears
    both agreements (``improvement.services.goal_update``). Vendor
    representatives see their vendor's goals and may only agree to them.
    """

    visible_to_vendor_users = True

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(
        max_length=16, choices=choices.GoalKind.choices, default=choices.GoalKind.IMPROVEMENT
    )
    baseline_value = models.DecimalField(**VALUE, null=True, blank=True)
    target_value = models.DecimalField(**VALUE, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    target_date = models.DateField(null=True, blank=True)
    slas = models.ManyToManyField(
        "slas.SLA", blank=True, related_name="+", help_text="SLAs/KPIs that will show it."
    )
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The client owner of the goal.",
    )  # fmt: skip
    client_agreed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_agreed_at = models.DateTimeField(null=True, blank=True)
    vendor_agreed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vendor_agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["vendor__name", "target_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def agreement(self) -> str:
        client, vendor = self.client_agreed_at is not None, self.vendor_agreed_at is not None
        if client and vendor:
            return choices.Agreement.AGREED
        if client:
            return choices.Agreement.AWAITING_VENDOR
        if vendor:
            return choices.Agreement.AWAITING_CLIENT
        return choices.Agreement.DRAFT

    @property
    def is_agreed(self) -> bool:
        return self.agreement == choices.Agreement.AGREED

    def get_agreement_display(self) -> str:
        return choices.Agreement(self.agreement).label


@tracked()
class IssueListPublication(CovenantModel):
    """One numbered version of a vendor's issue list: approved, then published.

    ``items`` freezes the action items as they were at approval; publishing
    e-mails the vendor's contacts of the communication matrix (``recipients``).
    """

    visible_to_vendor_users = True

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    items = models.JSONField(default=list, blank=True)  # an empty issue list is a list too
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["vendor__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "version"],
                name="issue_list_version_once",
                violation_error_message="This version of the vendor's issue list exists.",
            )
        ]

    def __str__(self) -> str:
        return f"Issue list {self.vendor} v{self.version}"


@tracked()
class HealthSurvey(CovenantModel):
    """One side's answers to the quarterly relationship health survey (1–5 each).

    One per vendor, quarter and side; the vendor's representative answers the
    vendor side. The index and gap are ``improvement.health`` rules.
    """

    visible_to_vendor_users = True
    vendor_users_may_change = True

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=6, validators=[QUARTER])
    side = models.CharField(max_length=6, choices=choices.Side.choices)
    communication = models.PositiveSmallIntegerField(validators=SCORE)
    responsiveness = models.PositiveSmallIntegerField(validators=SCORE)
    flexibility = models.PositiveSmallIntegerField(validators=SCORE)
    quality = models.PositiveSmallIntegerField(validators=SCORE)
    innovation = models.PositiveSmallIntegerField(validators=SCORE)
    trust = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["vendor__name", "-quarter", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "quarter", "side"],
                name="health_survey_once_per_side",
                violation_error_message="This side has already answered for this quarter.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__regex=r"^\d{4}Q[1-4]$"),
                name="health_survey_quarter_format",
                violation_error_message="A quarter reads like 2026Q3.",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"health_survey_{name}_1_5",
                    violation_error_message=f"{name.capitalize()} is scored 1 to 5.",
                )
                for name in choices.DIMENSIONS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.quarter} ({self.get_side_display()})"

    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in choices.DIMENSIONS}


@tracked()
class Idea(CovenantModel):
    """An entry of the innovation log: an improvement idea from either side.

    The client side decides (approved, rejected) and records it implemented,
    with the realised benefit; a vendor representative proposes ideas for
    their vendor and may edit them while proposed.
    """

    visible_to_vendor_users = True
    vendor_users_may_change = True

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    proposed_by = models.CharField(max_length=6, choices=choices.Side.choices)
    proposer = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=choices.IdeaStatus.choices, default=choices.IdeaStatus.PROPOSED
    )
    currency = models.CharField(max_length=3, default="EUR")
    expected_benefit = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Expected yearly benefit in money.",
    )  # fmt: skip
    realised_benefit = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Benefit realised, once implemented.",
    )  # fmt: skip
    benefit_note = models.TextField(blank=True, help_text="Benefits that are not money.")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["vendor__name", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(realised_benefit__isnull=True) | Q(status="implemented"),
                name="idea_realised_only_when_implemented",
                violation_error_message="A realised benefit is recorded once implemented.",
            )
        ]

    def __str__(self) -> str:
        return self.title
