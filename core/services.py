"""Generic write helpers the apps' services build on.

Every write validates the instance (``full_clean``: fields, unique keys and
the model's check constraints) before saving, so forms, API, imports and
commands all get the same field-level errors and nothing invalid is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from core.audit import audited

if TYPE_CHECKING:
    from core.models import TaskRun, User

M = TypeVar("M", bound=models.Model)


def _assign(instance: M, data: dict[str, Any]) -> list[tuple[models.Field, Any]]:
    """Set plain fields now; return many-to-many values to set after saving."""
    m2m = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m.append((field, value))
        elif field.many_to_one and value is not None and not isinstance(value, models.Model):
            setattr(instance, field.attname, value)  # a bare id
        else:
            setattr(instance, name, value)
    return m2m


@transaction.atomic
def model_create(*, model: type[M], data: dict[str, Any]) -> M:
    """Create and return a validated ``model`` row from ``data`` (field name -> value)."""
    instance = model()
    m2m = _assign(instance, data)
    instance.full_clean()
    instance.save()
    for field, value in m2m:
        getattr(instance, field.name).set(value)
    return instance


@transaction.atomic
def model_update(*, instance: M, data: dict[str, Any]) -> M:
    """Apply ``data`` to ``instance``, validate and save it."""
    m2m = _assign(instance, data)
    instance.full_clean()
    instance.save()
    for field, value in m2m:
        getattr(instance, field.name).set(value)
    return instance


@transaction.atomic
def model_delete(*, instance: models.Model) -> None:
    """Delete ``instance``; a ProtectedError means other rows still reference it."""
    instance.delete()


@audited("core:user_provision")
@transaction.atomic
def user_provision(
    *,
    username: str,
    role: str,
    vendor_id: int | None = None,
    password: str | None = None,
    email: str = "",
    actor: User | None = None,
):
    """Create or update a user holding exactly ``role``.

    A vendor_user must name the vendor they represent; a vendor_manager may
    name a vendor, whose relationship owner they become. The user, the role
    given (and any taken away) land in the audit trail with ``actor``.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.exceptions import ValidationError

    from core import roles

    # The Vendor model through the user's own link to it: core imports no domain app.
    Vendor = get_user_model()._meta.get_field("vendor").related_model
    if role not in roles.ALL_ROLES:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    vendor = None
    if vendor_id is not None:
        vendor = Vendor.objects.filter(pk=vendor_id).first()
        if vendor is None:
            raise ValidationError({"vendor": f"No vendor with id {vendor_id}."})
    if role == roles.VENDOR_USER and vendor is None:
        raise ValidationError({"vendor": "A vendor_user must belong to a vendor (--vendor)."})
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if email:
        user.email = email
    user.vendor = vendor if role == roles.VENDOR_USER else None
    user.is_staff = role == roles.ADMIN
    user.is_superuser = role == roles.ADMIN
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()  # no password given: nobody signs in until one is set
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    if role == roles.VENDOR_MANAGER and vendor is not None:
        vendor.relationship_owner = user
        vendor.save(update_fields=["relationship_owner", "updated_at"])
    return user


@audited("core:user_deactivate")
@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """Deactivate a user: they can no longer sign in, and their API tokens stop working.

    The account and everything it did stay (the audit trail names it); the
    change of ``is_active`` is itself an audit event, with ``actor``.
    """
    from knox.models import AuthToken

    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    AuthToken.objects.filter(user=user).delete()
    return user


@audited("core:user_reactivate")
@transaction.atomic
def user_reactivate(*, user: User, actor: User | None = None) -> User:
    """Let a deactivated user sign in again (an audit event, with ``actor``)."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def api_token_create(*, user, days: int | None = None) -> str:
    """Create an API token for ``user``; returns the clear key (only a hash is stored)."""
    from datetime import timedelta

    from knox.models import AuthToken
    from knox.settings import knox_settings

    ttl = timedelta(days=days) if days else knox_settings.TOKEN_TTL
    _, key = AuthToken.objects.create(user=user, expiry=ttl)
    return key


def task_run_create(*, kind: str, requested_by=None, total: int = 0, message: str = "") -> TaskRun:
    """Record a queued long job (import, evaluation, report) that its requester can watch.

    Call it before dispatching the Celery task and pass the run's id to the
    task, which reports progress with ``task_run_update``.
    """
    from core.models import TaskRun

    return TaskRun.objects.create(
        kind=kind, requested_by=requested_by, progress_total=total, message=message
    )


def task_run_update(
    *,
    run_id: int,
    status: str | None = None,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
    result: dict | None = None,
) -> TaskRun:
    """Report a job's progress; only the arguments given are changed.

    Tasks call this as they go. It is one UPDATE of just those columns, so
    batches of one job running on several workers at once never overwrite
    each other's fields, and calling it twice with the same values is
    harmless. Moving to ``running`` stamps ``started_at`` (the first time
    only) and clears ``finished_at`` (a rerun); moving to ``done`` or
    ``failed`` stamps ``finished_at``. Raises
    ``ValidationError`` for an unknown status or a negative count, and
    ``TaskRun.DoesNotExist`` when there is no such run.
    """
    from django.core.exceptions import ValidationError
    from django.db.models.functions import Coalesce, Now

    from core.models import TaskRun

    changes: dict[str, Any] = {}
    if status is not None:
        if status not in TaskRun.Status.values:
            raise ValidationError({"status": f"Unknown task status {status!r}."})
        changes["status"] = status
        if status == TaskRun.Status.RUNNING:
            changes["started_at"] = Coalesce("started_at", Now())
            # A redelivered job (its worker was killed) runs again: a run the
            # stale sweep had closed is open again until the rerun ends.
            changes["finished_at"] = None
        elif status in (TaskRun.Status.DONE, TaskRun.Status.FAILED):
            changes["started_at"] = Coalesce("started_at", Now())
            changes["finished_at"] = Now()
    for field, value in (("progress_done", done), ("progress_total", total)):
        if value is not None:
            if value < 0:
                raise ValidationError({field: "Must be zero or more."})
            changes[field] = value
    if message is not None:
        changes["message"] = message
    if result is not None:
        changes["result"] = result
    if changes and not TaskRun.objects.filter(pk=run_id).update(**changes):
        raise TaskRun.DoesNotExist(f"No task run with id {run_id}.")
    return TaskRun.objects.get(pk=run_id)


def task_runs_fail_stale(*, older_than_hours: int = 6, now=None) -> int:
    """Mark failed the runs still queued or running ``older_than_hours`` after they were queued.

    A worker that dies mid-job (killed container, lost machine) never reports
    the end, and the run's page would refresh forever; this closes such runs
    with a message saying so. Returns how many runs it closed. Running it
    twice closes nothing more.
    """
    from datetime import timedelta

    from django.db.models.functions import Coalesce, Now
    from django.utils import timezone

    from core.models import TaskRun

    cutoff = (now or timezone.now()) - timedelta(hours=older_than_hours)
    return TaskRun.objects.filter(
        status__in=[TaskRun.Status.QUEUED, TaskRun.Status.RUNNING], created_at__lt=cutoff
    ).update(
        status=TaskRun.Status.FAILED,
        started_at=Coalesce("started_at", Now()),
        finished_at=Now(),
        message=f"Stopped: no worker finished this job within {older_than_hours} hours.",
    )
