"""Admin of the contracts app: every write goes through ``contracts.services``.

The admin is one more path like the pages and the API (issue 9, "every write
through the services"): saving a contract recomputes its notice deadline,
rolls a tacit renewal over to its current term and, when a credit term (the
monthly charge, the at-risk percent, the earn-back periods) changed, queues
the evaluation of its SLAs so their credits follow. A change request moves
along its workflow on its page only (``change_request_transition``); here its
status and decision are read-only.
"""

from __future__ import annotations

from django.contrib import admin

from contracts import services
from contracts.models import (
    ChangeRequest,
    Contract,
    ContractReminder,
    ContractRollover,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core.admin import ServiceAdmin


class ContractsServiceAdmin(ServiceAdmin):
    services = services


class ExitStepInline(admin.TabularInline):
    model = ExitStep
    extra = 0


@admin.register(Contract)
class ContractAdmin(ContractsServiceAdmin):
    """Contracts; saved by ``contract_create`` / ``contract_update``."""

    entity = "contract"
    list_display = (
        "reference",
        "title",
        "vendor",
        "contract_type",
        "status",
        "end_date",
        "renewal",
        "notice_deadline",
    )
    list_filter = ("status", "contract_type", "renewal")
    list_select_related = ("vendor",)
    search_fields = ("reference", "title", "vendor__name")
    raw_id_fields = ("vendor", "parent")
    readonly_fields = ("notice_deadline", "at_risk_amount")


@admin.register(Obligation)
class ObligationAdmin(ContractsServiceAdmin):
    entity = "obligation"
    list_display = ("title", "contract", "party", "due_date", "status")
    list_filter = ("status", "party", "recurrence")
    list_select_related = ("contract",)
    search_fields = ("title", "contract__reference")
    raw_id_fields = ("contract", "owner")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ContractsServiceAdmin):
    """Change requests; the workflow (status, who decided) moves on the request's page."""

    entity = "change_request"
    list_display = ("title", "contract", "impact", "status", "decided_by", "decided_at")
    list_filter = ("status", "impact")
    list_select_related = ("contract", "decided_by")
    search_fields = ("title", "reference", "contract__reference")
    raw_id_fields = ("contract",)
    readonly_fields = ("status", "decided_by", "decided_at", "decision_note")


@admin.register(ExitPlan)
class ExitPlanAdmin(ContractsServiceAdmin):
    """Exit plans with their steps; steps are saved by the exit-step services too."""

    entity = "exit_plan"
    list_display = ("contract", "last_tested_on")
    list_select_related = ("contract",)
    raw_id_fields = ("contract",)
    inlines = [ExitStepInline]

    def save_formset(self, request, form, formset, change):
        fields = {f.name for f in ExitStep._meta.concrete_fields} - {"id"}
        for inline_form in formset.forms:
            if not inline_form.has_changed() and inline_form.instance.pk is None:
                continue
            step = inline_form.instance
            if formset.can_delete and formset._should_delete_form(inline_form):
                if step.pk is not None:
                    services.exit_step_delete(instance=step, actor=request.user)
                continue
            data = {k: v for k, v in inline_form.cleaned_data.items() if k in fields}
            data["plan"] = form.instance
            if step.pk is None:
                services.exit_step_create(actor=request.user, data=data)
            elif inline_form.has_changed():
                services.exit_step_update(instance=step, actor=request.user, data=data)


@admin.register(SpendRecord)
class SpendRecordAdmin(ContractsServiceAdmin):
    entity = "spend_record"
    list_display = ("contract", "month", "amount", "invoice_reference")
    list_select_related = ("contract",)
    search_fields = ("contract__reference", "invoice_reference")
    raw_id_fields = ("contract",)
    date_hierarchy = "month"


class _Record(admin.ModelAdmin):
    """What the daily job wrote: read-only, and kept."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContractReminder)
class ContractReminderAdmin(_Record):
    """Sent notice reminders (read-only: the daily job writes them)."""

    list_display = ("contract", "deadline", "days_before", "sent_on", "recipients")
    list_select_related = ("contract",)


@admin.register(ContractRollover)
class ContractRolloverAdmin(_Record):
    """Tacit renewals done by the daily job or on entry (read-only)."""

    list_display = ("contract", "from_end_date", "to_end_date", "notice_deadline", "rolled_on")
    list_select_related = ("contract",)
