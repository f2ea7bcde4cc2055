"""Project-wide fixtures: users per role, API clients, a temporary media root."""

from __future__ import annotations

import importlib

import pytest
from celery import _state as celery_state
from rest_framework.test import APIClient

from config.celery_app import app as celery_app
from core import roles
from core.services import api_token_create, user_provision

# The browser fixtures, one plugin for the whole run: one session-scoped Playwright.
pytest_plugins = ["tests.browser.fixtures"]


def role_groups_ensure() -> None:
    """The role groups, made as the data migration makes them (if they are missing)."""
    from django.apps import apps

    importlib.import_module("core.migrations.0003_roles").create_roles(apps, None)


@pytest.fixture(autouse=True)
def _role_groups_after_flush(request):
    """A transactional test (``transaction=True``, ``live_server``) starts after an earlier
    one flushed every table, the data migration's role groups with them: make them again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    )
    names = set(request.fixturenames)
    if transactional or names & {"transactional_db", "live_server"}:
        request.getfixturevalue("transactional_db")
        role_groups_ensure()


@pytest.fixture(autouse=True)
def _celery_current_app():
    """Keep the project's Celery app the current one.

    ``Celery(...)`` makes itself the current app, and ``shared_task`` proxies follow the
    current app: a test that builds its own (say, a sender on a private redis-server)
    would otherwise leave later tests publishing to a broker that no longer exists.
    """
    celery_app.set_current()
    default = celery_state.default_app
    yield
    celery_app.set_current()
    celery_state.set_default_app(default)


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
