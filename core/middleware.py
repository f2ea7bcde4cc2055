"""Request-wide concerns: a login for every page, and a clean 503 while the database is down.

* ``DatabaseUnavailableMiddleware`` (first in ``MIDDLEWARE``): a request that
  meets a database outage (a restart, a failover, a dropped connection)
  answers **503** with ``Retry-After`` instead of 500: a JSON body under
  ``/api/``, the "temporarily unavailable" page elsewhere. Nothing was
  acknowledged, so the client retries. ``CONN_HEALTH_CHECKS`` (settings)
  replaces the dropped connection at the next request, so the server recovers
  once the database is back, without a restart.
* ``LoginRequiredMiddleware``: every page needs a login; the API answers
  401/403 itself, and the login page and health checks are open.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

OPEN_PREFIXES = ("/accounts/login", "/api/", "/static/", "/healthz", "/health/", "/admin/")

RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"
UNAVAILABLE_DETAIL = "The database is unavailable; nothing was changed. Try again shortly."


def is_database_outage(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) says the database cannot be reached."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def unavailable_response(request) -> HttpResponse:
    """The 503 answer: JSON for the API, a self-contained page (no database needed) for browsers."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": UNAVAILABLE_DETAIL}, status=503)
    else:
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _note_outage(sender, request=None, **kwargs) -> None:
    """Mark a request whose error (turned into a 500 by an inner layer) was a database outage.

    Errors raised in other middleware (the session or the user loaded lazily)
    never reach ``process_exception``; Django turns them into a 500 at that
    layer, after sending this signal from inside its ``except`` block.
    """
    if request is not None and is_database_outage(sys.exc_info()[1]):
        request.database_outage = True


got_request_exception.connect(_note_outage, dispatch_uid="covenant-database-outage")


class DatabaseUnavailableMiddleware:
    """Answer 503 (never 500) while the database cannot be reached; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_outage", False):
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return unavailable_response(request)
        return None


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
