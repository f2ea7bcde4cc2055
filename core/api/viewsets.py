"""Base viewset: the one permission rule and the apps' services behind DRF.

A concrete viewset names its ``queryset`` (usually from a selector),
``serializer_class``, ``filterset_class`` and optionally the service
functions to call for create/update/delete. Without them the generic
``core.services`` helpers are used, which validate like the forms do.

Every viewset built on it also gets:

* the scope rule of DESIGN.md section 7: objects are looked up in the
  caller's *view* scope (404 outside it), and a write to one they may see
  but not change is 403 (``core.permissions.RolePermission``);
* ``Idempotency-Key`` on ``POST`` (``core.api.idempotency``);
* a ``Location`` header on every 201 that answers with an object's ``id``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from core import permissions, services
from core.api.idempotency import IdempotencyMixin


class LocationMixin:
    """Adds ``Location: <detail URL>`` to a 201 whose body is one object with an ``id``."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            response.status_code == 201
            and not response.has_header("Location")
            and isinstance(data, dict)
            and data.get("id") is not None
            and getattr(self, "basename", None)
        ):
            # A viewset without a detail route has nothing to point at.
            with contextlib.suppress(NoReverseMatch):
                response["Location"] = self.reverse_action("detail", args=[data["id"]])
        return response


class ScopedModelViewSet(IdempotencyMixin, LocationMixin, viewsets.ModelViewSet):
    """CRUD restricted to the user's scope; writes go through services."""

    create_service = None  # callable(*, actor, data) -> instance
    update_service = None  # callable(*, instance, actor, data) -> instance
    delete_service = None  # callable(*, instance, actor) -> None

    def get_queryset(self):
        # Always the view scope: an object the caller may see but not change
        # must be found, so that the object permission can answer 403 (404 is
        # for what they may not see at all).
        return permissions.restrict(super().get_queryset(), user=self.request.user)

    def vendor_id_for_create(self, data: dict[str, Any]) -> int | None:
        """The vendor the new row would belong to, read from validated data."""
        model = self.get_queryset().model
        path = getattr(model, "scope_vendor_path", "vendor")
        if path == "pk":
            return None
        parts = path.split("__")
        obj = data.get(parts[0])
        for part in parts[1:]:
            if obj is None:
                return None
            obj = getattr(obj, part, None)
        return getattr(obj, "pk", obj)

    def perform_create(self, serializer):
        model = self.get_queryset().model
        data = dict(serializer.validated_data)
        if not permissions.may_create(
            user=self.request.user, model=model, vendor_id=self.vendor_id_for_create(data)
        ):
            raise PermissionDenied("You may not create this object.")
        with transaction.atomic():
            if self.create_service is not None:
                serializer.instance = type(self).create_service(actor=self.request.user, data=data)
            else:
                serializer.instance = services.model_create(model=model, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        instance = serializer.instance
        new_vendor = self.vendor_id_for_create({**_fields(instance), **data})
        # A Vendor row is its own scope ("pk"): it cannot move to another vendor.
        moves = instance.scope_vendor_path != "pk" and new_vendor != instance.scope_vendor_id()
        if moves and not permissions.may_create(
            user=self.request.user, model=type(instance), vendor_id=new_vendor
        ):
            raise PermissionDenied("You may not move this object to that vendor.")
        if self.update_service is not None:
            serializer.instance = type(self).update_service(
                instance=instance, actor=self.request.user, data=data
            )
        else:
            serializer.instance = services.model_update(instance=instance, data=data)

    def perform_destroy(self, instance):
        if self.delete_service is not None:
            type(self).delete_service(instance=instance, actor=self.request.user)
        else:
            services.model_delete(instance=instance)


class SelectorViewSet(ScopedModelViewSet):
    """Takes its queryset from the app's selector, ``selector(user=..., action=VIEW)``.

    Writes look the object up in the caller's *view* scope too, so that one
    they may see but not change answers 403 (``core.permissions.RolePermission``)
    and only one they may not see at all answers 404. Every app's API builds
    on this one class.
    """

    selector = None
    search_fields: list[str] = []  # ?search= is the FilterSet's, like the pages

    def get_queryset(self):
        return type(self).selector(user=self.request.user, action=permissions.VIEW)


def _fields(instance) -> dict[str, Any]:
    path = getattr(instance, "scope_vendor_path", "vendor")
    first = path.split("__")[0]
    if first == "pk":
        return {}
    return {first: getattr(instance, first, None)}
