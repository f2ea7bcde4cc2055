"""Project-wide fixtures: users per role, API clients, a temporary media root."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from core import roles
from core.services import api_token_create, user_provision


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Run tasks in process, even when REDIS_URL is set (CI), except in real-worker tests.

    Without this, ``task.delay().get()`` would wait for a worker nobody started.
    """
    if request.node.get_closest_marker("worker"):
        yield
        return
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def make_user(db):
    """make_user(role, vendor=None, username=None) -> a user holding that role."""
    counter = {"n": 0}

    def _make(role: str, *, vendor=None, username: str | None = None):
        counter["n"] += 1
        return user_provision(
            username=username or f"{role}{counter['n']}",
            role=role,
            vendor_id=vendor.pk if vendor is not None else None,
            password="pw-12345678",
        )

    return _make


@pytest.fixture
def gov_user(make_user):
    return make_user(roles.GOVERNANCE_OFFICE)


@pytest.fixture
def executive(make_user):
    return make_user(roles.EXECUTIVE)


@pytest.fixture
def auditor(make_user):
    return make_user(roles.AUDITOR)


def token_client(user) -> APIClient:
    """An APIClient that sends ``Authorization: Token <key>`` for a fresh token of ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)}")
    return client


@pytest.fixture
def api_client_for():
    """api_client_for(user) -> ``token_client(user)``, for tests that take fixtures."""
    return token_client


@pytest.fixture
def gov_api(api_client_for, gov_user):
    return api_client_for(gov_user)


@pytest.fixture
def gov_client(client, gov_user):
    client.force_login(gov_user)
    return client
