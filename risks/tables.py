"""django-tables2 tables of the risks list pages: scores with their rating badges."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from risks import rules
from risks.models import Assessment, ContinuityPlan, Finding, Risk

# Badge tones app.css has: ok / pending / warn / bad (critical reads like bad).
RATING_TONES = {"low": "ok", "medium": "pending", "high": "warn", "critical": "critical"}
REVIEW_TONES = {"overdue": "overdue", "due": "warn", "scheduled": "neutral"}
STATUS_TONES = {
    "open": "warn",
    "mitigating": "pending",
    "accepted": "neutral",
    "closed": "ok",
    "in_progress": "pending",
}
RESULT_TONES = {"pass": "ok", "partial": "warn", "fail": "bad"}


def rating_badge(score: int | None):
    """``12`` with a "high" badge, from the one rating rule."""
    if score is None:
        return "—"
    band = rules.rating(score)
    return format_html(
        '{} <span class="badge badge-{}" data-rating="{}">{}</span>',
        score,
        RATING_TONES[band],
        band,
        band,
    )


def badge(tone: str, label: str):
    return format_html('<span class="badge badge-{}">{}</span>', tone, label)


def review_badge(risk: Risk, today=None):
    if risk.next_review is None:
        return "—"
    state = risk.review_state(today or timezone.localdate())
    if state in (None, "scheduled"):
        return risk.next_review.isoformat()
    return format_html("{} {}", risk.next_review.isoformat(), badge(REVIEW_TONES[state], state))


class RiskTable(tables.Table):
    """The register: title, vendor, category, inherent and residual scores, status, review."""

    title = tables.Column(linkify=True)
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    inherent = tables.Column(
        accessor="score_inherent", verbose_name="Inherent", order_by=("-score_inherent",)
    )
    residual = tables.Column(
        accessor="score_residual", verbose_name="Residual", order_by=("-score_residual",)
    )
    owner = tables.Column(order_by=("owner__last_name", "owner__username"))
    next_review = tables.Column(verbose_name="Next review")

    class Meta:
        model = Risk
        fields = (
            "title",
            "vendor",
            "category",
            "inherent",
            "residual",
            "treatment",
            "status",
            "owner",
            "next_review",
        )
        order_by = ("residual",)

    def render_inherent(self, value, record):
        return rating_badge(value)

    def render_residual(self, value, record):
        return rating_badge(value)

    def render_status(self, value, record):
        return badge(STATUS_TONES.get(record.status, ""), value)

    def render_owner(self, value, record):
        return value.display_name

    def render_next_review(self, value, record):
        return review_badge(record)


class AssessmentTable(tables.Table):
    """Assessments: what, whose, when, by whom, open findings, evidence on file."""

    label = tables.Column(
        accessor="pk", verbose_name="Assessment", linkify=True, order_by=("kind",)
    )
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    open_findings = tables.Column(verbose_name="Open findings")
    evidence = tables.Column(verbose_name="Evidence", orderable=False, empty_values=())

    class Meta:
        model = Assessment
        fields = ("label", "vendor", "kind", "date", "assessor", "open_findings", "evidence")
        order_by = ("-date",)

    def render_label(self, value, record):
        return record.get_kind_display()

    def render_evidence(self, value, record):
        return "on file" if record.evidence else "—"


class FindingTable(tables.Table):
    """Findings: title, vendor, severity, owner, due date (overdue flagged), status."""

    title = tables.Column(linkify=True)
    vendor = tables.Column(
        accessor="assessment__vendor", verbose_name="Vendor", order_by=("assessment__vendor__name",)
    )
    owner = tables.Column(order_by=("owner__last_name", "owner__username"))
    due_date = tables.Column(verbose_name="Due")

    class Meta:
        model = Finding
        fields = ("title", "vendor", "severity", "owner", "due_date", "status")
        order_by = ("due_date",)

    def render_severity(self, value, record):
        return badge(RATING_TONES.get(record.severity, ""), value)

    def render_status(self, value, record):
        return badge(STATUS_TONES.get(record.status, ""), value)

    def render_owner(self, value, record):
        return value.display_name

    def render_due_date(self, value, record):
        if record.is_overdue(timezone.localdate()):
            return format_html("{} {}", value.isoformat(), badge("overdue", "overdue"))
        return value.isoformat()


class ContinuityPlanTable(tables.Table):
    """Continuity plans: vendor and tier, RTO/RPO, the last test and its result."""

    title = tables.Column(linkify=True)
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    tier = tables.Column(accessor="vendor__tier", verbose_name="Tier")
    last_test_date = tables.Column(verbose_name="Last test")

    class Meta:
        model = ContinuityPlan
        fields = (
            "title",
            "vendor",
            "tier",
            "rto_hours",
            "rpo_hours",
            "last_test_date",
            "last_test_result",
        )
        order_by = ("vendor",)

    def render_last_test_date(self, value, record):
        if value < rules.continuity_cutoff(timezone.localdate()):
            return format_html("{} {}", value.isoformat(), badge("overdue", "over 12 months"))
        return value.isoformat()

    def render_last_test_result(self, value, record):
        return badge(RESULT_TONES.get(record.last_test_result, ""), value)
