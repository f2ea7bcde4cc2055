"""The one permission rule (DESIGN.md section 7), used by pages and API alike.

Two primitives:

* ``restrict(queryset, user=..., action=VIEW|CHANGE)`` narrows any queryset to
  the rows the user may see or change. Every list, detail page, API endpoint,
  export and report starts from it, so a row outside the user's scope is
  absent everywhere and answers 404.
* ``may_create(user=..., model=..., vendor_id=...)`` says whether the user may
  add a row of ``model`` under that vendor.

A model states how it reaches its vendor with ``scope_vendor_path`` and which
models vendor representatives may see or change (see ``CovenantModel``).
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from rest_framework import permissions as drf_permissions

from core import roles

VIEW = "view"
CHANGE = "change"


def _vendor_lookup(model: type[Model], suffix: str = "") -> str:
    path = getattr(model, "scope_vendor_path", "vendor")
    if path == "pk":
        return suffix.lstrip("_") if suffix else "pk"
    return f"{path}{suffix}"


def restrict(queryset: QuerySet, *, user, action: str = VIEW) -> QuerySet:
    """Rows of ``queryset`` that ``user`` may see (VIEW) or change (CHANGE)."""
    role = roles.role_of(user)
    model = queryset.model
    if role is None:
        return queryset.none()
    if role in roles.WRITERS:
        return queryset
    if role == roles.VENDOR_USER:
        if not getattr(model, "visible_to_vendor_users", False) or not user.vendor_id:
            return queryset.none()
        if action == CHANGE and not getattr(model, "vendor_users_may_change", False):
            return queryset.none()
        return queryset.filter(**{_vendor_lookup(model): user.vendor_id})
    if action == VIEW:
        return queryset  # vendor_manager, executive, auditor read everything
    if role == roles.VENDOR_MANAGER:
        return queryset.filter(**{_vendor_lookup(model, "__relationship_owner"): user})
    return queryset.none()  # executive, auditor: read-only


def may_create(*, user, model: type[Model], vendor_id: int | None) -> bool:
    """May ``user`` add a ``model`` row belonging to vendor ``vendor_id``?"""
    role = roles.role_of(user)
    if role in roles.WRITERS:
        return True
    if role == roles.VENDOR_MANAGER:
        if vendor_id is None or model._meta.label == "vendors.Vendor":
            return False
        from vendors.models import Vendor

        return Vendor.objects.filter(pk=vendor_id, relationship_owner=user).exists()
    if role == roles.VENDOR_USER:
        return (
            getattr(model, "vendor_users_may_change", False)
            and vendor_id is not None
            and vendor_id == user.vendor_id
        )
    return False


def may_write_any(*, user, model: type[Model]) -> bool:
    """Could ``user`` change some row of ``model``? Decides whether buttons show."""
    role = roles.role_of(user)
    if role in roles.WRITERS:
        return True
    if role == roles.VENDOR_MANAGER:
        return True  # their own vendors and all under them; rows are checked one by one
    if role == roles.VENDOR_USER:
        return getattr(model, "vendor_users_may_change", False)
    return False


def may_add_any(*, user, model: type[Model]) -> bool:
    """Could ``user`` add some row of ``model``? Decides whether "Add" buttons show."""
    role = roles.role_of(user)
    if role == roles.VENDOR_MANAGER and model._meta.label == "vendors.Vendor":
        return False  # managers look after the vendors they own; they do not add vendors
    return may_write_any(user=user, model=model)


class RolePermission(drf_permissions.BasePermission):
    """DRF face of the rule: authentication required, writes checked per row.

    Object-level checks use ``restrict(..., action=CHANGE)``; creation is
    checked by ``core.api.viewsets.ScopedModelViewSet.perform_create`` once the
    payload's vendor is known.
    """

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return roles.role_of(request.user) in roles.WRITERS
        return may_write_any(user=request.user, model=model)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return restrict(
            type(obj).objects.filter(pk=obj.pk), user=request.user, action=CHANGE
        ).exists()
