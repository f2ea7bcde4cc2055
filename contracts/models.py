"""Contracts and what hangs off them (DESIGN.md section 1, contracts/).

Money is ``Decimal`` with 2 places; percentages are 0–100. The date engine
(notice deadline, next renewal, roll-over) lives in ``contracts/dates.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Round

from contracts import choices, dates
from core.audit import tracked
from core.models import CovenantModel

MONEY = {"max_digits": 16, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


@tracked()
class Contract(CovenantModel):
    """An MSA, SOW or amendment with a vendor: term, renewal, money, scope.

    ``at_risk_percent`` is the share of the monthly charge that service credits
    can take (the at-risk pool); ``earn_back_periods`` > 0 lets a vendor earn a
    credit back (DESIGN.md section 2). ``notice_deadline`` is stored so lists
    can filter and sort on it; ``contracts.services`` recomputes it on every
    write from ``contracts.dates``.
    """

    scope_vendor_path = "vendor"
    visible_to_vendor_users = True
    # Internal figures vendor representatives never see (DESIGN.md section 7;
    # core.permissions.hidden_fields: API and pages leave them out).
    internal_fields = (
        "baseline_annual_cost",
        "target_savings_percent",
        "transition_cost",
        "transition_cost_month",
    )

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=300)
    contract_type = models.CharField(
        max_length=12, choices=choices.ContractType.choices, default=choices.ContractType.MSA
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The MSA a SOW or amendment falls under.",
    )
    start_date = models.DateField()
    end_date = models.DateField()
    renewal = models.CharField(
        max_length=14, choices=choices.Renewal.choices, default=choices.Renewal.NONE
    )
    renewal_months = models.PositiveSmallIntegerField(
        default=0, help_text="Renewal term in months."
    )
    notice_days = models.PositiveSmallIntegerField(default=0, help_text="Notice period in days.")
    notice_deadline = models.DateField(null=True, blank=True, editable=False)
    currency = models.CharField(max_length=3, default="EUR")
    monthly_charge = models.DecimalField(default=Decimal("0"), **MONEY)
    total_value = models.DecimalField(default=Decimal("0"), **MONEY)
    at_risk_percent = models.DecimalField(default=Decimal("0"), **PERCENT)
    # DESIGN.md section 2: "the at-risk amount of a contract is monthly charge ×
    # at-risk percent / 100" — to the cent, half away from zero (PostgreSQL
    # ``round``). Computed by the database, so there is one definition: the
    # evaluation engine's cap, the credit statements (``slas.credits``), the
    # contract page and the API all read this column.
    at_risk_amount = models.GeneratedField(
        expression=Round(F("monthly_charge") * F("at_risk_percent") / Value(Decimal(100)), 2),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
    )
    earn_back_periods = models.PositiveSmallIntegerField(default=0)
    baseline_annual_cost = models.DecimalField(default=Decimal("0"), **MONEY)
    target_savings_percent = models.DecimalField(default=Decimal("0"), **PERCENT)
    # The one-off cost of bringing the service in (contracts/value.py: the
    # payback month is when cumulative savings first cover it).
    transition_cost = models.DecimalField(
        default=Decimal("0"), help_text="One-off transition cost.", **MONEY
    )
    transition_cost_month = models.DateField(
        null=True, blank=True, help_text="First day of the month the transition cost was paid."
    )
    scope_in = models.TextField(blank=True)
    scope_out = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=choices.ContractStatus.choices, default=choices.ContractStatus.DRAFT
    )

    class Meta:
        ordering = ["vendor__name", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="contract_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(monthly_charge__gte=0)
                & Q(total_value__gte=0)
                & Q(baseline_annual_cost__gte=0),
                name="contract_money_non_negative",
                violation_error_message="Amounts cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(at_risk_percent__gte=0, at_risk_percent__lte=100)
                & Q(target_savings_percent__gte=0, target_savings_percent__lte=100),
                name="contract_percent_0_100",
                violation_error_message="Percentages must be between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=Q(renewal="none") | Q(renewal_months__gt=0),
                name="contract_renewal_term",
                violation_error_message="A renewing contract needs a renewal term in months.",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="contract_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"

    def clean(self) -> None:
        # Field-keyed messages, so forms, the admin and the API name the field;
        # the check constraints above stay as the database's last word.
        _raise(_contract_errors(self))

    @property
    def next_renewal_date(self):
        """The day after the term end when the contract renews (see ``contracts.dates``)."""
        if self.status in (choices.ContractStatus.EXPIRED, choices.ContractStatus.TERMINATED):
            return None
        return dates.next_renewal_date(self.end_date, self.renewal)


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _contract_errors(contract: Contract) -> dict[str, str]:
    """Field-keyed problems of a contract: dates, money, renewal term, parent contract.

    A SOW or an amendment may name a parent, which must be an MSA of the same
    vendor; an MSA has no parent.
    """
    errors: dict[str, str] = {}
    if contract.start_date and contract.end_date and contract.end_date < contract.start_date:
        errors["end_date"] = "The end date cannot be before the start date."
    for name in ("monthly_charge", "total_value", "baseline_annual_cost", "transition_cost"):
        value = getattr(contract, name)
        if value is not None and value < 0:
            errors[name] = "The amount cannot be negative."
    # contracts/value.py counts the payback from this month: it is named by its first day.
    if contract.transition_cost_month and contract.transition_cost_month.day != 1:
        errors["transition_cost_month"] = "Give the month by its first day (e.g. 2026-01-01)."
    if contract.renewal != choices.Renewal.NONE and not contract.renewal_months:
        errors["renewal_months"] = "A renewing contract needs a renewal term in months."
    if contract.parent_id is not None:
        parent = contract.parent
        if contract.contract_type == choices.ContractType.MSA:
            errors["parent"] = "An MSA cannot have a parent contract."
        elif contract.pk is not None and parent.pk == contract.pk:
            errors["parent"] = "A contract cannot be its own parent."
        elif parent.contract_type != choices.ContractType.MSA:
            errors["parent"] = "The parent of a SOW or an amendment must be an MSA."
        elif contract.vendor_id is not None and parent.vendor_id != contract.vendor_id:
            errors["parent"] = "The parent MSA must belong to the same vendor."
    return errors


@tracked()
class Obligation(CovenantModel):
    """Something a party (client or vendor) must do under a contract, once or recurring."""

    scope_vendor_path = "contract__vendor"
    visible_to_vendor_users = True

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    party = models.CharField(max_length=8, choices=choices.Party.choices)
    due_date = models.DateField(null=True, blank=True)
    recurrence = models.CharField(
        max_length=10, choices=choices.Recurrence.choices, default=choices.Recurrence.NONE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        max_length=12,
        choices=choices.ObligationStatus.choices,
        default=choices.ObligationStatus.OPEN,
    )

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        from datetime import date

        today = today or date.today()
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status in (choices.ObligationStatus.OPEN, choices.ObligationStatus.IN_PROGRESS)
        )


@tracked()
class ChangeRequest(CovenantModel):
    """A proposed change to a contract, with its impact and decision workflow.

    proposed → assessed → approved | rejected; approved → implemented.
    """

    scope_vendor_path = "contract__vendor"
    visible_to_vendor_users = True
    # The baseline the savings are measured against is the office's figure
    # (DESIGN.md section 7), as Contract.baseline_annual_cost is.
    internal_fields = ("baseline_adjustment", "baseline_adjustment_date")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="change_requests")
    reference = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    impact = models.CharField(max_length=10, choices=choices.ChangeImpact.choices)
    cost_impact = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Change in monthly charge (may be negative).",
    )
    status = models.CharField(
        max_length=12,
        choices=choices.ChangeRequestStatus.choices,
        default=choices.ChangeRequestStatus.PROPOSED,
    )
    requested_by = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # An approved change may move the baseline the savings are measured
    # against (contracts/value.py), from its effective month on.
    baseline_adjustment = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Change to the baseline annual cost (may be negative), once approved.",
    )
    baseline_adjustment_date = models.DateField(
        null=True, blank=True, help_text="The first day the adjusted baseline applies."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_adjustment__isnull=True)
                | Q(baseline_adjustment_date__isnull=False),
                name="change_baseline_adjustment_dated",
                violation_error_message="A baseline adjustment needs its effective date.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.baseline_adjustment is not None and self.baseline_adjustment_date is None:
            _raise({"baseline_adjustment_date": "A baseline adjustment needs its effective date."})


@tracked()
class ExitPlan(CovenantModel):
    """How the service leaves the vendor: transition, IP and knowledge transfer, data return."""

    scope_vendor_path = "contract__vendor"

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="exit_plan")
    summary = models.TextField(blank=True)
    ip_transfer = models.TextField("IP and knowledge transfer", blank=True)
    data_return = models.TextField(blank=True)
    last_tested_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["contract__reference"]

    def __str__(self) -> str:
        return f"Exit plan – {self.contract.reference}"


@tracked()
class ExitStep(CovenantModel):
    """One transition step of an exit plan, with owner and dates."""

    scope_vendor_path = "plan__contract__vendor"

    plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12,
        choices=choices.ExitStepStatus.choices,
        default=choices.ExitStepStatus.PLANNED,
    )

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(due_date__gte=F("start_date")),
                name="exit_step_due_after_start",
                violation_error_message="The due date cannot be before the start date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def clean(self) -> None:
        if self.start_date and self.due_date and self.due_date < self.start_date:
            _raise({"due_date": "The due date cannot be before the start date."})


@tracked()
class SpendRecord(CovenantModel):
    """What the vendor invoiced for a contract in one month (from finance).

    ``month`` is the first day of the month; one record per contract and month
    (sending it again replaces it).
    """

    scope_vendor_path = "contract__vendor"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="spend_records")
    month = models.DateField(help_text="First day of the invoiced month.")
    amount = models.DecimalField(**MONEY)
    invoice_reference = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["contract", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "month"],
                name="spend_one_per_contract_month",
                violation_error_message="This contract already has a spend record for that month.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="spend_amount_non_negative",
                violation_error_message="The amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="spend_month_first_day",
                violation_error_message="The month is given by its first day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} {self.month:%Y-%m}: {self.amount}"

    def clean(self) -> None:
        errors = {}
        if self.month and self.month.day != 1:
            errors["month"] = "Give the month by its first day (e.g. 2026-01-01)."
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "The amount cannot be negative."
        _raise(errors)


class ContractReminder(models.Model):
    """A notice-deadline reminder that was sent: one per contract, deadline and days-before.

    The unique key makes the daily job idempotent: a reminder already recorded
    is never sent again, however often the job runs.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    recipients = models.TextField(blank=True, help_text="Addresses it went to, comma-separated.")
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "deadline", "days_before"], name="contract_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.days_before} days before {self.deadline}"


class ContractRollover(models.Model):
    """One tacit renewal: the term end moved from ``from_end_date`` to ``to_end_date``.

    Written by the daily job when an automatic contract's notice deadline
    passed without notice; unique per contract and old end, so a rerun adds
    nothing.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="rollovers")
    from_end_date = models.DateField()
    to_end_date = models.DateField()
    notice_deadline = models.DateField(help_text="The deadline that passed without notice.")
    rolled_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-from_end_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "from_end_date"], name="contract_rollover_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.from_end_date} → {self.to_end_date}"
