"""django-tables2 tables of the sourcing list pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from sourcing.models import Candidate, Proposal, SourcingEvent, TransitionStep


class StatusColumn(tables.Column):
    """A choice field shown as a badge whose colour class is the stored value."""

    def render(self, value, record):
        display = getattr(record, f"get_{self.accessor}_display")
        return format_html(
            '<span class="badge badge-{}">{}</span>', getattr(record, str(self.accessor)), display()
        )


class SourcingEventTable(tables.Table):
    title = tables.Column(linkify=True)
    status = StatusColumn()
    decision_date = tables.DateColumn(format="Y-m-d")
    awarded_candidate = tables.Column(
        verbose_name="Awarded to", accessor="awarded_candidate__vendor__name", default="—"
    )

    class Meta:
        model = SourcingEvent
        fields = ["title", "status", "decision_date", "awarded_candidate"]


class CandidateTable(tables.Table):
    vendor = tables.Column(order_by=("vendor__name",))
    event = tables.Column(linkify=True, order_by=("event__title",))
    status = StatusColumn()

    class Meta:
        model = Candidate
        fields = ["vendor", "event", "status"]


class ProposalTable(tables.Table):
    candidate = tables.Column(verbose_name="Vendor", accessor="candidate__vendor__name")
    event = tables.Column(accessor="candidate__event__title", verbose_name="Event")
    status = tables.Column(accessor="candidate__status", verbose_name="Status")
    price = tables.Column()
    currency = tables.Column()

    class Meta:
        model = Proposal
        fields = ["candidate", "event", "status", "price", "currency"]

    def render_status(self, record):
        return record.candidate.get_status_display()


class TransitionStepTable(tables.Table):
    title = tables.Column(linkify=True)
    plan = tables.Column(accessor="plan__vendor__name", verbose_name="Vendor")
    status = StatusColumn()
    due_date = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = TransitionStep
        fields = ["plan", "order", "title", "owner", "due_date", "status"]
