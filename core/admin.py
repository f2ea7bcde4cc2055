"""Admin for users (role = group, vendor for representatives) and job runs (read-only),
and ``ServiceAdmin``, the base every app's admin saves through."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from core import roles
from core.models import TaskRun, User


class ServiceAdmin(admin.ModelAdmin):
    """Creates, changes and deletes through an app's services (``<entity>_create`` …).

    ``services`` is the app's services module and ``entity`` the prefix of its
    functions. The admin is one more path like the pages and the API: the
    services validate, keep histories, queue evaluations and record the actor.
    "Delete selected" deletes one row at a time through ``<entity>_delete``.
    A protected or refused deletion shows the service's message.

    ``many_to_many``: the service also takes the model's many-to-many fields
    (and sets them itself: the admin then saves only its inlines).
    ``reload_instance``: the update service receives the row as stored, not
    the admin form's already-changed object (services that compare the two).
    """

    services = None
    entity = ""
    many_to_many = False
    reload_instance = False

    def _service(self, verb: str):
        return getattr(self.services, f"{self.entity}_{verb}")

    def save_model(self, request, obj, form, change):
        names = {f.name for f in obj._meta.concrete_fields}
        if self.many_to_many:
            names |= {f.name for f in obj._meta.many_to_many}
        data = {name: value for name, value in form.cleaned_data.items() if name in names}
        if change:
            instance = type(obj)._default_manager.get(pk=obj.pk) if self.reload_instance else obj
            saved = self._service("update")(instance=instance, actor=request.user, data=data)
            saved = instance if saved is None else saved
        else:
            saved = self._service("create")(actor=request.user, data=data)
            obj.pk = saved.pk
            obj._state.adding = False  # the service saved it; the admin's log and redirect use obj
        # Values the service set (a recomputed deadline, a rolled-over term) show on the page.
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def save_related(self, request, form, formsets, change):
        if not self.many_to_many:
            super().save_related(request, form, formsets, change)
            return
        # The service set the many-to-many fields; the admin must not set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self._service("delete")(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("pk"):
            self._service("delete")(instance=obj, actor=request.user)


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
