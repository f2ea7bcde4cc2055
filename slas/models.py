"""SLAs, their measurements, computed results and breaches (DESIGN.md section 1, slas/).

Results and breaches are computed by ``slas.services.evaluation`` from the
rules of DESIGN.md section 2; nothing here is typed in by hand except the SLA
definition, measurements and a breach's workflow fields.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.audit import tracked
from core.models import CovenantModel
from slas import choices

VALUE = {"max_digits": 20, "decimal_places": 6}
MONEY = {"max_digits": 16, "decimal_places": 2}

_HIGHER = Q(direction=choices.Direction.HIGHER_IS_BETTER)

# The valid range of a measured value by the SLA's unit (DESIGN.md section 2: "0–100
# for a percent; never negative for counts, durations and money"). The unit is
# free text ("%", "hours", "tx/h", "EUR"): a percent is 0–100, a unit naming a
# signed quantity (a score such as NPS, a change, a temperature) has no bound,
# and every other unit — counts, durations, rates, money — is never negative.
PERCENT_UNITS = frozenset({"%", "pct", "percent", "percentage"})
SIGNED_UNIT_WORDS = frozenset(
    {"score", "nps", "delta", "change", "variance", "points", "°c", "°f", "celsius"}
)
HUNDRED = Decimal("100")


def value_range(unit: str) -> tuple[Decimal | None, Decimal | None]:
    """(lowest, highest) valid measured value for an SLA measured in ``unit`` (None: no bound)."""
    text = (unit or "").strip().lower()
    if text in PERCENT_UNITS:
        return Decimal("0"), HUNDRED
    if SIGNED_UNIT_WORDS & set(text.replace("/", " ").split()):
        return None, None
    return Decimal("0"), None


_LOWER = Q(direction=choices.Direction.LOWER_IS_BETTER)


@tracked()
class SLA(CovenantModel):
    """A contractual service level (``kind=sla``) or a tracked KPI (``kind=kpi``).

    For ``higher_is_better``: actual < target is breached; target ≤ actual <
    warning level is at risk; actual < critical level makes a breach critical.
    Everything mirrors for ``lower_is_better``. ``allocation_percent`` is the
    SLA's share of its contract's at-risk pool (KPIs carry none).
    """

    scope_vendor_path = "contract__vendor"
    visible_to_vendor_users = True
    # What defines an SLA, in the order its form, page and API show it.
    DEFINITION_FIELDS = (
        "contract",
        "name",
        "kind",
        "category",
        "focus",
        "description",
        "unit",
        "direction",
        "target",
        "warning_level",
        "critical_level",
        "period",
        "aggregation",
        "allocation_percent",
        "effective_from",
        "effective_to",
    )

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="slas"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=3, choices=choices.Kind.choices, default=choices.Kind.SLA)
    category = models.CharField(
        max_length=16, choices=choices.Category.choices, default=choices.Category.OTHER
    )
    focus = models.CharField(
        max_length=12, choices=choices.Focus.choices, default=choices.Focus.OPERATIONAL
    )
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=32, blank=True, help_text="e.g. %, hours, count, EUR")
    direction = models.CharField(max_length=16, choices=choices.Direction.choices)
    target = models.DecimalField(**VALUE)
    warning_level = models.DecimalField(
        null=True, blank=True, help_text="Start of the at-risk band (optional).", **VALUE
    )
    critical_level = models.DecimalField(
        null=True, blank=True, help_text="Beyond this a breach is critical (optional).", **VALUE
    )
    period = models.CharField(max_length=10, choices=choices.Period.choices)
    aggregation = models.CharField(
        max_length=4, choices=choices.Aggregation.choices, default=choices.Aggregation.MEAN
    )
    allocation_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of the contract's at-risk pool (SLAs only).",
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "SLA"
        verbose_name_plural = "SLAs"
        ordering = ["contract__reference", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "name"],
                name="sla_unique_name_per_contract",
                violation_error_message="This contract already has an SLA or KPI of that name.",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="sla_effective_window",
                violation_error_message="'Effective to' cannot be before 'effective from'.",
            ),
            models.CheckConstraint(
                condition=Q(allocation_percent__gte=0, allocation_percent__lte=100),
                name="sla_allocation_0_100",
                violation_error_message="The allocation percent must be between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=Q(kind=choices.Kind.SLA) | Q(allocation_percent=0),
                name="sla_kpi_no_allocation",
                violation_error_message="A KPI carries no service credit: allocation must be 0.",
            ),
            models.CheckConstraint(
                condition=Q(warning_level__isnull=True)
                | (_HIGHER & Q(warning_level__gte=F("target")))
                | (_LOWER & Q(warning_level__lte=F("target"))),
                name="sla_warning_side",
                violation_error_message=(
                    "The warning level must lie on the good side of the target "
                    "(≥ target when higher is better, ≤ target when lower is better)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(critical_level__isnull=True)
                | (_HIGHER & Q(critical_level__lte=F("target")))
                | (_LOWER & Q(critical_level__gte=F("target"))),
                name="sla_critical_side",
                violation_error_message=(
                    "The critical level must lie on the bad side of the target "
                    "(≤ target when higher is better, ≥ target when lower is better)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == choices.Direction.HIGHER_IS_BETTER


@tracked()
class Measurement(CovenantModel):
    """One value of an SLA for one day. A monthly figure is dated on the 1st.

    One per SLA and date: sending the same key again replaces the value (the
    audit trail keeps the old one).
    """

    scope_vendor_path = "sla__contract__vendor"
    visible_to_vendor_users = True
    vendor_users_may_change = True

    # No index of its own: the unique (sla, date) index leads with sla_id and
    # serves every lookup by SLA; a second one only slows ingestion and led the
    # planner into BitmapAnd plans that read each SLA's whole history.
    # PROTECT: an SLA with measurements is ended (effective_to), never deleted.
    sla = models.ForeignKey(
        SLA, on_delete=models.PROTECT, related_name="measurements", db_index=False
    )
    date = models.DateField()
    value = models.DecimalField(**VALUE)
    source = models.CharField(
        max_length=8, choices=choices.Source.choices, default=choices.Source.MANUAL
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sla", "-date"]
        # The measurements page lists the newest first across the portfolio
        # (``slas.selectors.measurement_list``): without this index its first
        # page sorted all 2.4 million rows of the benchmark (seconds); with it,
        # it reads 25 index entries. One more index entry per ingested row.
        indexes = [models.Index(fields=["-date", "sla"], name="measurement_newest_first")]
        constraints = [
            models.UniqueConstraint(
                fields=["sla", "date"],
                name="measurement_one_per_sla_date",
                violation_error_message="This SLA already has a measurement for that date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sla} {self.date}: {self.value}"


# ENGINE_ROWS_SLA_LINK — how Results and Breaches keep their SLA: by a real
# foreign key (issue 9: integrity kept by the database), checked by PostgreSQL
# at commit for every row the engine inserts (its cost, BENCHMARKS.md). An SLA
# is never deleted from under them: ``slas.services.sla_delete`` refuses an
# SLA that has measurements, results or breaches (an SLA that is wrong is
# ended with ``effective_to``), and PROTECT makes any other deletion path
# refuse too. ``sla_delete`` still takes the contract's advisory lock, so a
# deletion waits for a running evaluation of the contract to finish.


class Result(CovenantModel):
    """The computed outcome of one SLA in one period that has data. Never typed in.

    ``target``, ``warning_level`` and ``critical_level`` are the rule values
    used, so the page can show why the status is what it is even after the
    SLA definition changes.
    """

    scope_vendor_path = "sla__contract__vendor"
    visible_to_vendor_users = True

    # Served by the unique (sla, period_start) index, like Measurement.sla.
    # See ENGINE_ROWS_SLA_LINK.
    sla = models.ForeignKey(SLA, on_delete=models.PROTECT, related_name="results", db_index=False)
    period_start = models.DateField()
    period_end = models.DateField()
    actual = models.DecimalField(**VALUE)
    status = models.CharField(max_length=8, choices=choices.ResultStatus.choices)
    measurement_count = models.PositiveIntegerField(default=0)
    target = models.DecimalField(**VALUE)
    warning_level = models.DecimalField(null=True, blank=True, **VALUE)
    critical_level = models.DecimalField(null=True, blank=True, **VALUE)
    # Where the aggregate stands, so that measurements dated after
    # ``last_date`` can be folded in without reading the period again (the
    # incremental path of slas.evaluation.sql): the aggregation it was computed
    # with, the latest measured date, and for a mean the exact sum of values.
    aggregation = models.CharField(
        max_length=8, choices=choices.Aggregation.choices, blank=True, default=""
    )
    last_date = models.DateField(null=True, blank=True)
    value_sum = models.DecimalField(max_digits=30, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["sla", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["sla", "period_start"], name="result_one_per_sla_period"
            )
        ]
        # For the results filtered by status (at risk, breached) across the
        # portfolio. Met periods are most of them, and a list of met results is
        # most of the table, read better in order than through an index; left
        # out, they cost nothing to insert (a full index made a first
        # evaluation's result inserts a third slower).
        indexes = [
            models.Index(
                fields=["status", "period_end"],
                name="result_unmet_status_end",
                condition=~Q(status=choices.ResultStatus.MET),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sla} {self.period_start}–{self.period_end}: {self.status}"


@tracked()
class Breach(CovenantModel):
    """A breached period of an SLA, its service credit and its workflow.

    open → acknowledged → remediating → resolved, or waived (with a reason),
    or withdrawn (set only by recomputation, when a correction cures the
    period). The workflow fields survive recomputation; the computed fields
    (actual, severity, credit, earn-back) are rewritten by it.
    """

    scope_vendor_path = "sla__contract__vendor"
    visible_to_vendor_users = True

    # Served by the unique (sla, period_start) index, like Measurement.sla.
    # See ENGINE_ROWS_SLA_LINK.
    sla = models.ForeignKey(SLA, on_delete=models.PROTECT, related_name="breaches", db_index=False)
    period_start = models.DateField()
    period_end = models.DateField()
    actual = models.DecimalField(**VALUE)
    severity = models.CharField(max_length=8, choices=choices.Severity.choices)
    status = models.CharField(
        max_length=12, choices=choices.BreachStatus.choices, default=choices.BreachStatus.OPEN
    )
    # Service credit (DESIGN.md section 2). credit_month: first day of the month
    # the breached period ends in; the monthly cap applies per contract and month.
    credit_month = models.DateField()
    credit_uncapped = models.DecimalField(default=Decimal("0"), **MONEY)
    credit = models.DecimalField(default=Decimal("0"), **MONEY)
    earn_back = models.CharField(
        max_length=16, choices=choices.EarnBack.choices, default=choices.EarnBack.NOT_APPLICABLE
    )
    # Workflow, kept across recomputation.
    root_cause = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    remediation_owner = models.CharField(max_length=200, blank=True)
    remediation_due = models.DateField(null=True, blank=True)
    waiver_reason = models.TextField(blank=True)
    status_before_withdrawal = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["-period_start", "sla"]
        constraints = [
            models.UniqueConstraint(
                fields=["sla", "period_start"], name="breach_one_per_sla_period"
            ),
            models.CheckConstraint(
                condition=~Q(status=choices.BreachStatus.WAIVED) | ~Q(waiver_reason=""),
                name="breach_waiver_needs_reason",
                violation_error_message="Waiving a breach needs a reason.",
            ),
        ]
        indexes = [
            models.Index(fields=["credit_month"], name="breach_credit_month"),
            # The breaches page's default order (newest period first) without a sort.
            models.Index(fields=["-period_start", "sla"], name="breach_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.sla} {self.period_start}–{self.period_end} ({self.get_status_display()})"

    @property
    def credit_earned_back(self) -> bool:
        return self.earn_back == choices.EarnBack.EARNED_BACK


class BreachTransition(models.Model):
    """One step of a breach's workflow: from which status to which, who, when, why."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.breach_id}: {self.from_status or '–'} → {self.to_status}"
