"""Admin for users (role = group, vendor for representatives) and job runs (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core import roles
from core.models import TaskRun, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin plus the vendor a representative belongs to and the role column.

    The role is the group held (``core.roles``); ``manage.py create_user``
    provisions the same thing from the command line.
    """

    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Covenant", {"fields": ("vendor",)}),
    )
    list_display = ("username", "display_name", "role_label", "vendor", "is_active", "last_login")
    list_filter = ("groups", "is_active", "is_superuser")
    list_select_related = ("vendor",)
    raw_id_fields = ("vendor",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Role")
    def role_label(self, obj: User) -> str:
        if obj.is_superuser:
            return roles.ROLE_LABELS[roles.ADMIN]
        # Read from the prefetched groups: one query for the whole page.
        names = {g.name for g in obj.groups.all()}
        role = next((r for r in roles.ALL_ROLES if r in names), None)
        return roles.ROLE_LABELS.get(role, "—")


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    """Job runs, for looking into a failed import or evaluation. Workers write them."""

    list_display = ("id", "kind", "status", "progress_done", "progress_total", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("kind", "message")
    list_select_related = ("requested_by",)
    readonly_fields = [f.name for f in TaskRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
