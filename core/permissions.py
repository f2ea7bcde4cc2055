"""The one permission rule (DESIGN.md section 7), used by pages and API alike.

Two primitives:

* ``restrict(queryset, user=..., action=VIEW|CHANGE)`` narrows any queryset to
  the rows the user may see or change. Every list, detail page, API endpoint,
  export and report starts from it, so a row outside the user's scope is
  absent everywhere and answers 404.
* ``may_create(user=..., model=..., vendor_id=...)`` says whether the user may
  add a row of ``model`` under that vendor.

and their one-object faces, ``may_view(user=..., obj=...)`` and
``may_change(user=..., obj=...)``, plus ``vendor_of(user)`` (the vendor a
representative belongs to). Views, serializers and services ask these
functions; none of them compares a role by name (that happens here and in
``core.roles`` only). Pages and API answer alike: an object outside the
user's view scope is 404, an object they may see but not change is 403.

A model states how it reaches its vendor with ``scope_vendor_path`` and which
models vendor representatives may see or change (see ``CovenantModel``), and
names the fields vendor representatives never receive with
``internal_fields`` (baseline cost, savings target, internal notes: DESIGN.md
section 7); ``hidden_fields`` is the one place that decides it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
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


def vendor_of(user) -> int | None:
    """The id of the vendor ``user`` represents (vendor_user only); None for every other role."""
    if roles.role_of(user) != roles.VENDOR_USER:
        return None
    return user.vendor_id


def may_view(*, user, obj: Model) -> bool:
    """May ``user`` see this one object (its page, its API detail)?"""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user=user).exists()


def may_change(*, user, obj: Model) -> bool:
    """May ``user`` change (edit, delete, move along a workflow) this one object?"""
    role = roles.role_of(user)
    if role in roles.WRITERS:
        return True  # no query: writers change everything
    if role is None or role in roles.READ_ONLY:
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user=user, action=CHANGE).exists()


def has_office_powers(user) -> bool:
    """The governance office's own acts: run evaluations, waive breaches, reopen waivers."""
    return roles.role_of(user) in roles.WRITERS


def reads_everything(user) -> bool:
    """Staff who oversee every vendor's data and jobs (writers, executives, auditors)."""
    role = roles.role_of(user)
    return role in roles.WRITERS or role in roles.READ_ONLY


def is_vendor_side(user) -> bool:
    """Is ``user`` a vendor's representative (sees only their vendor's shared rows)?"""
    return roles.role_of(user) == roles.VENDOR_USER


def sees_internal(user) -> bool:
    """Does ``user`` see the office's internal figures and notes? Everyone but vendor users."""
    return not is_vendor_side(user)


def has_admin_powers(user) -> bool:
    """Administrators: users, system-wide settings, everyone's notification preferences."""
    return roles.role_of(user) == roles.ADMIN


def enters_data(user) -> bool:
    """Anyone but the read-only roles (executives, auditors): imports, "my" work lists."""
    return roles.role_of(user) not in roles.READ_ONLY


def lands_on_portfolio(user) -> bool:
    """Executives start from the portfolio (reports), not from the office's dashboard."""
    return roles.role_of(user) == roles.EXECUTIVE


def may_request_portfolio(user) -> bool:
    """The office and executives: the portfolio pack, and QBRs of every vendor they see."""
    role = roles.role_of(user)
    return role in roles.WRITERS or role == roles.EXECUTIVE


def may_request_reports(user) -> bool:
    """Could ``user`` request some QBR (also vendor managers, for the vendors they own)?"""
    return may_request_portfolio(user) or roles.role_of(user) == roles.VENDOR_MANAGER


def hidden_fields(*, user, model: type[Model]) -> frozenset[str]:
    """Field names of ``model`` that ``user`` must not receive (``model.internal_fields``)."""
    if sees_internal(user):
        return frozenset()
    return frozenset(getattr(model, "internal_fields", ()))


def internal_staff(users: QuerySet) -> QuerySet:
    """The users of ``users`` who work for the office (may own relationships), not vendors'."""
    return users.filter(
        groups__name__in=[roles.ADMIN, roles.GOVERNANCE_OFFICE, roles.VENDOR_MANAGER]
    ).distinct()


def office_staff(users: QuerySet) -> QuerySet:
    """The users of ``users`` in the governance office (recipients of office-wide reminders)."""
    return users.filter(groups__name=roles.GOVERNANCE_OFFICE)


def executives(users: QuerySet) -> QuerySet:
    """The users of ``users`` who are executives (readers of every ready QBR)."""
    return users.filter(groups__name=roles.EXECUTIVE)


def without_vendor_side(users: QuerySet) -> QuerySet:
    """The users of ``users`` who are not vendor representatives (the office's people)."""
    return users.exclude(groups__name=roles.VENDOR_USER)


def may_create(*, user, model: type[Model], vendor_id: int | None) -> bool:
    """May ``user`` add a ``model`` row belonging to vendor ``vendor_id``?"""
    role = roles.role_of(user)
    if role in roles.WRITERS:
        return True
    if role == roles.VENDOR_MANAGER:
        if vendor_id is None or model is _vendor_model():
            return False
        return _vendor_model().objects.filter(pk=vendor_id, relationship_owner=user).exists()
    if role == roles.VENDOR_USER:
        return (
            getattr(model, "vendor_users_may_change", False)
            and vendor_id is not None
            and vendor_id == user.vendor_id
        )
    return False


def _vendor_model() -> type[Model]:
    """The Vendor model, found through ``User.vendor``: core imports no domain app."""
    return get_user_model()._meta.get_field("vendor").related_model


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
    if role == roles.VENDOR_MANAGER and model is _vendor_model():
        return False  # managers look after the vendors they own; they do not add vendors
    return may_write_any(user=user, model=model)


class RolePermission(drf_permissions.BasePermission):
    """DRF face of the rule: authentication required, writes checked per row.

    A write to one object (``PATCH``/``PUT``/``DELETE``, a ``POST`` to a
    detail action) is decided on the object: the viewset looks it up in the
    user's *view* scope (404 when outside it), then ``may_change`` decides
    (403 when read-only for them). A write to a collection (``POST`` create)
    needs ``may_write_any``; the row's vendor is checked by
    ``core.api.viewsets.ScopedModelViewSet.perform_create`` once known.
    """

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        if getattr(view, "detail", False) or view.kwargs.get(getattr(view, "lookup_field", "pk")):
            return True  # decided on the object, after the 404 of an unseen one
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return has_office_powers(request.user)
        return may_write_any(user=request.user, model=model)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in drf_permissions.SAFE_METHODS:
            return True
        return may_change(user=request.user, obj=obj)
