"""Every page of the demo answers without a server error, for every role.

Walks every named URL of the HTML side (the API has its own fuzz test) on the
seeded demo: pages without arguments as they are, pages of one record with the
first record of the model their name says (``app:model_action``). A 404 or 403
is a fine answer for a role that may not see a record; a 500 is not.
"""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from demo.seed import seed

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin", "api"}  # Django's admin; the API is fuzzed elsewhere
ROLES = ("demo-governance", "demo-manager", "demo-executive", "demo-auditor", "demo-vendor")


def named_patterns(patterns=None, namespace=None):
    """(full name, pattern) for every named route, namespaces included."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SKIPPED_NAMESPACES:
                continue
            inner = ":".join(n for n in (namespace, p.namespace) if n) or None
            yield from named_patterns(p.url_patterns, inner)
        elif p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p.pattern


def record_for(name: str):
    """The first record of the model a route like ``risks:risk_detail`` names."""
    app_label, _, rest = name.partition(":")
    model_name = rest.rsplit("_", 1)[0]
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    return model._default_manager.order_by("pk").first()


def urls() -> list[str]:
    found = []
    for name, pattern in named_patterns():
        keys = list(getattr(pattern, "converters", {}) or {}) or list(
            getattr(pattern, "regex", None).groupindex if hasattr(pattern, "regex") else []
        )
        if not keys:
            with contextlib.suppress(NoReverseMatch):
                found.append(reverse(name))
            continue
        if len(keys) != 1:
            continue
        obj = record_for(name)
        if obj is None:
            continue
        with contextlib.suppress(NoReverseMatch):
            found.append(reverse(name, kwargs={keys[0]: obj.pk}))
    return sorted(set(found))


def test_no_page_of_the_demo_fails_for_any_role():
    seed(today=date.today())
    pages = urls()
    assert len(pages) > 150  # the walk really reached the apps' pages
    failures = []
    for username in ROLES:
        client = Client(raise_request_exception=False)
        assert client.login(username=username, password="covenant-demo")
        for url in pages:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{username} {url} → {response.status_code}")
    assert failures == []
