"""The risk register, assessments and findings, continuity plans and review cadences
(DESIGN.md section 1, risks/).

A risk's scores are stored as their factors (likelihood and impact, 1–5,
before and after controls); the scores and ratings are derived by
``risks.rules`` — in Python here, in SQL in the selectors.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from core.audit import tracked
from core.models import CovenantModel
from risks import choices, rules
from vendors.choices import Tier

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def _factor(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=ONE_TO_FIVE, help_text="1–5")


def _one_to_five(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
        name=f"risk_{name}_1_5",
        violation_error_message=f"{name.replace('_', ' ').capitalize()} must be 1–5.",
    )


RESIDUAL_ABOVE_INHERENT = "The residual score cannot be above the inherent score."


@tracked()
class Risk(CovenantModel):
    """A risk a vendor (and optionally one of its contracts) brings, on the register.

    ``likelihood`` × ``impact`` is the inherent score; ``residual_likelihood``
    × ``residual_impact`` the score left once the ``controls`` work. The
    residual score may not exceed the inherent one (form, API and a database
    check). ``next_review`` is when it is looked at again; its ``reviews`` keep
    the scores of every review, so its path over time can be drawn. Internal:
    vendor representatives never see the register.
    """

    scope_vendor_path = "vendor"
    visible_to_vendor_users = False

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="risks")
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        help_text="Optional: the contract of this vendor the risk comes with.",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=24, choices=choices.Category.choices)
    likelihood = _factor("likelihood")
    impact = _factor("impact")
    controls = models.TextField("controls / mitigation", blank=True)
    residual_likelihood = _factor("residual likelihood")
    residual_impact = _factor("residual impact")
    treatment = models.CharField(
        max_length=12, choices=choices.Treatment.choices, default=choices.Treatment.MITIGATE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
    )
    status = models.CharField(
        max_length=12, choices=choices.RiskStatus.choices, default=choices.RiskStatus.OPEN
    )
    next_review = models.DateField(
        null=True,
        blank=True,
        help_text="Left empty, it is set from the vendor's tier cadence.",
    )

    class Meta:
        ordering = ["vendor__name", "title"]
        constraints = [
            *(
                _one_to_five(name)
                for name in ("likelihood", "impact", "residual_likelihood", "residual_impact")
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("residual_likelihood") * F("residual_impact"), F("likelihood") * F("impact")
                ),
                name="risk_residual_not_above_inherent",
                violation_error_message=RESIDUAL_ABOVE_INHERENT,
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review"], name="risk_status_review")]

    def __str__(self) -> str:
        return self.title

    @property
    def inherent_score(self) -> int | None:
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int | None:
        if self.residual_likelihood is None or self.residual_impact is None:
            return None
        return self.residual_likelihood * self.residual_impact

    @property
    def inherent_rating(self) -> str | None:
        return rules.rating(self.inherent_score)

    @property
    def residual_rating(self) -> str | None:
        return rules.rating(self.residual_score)

    @property
    def is_open(self) -> bool:
        return self.status in choices.OPEN_STATUSES

    def review_state(self, today: date) -> str | None:
        """``overdue`` / ``due`` / ``scheduled`` for an open risk; None once closed."""
        return rules.review_state(self.next_review, today) if self.is_open else None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        inherent, residual = self.inherent_score, self.residual_score
        if inherent is not None and residual is not None and residual > inherent:
            message = (
                f"{RESIDUAL_ABOVE_INHERENT} Residual {self.residual_likelihood} × "
                f"{self.residual_impact} = {residual} > inherent {self.likelihood} × "
                f"{self.impact} = {inherent}: controls lower a risk, never raise it."
            )
            errors["residual_likelihood"] = message
            errors["residual_impact"] = message
        if self.contract_id and self.vendor_id:
            # By id: an unknown contract is clean_fields' error, not a crash here.
            owner = (
                type(self)
                ._meta.get_field("contract")
                .related_model.objects.filter(pk=self.contract_id)
                .values_list("vendor_id", flat=True)
                .first()
            )
            if owner is not None and owner != self.vendor_id:
                errors["contract"] = "The contract must be one of this vendor's contracts."
        if errors:
            raise ValidationError(errors)


@tracked()
class RiskReview(CovenantModel):
    """One row of a risk's history: the scores and status at that moment, who, when, why.

    ``kind`` says how it came: the risk was identified, reviewed (which sets
    the next review date) or changed between reviews. The history is what
    the score path and the quarterly residual trend are drawn from.
    """

    scope_vendor_path = "risk__vendor"
    visible_to_vendor_users = False

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(
        max_length=12, choices=choices.ReviewKind.choices, default=choices.ReviewKind.REVIEWED
    )
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    likelihood = _factor("likelihood")
    impact = _factor("impact")
    residual_likelihood = _factor("residual likelihood")
    residual_impact = _factor("residual impact")
    status = models.CharField(max_length=12, choices=choices.RiskStatus.choices)
    note = models.TextField(blank=True)
    next_review = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["risk", "reviewed_on"], name="riskreview_risk_day")]

    def __str__(self) -> str:
        return f"{self.risk}: {self.get_kind_display().lower()} {self.reviewed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.risk.get_absolute_url() + "#reviews"

    @property
    def inherent_score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    @property
    def residual_rating(self) -> str:
        return rules.rating(self.residual_score)


def assessment_evidence_upload_to(instance: Assessment, filename: str) -> str:
    """A random folder per upload: evidence is only served by the scoped download view."""
    return f"assessments/{uuid4().hex}/{PurePath(filename).name}"


@tracked()
class Assessment(CovenantModel):
    """An audit, due-diligence review, penetration test or SOC 2 report review of a vendor.

    Its ``evidence`` (the report; several files as one ZIP) is private and
    downloaded only through the permission-checked view. Internal: vendor
    representatives see no assessment, only the findings addressed to them.
    """

    scope_vendor_path = "vendor"
    visible_to_vendor_users = False

    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(max_length=20, choices=choices.AssessmentKind.choices)
    date = models.DateField(help_text="When it was performed (or the report dated).")
    assessor = models.CharField(max_length=200, blank=True, help_text="Who performed it.")
    summary = models.TextField(blank=True)
    evidence = models.FileField(upload_to=assessment_evidence_upload_to, blank=True, max_length=300)

    class Meta:
        ordering = ["-date", "vendor__name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.vendor} ({self.date:%Y-%m-%d})"


@tracked()
class Finding(CovenantModel):
    """A finding of an assessment: severity, remediation owner, due date, status.

    Vendor representatives see the findings of their own vendor's assessments
    (read-only), so they know what to remediate.
    """

    scope_vendor_path = "assessment__vendor"
    visible_to_vendor_users = True

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=8, choices=choices.Severity.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_findings",
        help_text="Who owns the remediation.",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=choices.FindingStatus.choices, default=choices.FindingStatus.OPEN
    )

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in choices.OPEN_FINDING_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


@tracked()
class ContinuityPlan(CovenantModel):
    """A vendor's business-continuity plan: contingency steps, RTO/RPO, the last test.

    Required for tier-1 vendors: one without a plan tested in the last 12
    months is flagged (``risks.rules.continuity_state``).
    """

    scope_vendor_path = "vendor"
    visible_to_vendor_users = False

    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="continuity_plans"
    )
    title = models.CharField(max_length=200)
    contingency_steps = models.TextField(blank=True)
    rto_hours = models.PositiveIntegerField("RTO (hours)", help_text="Recovery time objective.")
    rpo_hours = models.PositiveIntegerField("RPO (hours)", help_text="Recovery point objective.")
    last_test_date = models.DateField(null=True, blank=True)
    last_test_result = models.CharField(
        max_length=8, choices=choices.TestResult.choices, blank=True
    )

    class Meta:
        ordering = ["vendor__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_test_date__isnull=True, last_test_result="")
                | (Q(last_test_date__isnull=False) & ~Q(last_test_result="")),
                name="continuityplan_test_date_and_result",
                violation_error_message="A test needs both its date and its result.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} – {self.title}"

    def clean(self) -> None:
        if self.last_test_date and not self.last_test_result:
            raise ValidationError({"last_test_result": "Give the result of the last test."})
        if self.last_test_result and not self.last_test_date:
            raise ValidationError({"last_test_date": "Give the date of the last test."})


@tracked()
class ReviewCadence(CovenantModel):
    """How often risks and the reassessment of a vendor of ``tier`` come due, in months.

    One row per tier (tier 1 every 3 months, tier 2 every 6, tiers 3 and 4
    every 12 by default); editable by the governance office.
    """

    scope_vendor_path = "pk"  # not a vendor's row: only the role decides (see the views)
    visible_to_vendor_users = False

    tier = models.PositiveSmallIntegerField(choices=Tier.choices, unique=True)
    months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(36)], help_text="1–36 months."
    )

    class Meta:
        ordering = ["tier"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=36),
                name="reviewcadence_months_1_36",
                violation_error_message="A cadence is 1–36 months.",
            )
        ]

    def __str__(self) -> str:
        return f"Tier {self.tier}: every {self.months} months"

    def get_absolute_url(self) -> str:
        return reverse("risks:reviewcadence_list")


class ReviewReminder(models.Model):
    """A review-due notice that was sent: one per subject, object and due date.

    ``subject`` is a risk review (``object_id`` = the risk) or a vendor
    reassessment (``object_id`` = the vendor). The unique key makes the daily
    job idempotent; a review moved to a new date is notified afresh.
    """

    subject = models.CharField(max_length=14, choices=choices.ReviewSubject.choices)
    object_id = models.PositiveIntegerField()
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_on = models.DateField()
    recipients = models.TextField(blank=True, help_text="Usernames it went to, comma-separated.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object_id", "due_on"], name="reviewreminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} #{self.object_id} due {self.due_on:%Y-%m-%d}"
