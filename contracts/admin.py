"""Admin of the contracts app. Writes validate through the models' ``clean`` like the pages.

The contract admin recomputes the notice deadline with ``contracts.dates`` (as
``contracts.services`` does), so the stored value never drifts from the term.
"""

from __future__ import annotations

from django.contrib import admin

from contracts import dates
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


class ExitStepInline(admin.TabularInline):
    model = ExitStep
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    """Contracts; saving recomputes the notice deadline."""

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
    readonly_fields = ("notice_deadline",)

    def save_model(self, request, obj, form, change):
        # The form validated the terms (``Contract.clean``); store the deadline they imply,
        # in the same single write.
        obj.notice_deadline = dates.contract_notice_deadline(obj)
        super().save_model(request, obj, form, change)


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ("title", "contract", "party", "due_date", "status")
    list_filter = ("status", "party", "recurrence")
    list_select_related = ("contract",)
    search_fields = ("title", "contract__reference")
    raw_id_fields = ("contract", "owner")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ("title", "contract", "impact", "status", "decided_by", "decided_at")
    list_filter = ("status", "impact")
    list_select_related = ("contract", "decided_by")
    search_fields = ("title", "reference", "contract__reference")
    raw_id_fields = ("contract", "decided_by")


@admin.register(ExitPlan)
class ExitPlanAdmin(admin.ModelAdmin):
    list_display = ("contract", "last_tested_on")
    list_select_related = ("contract",)
    raw_id_fields = ("contract",)
    inlines = [ExitStepInline]


@admin.register(SpendRecord)
class SpendRecordAdmin(admin.ModelAdmin):
    list_display = ("contract", "month", "amount", "invoice_reference")
    list_select_related = ("contract",)
    search_fields = ("contract__reference", "invoice_reference")
    raw_id_fields = ("contract",)
    date_hierarchy = "month"


@admin.register(ContractReminder)
class ContractReminderAdmin(admin.ModelAdmin):
    """Sent notice reminders (read-only: the daily job writes them)."""

    list_display = ("contract", "deadline", "days_before", "sent_on", "recipients")
    list_select_related = ("contract",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ContractRollover)
class ContractRolloverAdmin(admin.ModelAdmin):
    """Tacit renewals done by the daily job (read-only)."""

    list_display = ("contract", "from_end_date", "to_end_date", "notice_deadline", "rolled_on")
    list_select_related = ("contract",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
