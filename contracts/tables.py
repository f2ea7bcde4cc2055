"""django-tables2 tables of the contracts list pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core.formatting import money

NOTICE_BADGE_DAYS = 90


def _badge(state: str, label: str):
    return format_html('<span class="badge badge-{}">{}</span>', state, label)


class StatusColumn(tables.Column):
    """A choice field shown as a badge whose colour class is the stored value."""

    def render(self, value, record):
        display = getattr(record, f"get_{self.accessor}_display", None)
        return _badge(getattr(record, str(self.accessor)), display() if display else value)


class ContractTable(tables.Table):
    """Contracts: reference, vendor, type, status, term end, notice deadline, charge."""

    reference = tables.Column(linkify=True)
    vendor = tables.Column(order_by=("vendor__name",))
    status = StatusColumn()
    notice_deadline = tables.Column()
    monthly_charge = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = Contract
        fields = (
            "reference",
            "title",
            "vendor",
            "contract_type",
            "status",
            "end_date",
            "renewal",
            "notice_deadline",
            "currency",
            "monthly_charge",
        )
        order_by = ("notice_deadline",)

    def render_monthly_charge(self, value, record):
        return money(value)

    def render_notice_deadline(self, value, record):
        days = (value - timezone.localdate()).days
        if record.status == "active" and 0 <= days <= NOTICE_BADGE_DAYS:
            return format_html("{} {}", value.isoformat(), _badge("warn", f"{days} d"))
        return value.isoformat()


class ObligationTable(tables.Table):
    """Obligations with their contract, due date (overdue flagged) and status."""

    title = tables.Column(linkify=True)
    contract = tables.Column(linkify=True, order_by=("contract__reference",))
    status = StatusColumn()

    class Meta:
        model = Obligation
        fields = ("title", "contract", "party", "due_date", "recurrence", "owner", "status")

    def render_contract(self, value, record):
        return record.contract.reference

    def render_due_date(self, value, record):
        if record.is_overdue(timezone.localdate()):
            return format_html("{} {}", value.isoformat(), _badge("overdue", "overdue"))
        return value.isoformat()


class ChangeRequestTable(tables.Table):
    """Change requests with impact, cost and workflow status."""

    title = tables.Column(linkify=True)
    contract = tables.Column(linkify=True, order_by=("contract__reference",))
    status = StatusColumn()
    cost_impact = tables.Column(attrs={"td": {"class": "num"}})

    class Meta:
        model = ChangeRequest
        fields = ("reference", "title", "contract", "impact", "cost_impact", "status", "decided_at")

    def render_contract(self, value, record):
        return record.contract.reference


class ExitPlanTable(tables.Table):
    """Exit plans per contract with when they were last tested."""

    contract = tables.Column(linkify=lambda record: record.get_absolute_url())
    vendor = tables.Column(accessor="contract__vendor__name", verbose_name="Vendor")
    steps = tables.Column(accessor="pk", verbose_name="Steps", orderable=False)

    class Meta:
        model = ExitPlan
        fields = ("contract", "vendor", "last_tested_on", "steps")

    def render_contract(self, value, record):
        return record.contract.reference

    def render_steps(self, value, record):
        return len(record.steps.all())  # prefetched


class ExitStepTable(tables.Table):
    """Exit steps with their plan, owner, dates and status."""

    title = tables.Column(linkify=True)
    plan = tables.Column(linkify=True, order_by=("plan__contract__reference",))
    status = StatusColumn()

    class Meta:
        model = ExitStep
        fields = ("plan", "order", "title", "owner", "start_date", "due_date", "status")

    def render_plan(self, value, record):
        return record.plan.contract.reference


class SpendRecordTable(tables.Table):
    """Invoiced spend per contract and month."""

    month = tables.Column(linkify=True)
    contract = tables.Column(linkify=True, order_by=("contract__reference",))
    amount = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = SpendRecord
        fields = ("contract", "month", "amount", "invoice_reference")

    def render_contract(self, value, record):
        return record.contract.reference

    def render_month(self, value):
        return value.strftime("%Y-%m")
