"""Admin of the reports app: reports are read-only here (made by the services, never typed in)."""

from __future__ import annotations

from django.contrib import admin

from reports import services
from reports.models import QBRReport, VendorReportSetting


@admin.register(QBRReport)
class QBRReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quarter", "edition", "status", "requested_at", "rendered_at"]
    list_filter = ["status", "edition", "portfolio", "scheduled", "quarter"]
    search_fields = ["vendor__name", "quarter"]
    readonly_fields = [f.name for f in QBRReport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # requested from the vendor page or the API, rendered by the worker

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VendorReportSetting)
class VendorReportSettingAdmin(admin.ModelAdmin):
    list_display = ["vendor", "vendor_access", "updated_at"]
    list_filter = ["vendor_access"]

    def save_model(self, request, obj, form, change) -> None:
        saved = services.vendor_report_setting_set(
            actor=request.user, vendor=obj.vendor, vendor_access=obj.vendor_access
        )
        obj.pk = saved.pk
