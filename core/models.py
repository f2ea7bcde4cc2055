"""Users and the abstract base every Covenant model shares."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import NoReverseMatch, reverse

from core import roles
from core.audit import track_roles, tracked


# DESIGN.md section 7: "Every change, by any path … lands in the audit trail":
# users too — created, changed, deactivated (``is_active``), their vendor and
# their roles (``track_roles``). The password hash and the last sign-in stay out.
@tracked(exclude=("password", "last_login"))
class User(AbstractUser):
    """A person or integration that signs in. The role is the Django group held.

    ``vendor`` is set for a vendor_user: the one vendor whose representative
    they are, and the only vendor they may see.
    """

    vendor = models.ForeignKey(
        "vendors.Vendor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        help_text="For vendor representatives: the vendor they belong to.",
    )

    class Meta:
        ordering = ["username"]

    @property
    def role(self) -> str | None:
        return roles.role_of(self)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


track_roles(User)


class CovenantModel(models.Model):
    """Abstract base: creation/update timestamps and the conventional URLs.

    ``scope_vendor_path`` is the ORM path from the model to the Vendor it
    belongs to ("pk" for Vendor itself); ``core.permissions`` uses it to
    restrict every list, page and API answer to what the user may see.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_vendor_path: str = "vendor"
    # vendor_user may see rows of this model (restricted to their vendor)
    visible_to_vendor_users: bool = False
    # vendor_user may create/change rows of this model for their vendor
    vendor_users_may_change: bool = False
    # fields vendor_user never receives, in the API or on pages: internal figures
    # and notes (DESIGN.md section 7; core.permissions.hidden_fields)
    internal_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return self._url("detail")

    def _url(self, action: str) -> str:
        meta = self._meta
        return reverse(f"{meta.app_label}:{meta.model_name}_{action}", args=[self.pk])

    @property
    def edit_url(self) -> str:
        return self._url("edit")

    @property
    def delete_url(self) -> str:
        """Empty for records that are never deleted on their own (a transition plan)."""
        try:
            return self._url("delete")
        except NoReverseMatch:
            return ""

    @property
    def history_url(self) -> str:
        return self._url("history")

    def scope_vendor_id(self) -> int | None:
        """The id of the vendor this row belongs to, following scope_vendor_path."""
        if self.scope_vendor_path == "pk":
            return self.pk
        obj = self
        parts = self.scope_vendor_path.split("__")
        for part in parts[:-1]:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return getattr(obj, f"{parts[-1]}_id", None)


class TaskRun(models.Model):
    """A long job (import, evaluation, report) the user can watch.

    Created when the job is queued; the Celery task updates ``status``,
    ``progress_done``/``progress_total`` and ``message`` as it goes.

    ``task_name``, ``task_args``, ``task_kwargs`` and ``task_options`` record
    the Celery message that carries the job (``core.dispatch``), so a job whose
    message never reached the broker (status ``waiting``) can be sent again
    later; ``sent_at`` is when the broker took it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        # Committed, but the broker (or result backend) was down when the job
        # was sent: core.dispatch's sweep sends it once the broker is back.
        WAITING = "waiting", "Waiting for the broker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_name = models.CharField(max_length=200, blank=True)
    task_args = models.JSONField(default=list, blank=True)
    task_kwargs = models.JSONField(default=dict, blank=True)
    task_options = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    send_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The dispatch sweep's scan: runs with a message not yet on the broker.
            models.Index(
                fields=["created_at"],
                name="taskrun_unsent_idx",
                condition=models.Q(sent_at__isnull=True) & ~models.Q(task_name=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))


# Defined apart so that ``core.api.idempotency`` and this module stay small;
# imported here so Django registers the model with the ``core`` app.
from core.idempotency import IdempotencyKey  # noqa: E402, F401
