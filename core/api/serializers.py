"""Serializers of core's own resources."""

from __future__ import annotations

from rest_framework import serializers

from core.models import TaskRun


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
