"""The stored first answers of ``POST`` requests sent with an ``Idempotency-Key``.

DESIGN.md section 6: "A ``POST`` may carry an ``Idempotency-Key`` header: the
same key and body again within 24 hours returns the first answer and creates
nothing." The API side lives in ``core.api.idempotency``; this module only
holds the table, so ``core.models`` can import it without DRF.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from django.db import models

# How long a key's first answer is kept and replayed (DESIGN.md section 6).
IDEMPOTENCY_WINDOW = timedelta(hours=24)


class IdempotencyKey(models.Model):
    """One client key of one user, the request it came with, and the first answer given.

    Keys are per user (two integrations may both send ``key-1``). A row with
    no ``status_code`` is a request still being answered: a second request
    with the key meanwhile is refused (409) rather than run twice. Only
    successful (2xx) answers are kept; after an error the key is free again,
    so the client can correct the request and retry with it.
    """

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    # sha256 of method, path and body: "the same key and body again".
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="idempotency_key_unique_per_user",
                violation_error_message="This Idempotency-Key is already in use.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"


def idempotency_keys_purge(*, now: datetime) -> int:
    """Delete the keys older than the 24-hour window at ``now``; returns how many went.

    Replay only ever looks inside the window, so an older row is dead weight.
    Running it twice for the same ``now`` deletes nothing the second time.
    """
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_WINDOW).delete()
    return deleted


# Defined here (core.models imports this module) so every process registers it.
@shared_task(name="core.idempotency.purge_idempotency_keys_task")
def purge_idempotency_keys_task(at: str | None = None) -> int:
    """Thin task of the ``purge-idempotency-keys`` job (``run_job ... --at``)."""
    from core.jobs import job_now

    return idempotency_keys_purge(now=job_now(at))
