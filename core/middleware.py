"""Every page needs a login; the API answers 401/403 itself, the login page is open."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

OPEN_PREFIXES = ("/accounts/login", "/api/", "/static/", "/healthz", "/admin/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
