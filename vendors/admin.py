"""Admin of the vendors app. Saves go through ``vendors.services`` like every other path,
so the tier history and the parent-chain check apply here too."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ServiceAdmin
from vendors import services
from vendors.models import (
    Certification,
    CertificationReminder,
    Contact,
    Vendor,
    VendorTierChange,
)


class VendorsServiceAdmin(ServiceAdmin):
    services = services


class TierChangeInline(admin.TabularInline):
    model = VendorTierChange
    fk_name = "vendor"
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "from_tier", "to_tier", "reason", "changed_by")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # recorded by vendor_create / vendor_update only


class VendorAdminForm(forms.ModelForm):
    """Runs the service's own checks (parent chain, tier reason) so they show on the fields."""

    class Meta:
        model = Vendor
        fields = [
            "name",
            "legal_name",
            "country",
            "service_type",
            "services_description",
            "tier",
            "tier_reason",
            "status",
            "relationship_owner",
            "parent",
        ]

    def clean(self):
        cleaned = super().clean()
        try:
            services.vendor_check(instance=self.instance, data=cleaned)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        return cleaned


@admin.register(Vendor)
class VendorAdmin(VendorsServiceAdmin):
    """Vendors; tier changes are recorded with their reason (see the inline)."""

    entity = "vendor"
    list_display = ("name", "tier", "status", "service_type", "country", "relationship_owner")
    list_filter = ("tier", "status", "service_type")
    list_select_related = ("relationship_owner",)
    search_fields = ("name", "legal_name", "country")
    raw_id_fields = ("relationship_owner", "parent")
    inlines = [TierChangeInline]

    form = VendorAdminForm


@admin.register(Certification)
class CertificationAdmin(VendorsServiceAdmin):
    entity = "certification"
    list_display = ("vendor", "kind", "cmmi_level", "issued_on", "expires_on")
    list_filter = ("kind",)
    list_select_related = ("vendor",)
    search_fields = ("vendor__name", "name", "scope")
    raw_id_fields = ("vendor",)


@admin.register(Contact)
class ContactAdmin(VendorsServiceAdmin):
    entity = "contact"
    list_display = ("name", "vendor", "side", "level", "role", "email")
    list_filter = ("side", "level")
    list_select_related = ("vendor",)
    search_fields = ("name", "email", "vendor__name")
    raw_id_fields = ("vendor",)


@admin.register(VendorTierChange)
class VendorTierChangeAdmin(admin.ModelAdmin):
    """The tier history, read-only: it is written by the vendor services."""

    list_display = ("vendor", "from_tier", "to_tier", "changed_by", "created_at")
    list_select_related = ("vendor", "changed_by")
    readonly_fields = [f.name for f in VendorTierChange._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the history is kept


@admin.register(CertificationReminder)
class CertificationReminderAdmin(admin.ModelAdmin):
    """Reminders sent by the daily job, read-only."""

    list_display = ("certification", "kind", "expires_on", "sent_on", "recipients")
    list_filter = ("kind",)
    list_select_related = ("certification__vendor",)
    readonly_fields = [f.name for f in CertificationReminder._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a deleted reminder would be sent again
