"""Admin of the slas app: definitions and measurements through ``slas.services``.

Every write is the services' (issue 9): an SLA is created, changed (its
periods re-evaluated when a rule changed) and deleted (refused while it has
measurements, results or breaches) by ``sla_create`` / ``sla_update`` /
``sla_delete``; a measurement by the measurement services, which validate it
like the API and queue the evaluation of its period. Results and breaches
are computed: read-only here, and never deleted. Importing ``slas.imports``
here also registers its Celery task in every process that loads the admin
(web and worker alike, through ``django.contrib.admin``'s autodiscovery).
"""

from __future__ import annotations

from django.contrib import admin

from core.admin import ServiceAdmin
from slas import (
    imports,  # noqa: F401  (registers slas.imports.import_measurements_task)
    services,
)
from slas.models import SLA, Breach, BreachTransition, Measurement, Result


class SlasServiceAdmin(ServiceAdmin):
    services = services


@admin.register(SLA)
class SLAAdmin(SlasServiceAdmin):
    """SLA and KPI definitions."""

    entity = "sla"
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


@admin.register(Measurement)
class MeasurementAdmin(SlasServiceAdmin):
    """Measurements; validated like the API and re-evaluating the touched period."""

    entity = "measurement"
    list_display = ("sla", "date", "value", "source", "recorded_by", "updated_at")
    list_filter = ("source",)
    search_fields = ("sla__name", "note")
    date_hierarchy = "date"
    list_select_related = ("sla", "recorded_by")
    raw_id_fields = ("sla",)
    readonly_fields = ("recorded_by",)  # the actor, set by the service

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class MeasurementAdminForm(form_class):
            """Runs the ingestion's checks (scope, dates, valid range) so they show per field."""

            def clean(self):
                cleaned = super().clean()
                row = {k: cleaned.get(k) for k in ("date", "value", "note")}
                row["sla"] = getattr(cleaned.get("sla"), "pk", None)
                source = cleaned.get("source") or "manual"
                _, errors = services.measurements_validate(
                    rows=[row], source=source, actor=request.user
                )
                for field, messages in errors.get(0, {}).items():
                    for message in messages:
                        if field in self.fields and field not in self.errors:
                            self.add_error(field, message)
                        elif field not in self.fields:
                            self.add_error(None, message)
                return cleaned

        return MeasurementAdminForm

    def delete_queryset(self, request, queryset):
        # One statement and one evaluation of every touched period.
        services.measurements_delete(measurements=queryset, actor=request.user)


class _ReadOnly(admin.ModelAdmin):
    """Computed by the engine: neither added, changed nor deleted here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
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

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Breach)
class BreachAdmin(_ReadOnly):
    """Breaches (read-only: the workflow runs on the breach page and the API)."""

    list_display = ("sla", "period_start", "severity", "status", "credit", "earn_back")
    list_filter = ("status", "severity", "earn_back")
    list_select_related = ("sla",)
    search_fields = ("sla__name", "root_cause")
    inlines = [BreachTransitionInline]
