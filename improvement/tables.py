"""django-tables2 tables of the improvement pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from improvement import health
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)

AGREEMENT_TONES = {
    "agreed": "ok",
    "awaiting_vendor": "warn",
    "awaiting_client": "warn",
    "draft": "pending",
}
IDEA_TONES = {"proposed": "pending", "approved": "active", "implemented": "ok", "rejected": "bad"}


def agreement_badge(goal: Goal):
    return format_html(
        '<span class="badge badge-{}">{}</span>',
        AGREEMENT_TONES.get(goal.agreement, ""),
        goal.get_agreement_display(),
    )


class SituationAssessmentTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = SituationAssessment
        fields = ("title", "vendor", "assessed_on", "assessed_by")
        order_by = ("-assessed_on",)


class KeyIssueTable(tables.Table):
    description = tables.Column(linkify=True)

    class Meta:
        model = KeyIssue
        fields = ("description", "assessment", "investment_needed", "currency")


class GoalTable(tables.Table):
    title = tables.Column(linkify=True)
    agreement = tables.Column(empty_values=(), orderable=False)

    class Meta:
        model = Goal
        fields = (
            "title",
            "vendor",
            "kind",
            "baseline_value",
            "target_value",
            "unit",
            "target_date",
        )
        sequence = ("title", "vendor", "kind", "agreement", "...")

    def render_agreement(self, record):
        return agreement_badge(record)


class IssueListPublicationTable(tables.Table):
    version = tables.Column(linkify=True)

    class Meta:
        model = IssueListPublication
        fields = ("vendor", "version", "approved_by", "approved_at", "published_at")


class HealthSurveyTable(tables.Table):
    quarter = tables.Column(linkify=True)
    index = tables.Column(empty_values=(), orderable=False, verbose_name="Health index")

    class Meta:
        model = HealthSurvey
        fields = (
            "vendor",
            "quarter",
            "side",
            "communication",
            "responsiveness",
            "flexibility",
            "quality",
            "innovation",
            "trust",
        )
        sequence = ("vendor", "quarter", "side", "index", "...")

    def render_index(self, record):
        return health.health_index(record.scores())


class IdeaTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = Idea
        fields = (
            "title",
            "vendor",
            "proposed_by",
            "status",
            "expected_benefit",
            "realised_benefit",
        )

    def render_status(self, record):
        return format_html(
            '<span class="badge badge-{}">{}</span>',
            IDEA_TONES.get(record.status, ""),
            record.get_status_display(),
        )
