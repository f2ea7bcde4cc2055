"""Admin of the slas app. Results and breaches are computed: read-only here.

Measurements saved in the admin go through ``slas.services`` so their periods
are evaluated again, like every other path. Importing ``slas.imports`` here
also registers its Celery task in every process that loads the admin
(web and worker alike, through ``django.contrib.admin``'s autodiscovery).
"""

from __future__ import annotations

from django.contrib import admin

from slas import (
    imports,  # noqa: F401  (registers slas.imports.import_measurements_task)
    services,
)
from slas.models import SLA, Breach, BreachTransition, Measurement, Result


@admin.register(SLA)
class SLAAdmin(admin.ModelAdmin):
    """SLA and KPI definitions."""

    list_display = (
        "name",
        "contract",
        "kind",
        "period",
        "direction",
        "target",
        "allocation_percent",
    )
    list_filter = ("kind", "category", "period", "direction")
    search_fields = ("name", "contract__reference")
    list_select_related = ("contract",)
    raw_id_fields = ("contract",)

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}
        if change:
            services.sla_update(instance=obj, actor=request.user, data=data)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        services.sla_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        # One at a time through the service: each takes its contract's lock and
        # has the caps its breaches took part in shared out again.
        for sla in queryset.order_by("pk"):
            services.sla_delete(instance=sla, actor=request.user)


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    """Measurements; edits re-evaluate the touched period."""

    list_display = ("sla", "date", "value", "source", "recorded_by", "updated_at")
    list_filter = ("source",)
    search_fields = ("sla__name", "note")
    date_hierarchy = "date"
    list_select_related = ("sla", "recorded_by")
    raw_id_fields = ("sla", "recorded_by")

    def save_model(self, request, obj, form, change):
        if change:
            services.measurement_update(
                instance=obj,
                actor=request.user,
                data={f: form.cleaned_data[f] for f in ("sla", "date", "value", "source", "note")},
            )
        else:
            super().save_model(request, obj, form, change)
            from slas.evaluation import queue_evaluation

            queue_evaluation(touched=[(obj.sla_id, obj.date)], actor=request.user)

    def delete_model(self, request, obj):
        services.measurement_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        services.measurements_delete(measurements=queryset, actor=request.user)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Result)
class ResultAdmin(_ReadOnly):
    """Computed results (read-only)."""

    list_display = ("sla", "period_start", "period_end", "actual", "status")
    list_filter = ("status",)
    list_select_related = ("sla",)
    search_fields = ("sla__name",)


class BreachTransitionInline(admin.TabularInline):
    model = BreachTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Breach)
class BreachAdmin(_ReadOnly):
    """Breaches (read-only: the workflow runs on the breach page and the API)."""

    list_display = ("sla", "period_start", "severity", "status", "credit", "earn_back")
    list_filter = ("status", "severity", "earn_back")
    list_select_related = ("sla",)
    search_fields = ("sla__name", "root_cause")
    inlines = [BreachTransitionInline]
