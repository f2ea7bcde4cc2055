"""Property-based fuzzing of the whole REST API with schemathesis: no request gets a 500.

The OpenAPI schema is the one the app serves at ``/api/schema/`` (drf-spectacular).
Every operation in it becomes one pytest item; schemathesis generates valid and
invalid requests for it (path ids, query filters, bodies) and sends them to the
Django WSGI app in process, so they run inside pytest-django's test transaction
on the real PostgreSQL database. Each item seeds a small data set first, and
path ids and foreign keys in bodies are often swapped for ids of real rows, so
detail, update, delete and workflow endpoints reach their validation and
services rather than stopping at 404 or "invalid pk".

A 500 fails the test with the server-side traceback of the exception. So does
a ``ValueError``/``TypeError`` that reaches the API exception handler's last
resort (``core.api.exceptions``): that branch keeps the status a 400, but its
message is the exception text rather than a field error, and the exception is
a bug all the same.
"""

from __future__ import annotations

import datetime as dt
import traceback
from decimal import Decimal

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from rest_framework import serializers
from schemathesis.checks import not_a_server_error

from core.api.exceptions import exception_handler
from core.models import TaskRun
from core.services import api_token_create
from slas.evaluation.engine import evaluate
from tests.factories import (
    CertificationFactory,
    ChangeRequestFactory,
    ContactFactory,
    ContractFactory,
    ExitStepFactory,
    MeasurementFactory,
    ObligationFactory,
    SLAFactory,
    SpendRecordFactory,
    VendorFactory,
)

WSGI_APP = WSGIHandler()

# Loaded once at collection: the served schema (no database needed to render it).
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGI_APP)


@pytest.fixture
def server_errors():
    """Tracebacks of exceptions the app turned into 500s, in request order.

    Django's test client does the same signal juggling: without it every
    request would close the connection that holds the test's transaction.
    """
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        errors.append(traceback.format_exc())

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(record, weak=False)
    yield errors
    got_request_exception.disconnect(record)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


_SWALLOWED: list[str] = []


def recording_exception_handler(exc, context):
    """The app's handler, noting the exceptions only its catch-all branch turns into a 400."""
    if isinstance(exc, (ValueError, TypeError)):
        _SWALLOWED.append("".join(traceback.format_exception(exc)))
    return exception_handler(exc, context)


@pytest.fixture
def swallowed_errors(settings):
    _SWALLOWED.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "EXCEPTION_HANDLER": f"{__name__}.recording_exception_handler",
    }
    yield _SWALLOWED
    _SWALLOWED.clear()


@pytest.fixture
def seeded(db, gov_user):
    """Two vendors with one row of every resource, and a breach from a real evaluation."""
    vendor = VendorFactory(name="Acme")
    VendorFactory(name="Acme Subsidiary", parent=vendor, tier=3)
    CertificationFactory(vendor=vendor, evidence=None)
    ContactFactory(vendor=vendor)
    contract = ContractFactory(vendor=vendor)
    ContractFactory(vendor=vendor, parent=contract, contract_type="sow")
    ObligationFactory(contract=contract, owner=gov_user)
    ChangeRequestFactory(contract=contract)
    ExitStepFactory(plan__contract=contract)
    SpendRecordFactory(contract=contract)
    sla = SLAFactory(contract=contract)
    for day in (5, 12, 19):
        MeasurementFactory(sla=sla, date=dt.date(2026, 1, day), value=Decimal("90.0"))
    MeasurementFactory(sla=sla, date=dt.date(2026, 2, 3), value=Decimal("99.9"))
    evaluate(sla_ids=[sla.pk], today=dt.date(2026, 6, 1))
    TaskRun.objects.create(kind="evaluation", requested_by=gov_user)


@pytest.fixture
def gov_token(gov_user) -> str:
    """A knox token of a governance office user: may read and change everything."""
    return api_token_create(user=gov_user)


def _viewset_of(path: str):
    """The DRF viewset class behind an operation's path template, or None."""
    try:
        match = resolve(path.replace("{id}", "1"))
    except Resolver404:
        return None
    return getattr(match.func, "cls", None)


def _real_ids(model) -> list[int]:
    return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:20])


def _maybe_real(value, model):
    """Two generated integers in three become the id of a real row (deterministically).

    Path parameters may come as digit strings; they stay strings.
    """
    number = int(value) if isinstance(value, str) and value.isdigit() else value
    if isinstance(number, bool) or not isinstance(number, int) or number % 3 == 0:
        return value
    ids = _real_ids(model)
    if not ids:
        return value
    real = ids[number % len(ids)]
    return str(real) if isinstance(value, str) else real


def _aim_at_real_rows(case) -> None:
    viewset = _viewset_of(case.operation.path)
    if viewset is None:
        return
    if case.path_parameters and "id" in case.path_parameters:
        model = viewset.queryset.model
        case.path_parameters["id"] = _maybe_real(case.path_parameters["id"], model)
    if isinstance(case.body, dict) and viewset.serializer_class is not None:
        fields = viewset.serializer_class().fields
        for name, value in list(case.body.items()):
            field = fields.get(name)
            if isinstance(field, serializers.PrimaryKeyRelatedField) and not field.read_only:
                case.body[name] = _maybe_real(value, field.queryset.model)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error(case, seeded, gov_token, server_errors, swallowed_errors):
    # Hypothesis reruns the test per example (and again while shrinking): start clean.
    server_errors.clear()
    swallowed_errors.clear()
    _aim_at_real_rows(case)
    response = case.call(app=WSGI_APP, headers={"Authorization": f"Token {gov_token}"})
    if response.status_code >= 500:
        detail = server_errors[-1] if server_errors else response.text[:2000]
        pytest.fail(
            f"{case.method} {case.formatted_path} -> {response.status_code}\n"
            f"{case.as_curl_command()}\n{detail}"
        )
    if swallowed_errors:
        pytest.fail(
            f"{case.method} {case.formatted_path} -> {response.status_code} {response.text[:300]}"
            f"\nfrom an unexpected exception:\n{case.as_curl_command()}\n{swallowed_errors[-1]}"
        )
    case.validate_response(response, checks=[not_a_server_error])
