"""API error shape: DRF's ``{"field": ["message"]}`` for everything a client can cause.

Django ``ValidationError`` raised by services (model ``full_clean``) and
database integrity errors become 400s with field messages, and protected
deletes become 409, so nothing a client sends can produce a 500.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def django_error_detail(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [
                str(m) for m in errors[0].messages
            ]
            if len(errors) == 1
            else [m for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=django_error_detail(exc))
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        names = (
            sorted({o._meta.verbose_name_plural for o in exc.protected_objects})
            if hasattr(exc, "protected_objects")
            else []
        )
        return Response(
            {
                "detail": "This object is still referenced by other records and cannot be deleted.",
                "referenced_by": names,
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, IntegrityError):
        return Response(
            {"non_field_errors": ["The data conflicts with existing records or a constraint."]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    elif isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, Http404):
        # The client still gets a 400, but this is a validation gap in our code:
        # log it with its traceback so it is found and fixed at the right place.
        logger.exception("Unvalidated input reached the code: %s", exc)
        return Response({"non_field_errors": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
