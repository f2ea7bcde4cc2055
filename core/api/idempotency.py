"""``Idempotency-Key`` on ``POST`` (DESIGN.md section 6), for every viewset built on core's base.

The same key and body again within 24 hours returns the first answer (its
status, body and ``Location``, plus ``Idempotent-Replayed: true``) and creates
nothing. The same key with a different request (method, path or body) is 422
on ``Idempotency-Key``; the same key while its first request is still being
answered is 409. Only successful (2xx) answers are kept: after an error the
key is free again, so a client can correct its request and retry with it.

Keys are per user. A claim whose request died half-way (a killed worker
process) is released after ``STALE_CLAIM``, so the key is not stuck for a day.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.idempotency import IDEMPOTENCY_WINDOW, IdempotencyKey

HEADER = "Idempotency-Key"
STALE_CLAIM = timedelta(minutes=10)


class KeyInUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "A request with this Idempotency-Key is still being answered; retry in a moment."
    )
    default_code = "idempotency_key_in_use"


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"

    def __init__(self):
        super().__init__(
            {
                HEADER: [
                    "This key was first used with a different request (method, path or "
                    "body); use a new key for a new request."
                ]
            }
        )


class _Replay(Exception):
    """Carries the first answer out of ``initial`` to ``handle_exception``."""

    def __init__(self, response: Response):
        self.response = response


def _request_hash(request) -> str:
    try:
        body = request._request.body
    except RawPostDataException:  # already streamed (multipart): hash what was parsed
        body = json.dumps(request.data, cls=JSONEncoder, sort_keys=True, default=str).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyMixin:
    """A DRF view mixin: claim the key before the handler runs, keep the answer after."""

    _idempotency_claim: IdempotencyKey | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated and permitted first
        self._idempotency_claim = None
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return
        key = key.strip()
        if not key or len(key) > 255:
            raise ValidationError({HEADER: ["Send 1 to 255 characters (a UUID, say)."]})
        self._idempotency_claim = self._claim(request, key)

    def _claim(self, request, key: str) -> IdempotencyKey:
        now = timezone.now()
        digest = _request_hash(request)
        mine = IdempotencyKey.objects.filter(user=request.user, key=key)
        # Expired answers, and claims whose request died, free the key.
        mine.filter(created_at__lt=now - IDEMPOTENCY_WINDOW).delete()
        mine.filter(status_code__isnull=True, created_at__lt=now - STALE_CLAIM).delete()
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=request.user,
                    key=key,
                    method=request.method,
                    path=request.get_full_path()[:2000],
                    request_hash=digest,
                )
        except IntegrityError:
            first = mine.first()
            if first is None:  # freed between the insert and this read: the client may retry
                raise KeyInUse() from None
        if first.request_hash != digest:
            raise KeyReused()
        if first.status_code is None:
            raise KeyInUse()
        headers = {"Idempotent-Replayed": "true"}
        if first.location:
            headers["Location"] = first.location
        raise _Replay(Response(first.response_body, status=first.status_code, headers=headers))

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        claim, self._idempotency_claim = self._idempotency_claim, None
        if claim is None:
            return response
        if 200 <= response.status_code < 300 and isinstance(response, Response):
            claim.status_code = response.status_code
            claim.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
            claim.location = response.get("Location", "")[:2000]
            claim.save(update_fields=["status_code", "response_body", "location"])
        else:
            claim.delete()
        return response
