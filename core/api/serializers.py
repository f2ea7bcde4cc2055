"""The serializer mechanics every app's API shares, and core's own resources.

* ``ScopedPrimaryKeyRelatedField``: a related id must name a row the caller
  may see; any other id "does not exist" (400 on that field), so a payload
  never learns of or links to another vendor's rows.
* ``InternalFieldsMixin``: drops the model's ``internal_fields`` (baseline
  cost, savings target, internal notes…) from what vendor representatives
  receive (``core.permissions.hidden_fields`` decides; DESIGN.md section 7).
* ``ScopedModelSerializer``: a ``ModelSerializer`` with both.
"""

from __future__ import annotations

from rest_framework import serializers

from core import permissions
from core.models import TaskRun


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row the requesting user may see; others "do not exist"."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None or not hasattr(queryset.model, "scope_vendor_path"):
            return queryset
        return permissions.restrict(queryset, user=request.user)


class InternalFieldsMixin:
    """Leave out the fields ``core.permissions.hidden_fields`` hides from the caller.

    The schema marks those fields optional in responses
    (``core.api.schema.CovenantAutoSchema``), so generated clients accept
    their absence.
    """

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        model = getattr(getattr(self, "Meta", None), "model", None)
        if request is not None and model is not None:
            for name in permissions.hidden_fields(user=request.user, model=model):
                data.pop(name, None)
        return data


class ScopedModelSerializer(InternalFieldsMixin, serializers.ModelSerializer):
    """A model serializer whose related ids are scoped and whose internal fields stay inside."""

    serializer_related_field = ScopedPrimaryKeyRelatedField


class TaskRunSerializer(serializers.ModelSerializer):
    """A job run as integrations poll it: status, progress, message and result."""

    percent = serializers.IntegerField(read_only=True, help_text="0–100; 100 once done.")

    class Meta:
        model = TaskRun
        fields = [
            "id",
            "kind",
            "status",
            "progress_done",
            "progress_total",
            "percent",
            "message",
            "result",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
