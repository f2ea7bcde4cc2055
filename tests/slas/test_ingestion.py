"""Measurement ingestion (service level): validation, upsert, idempotency, audit, scope, queueing.

``build_world`` (two vendors, their contracts, SLAs and users of every role)
is shared with the API, view, import and workflow tests of the slas pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from core import roles
from core.models import TaskRun
from core.selectors import object_history
from core.services import user_provision
from slas.models import Measurement, Result
from slas.services import ItemsValidationError, measurement_create, measurements_upsert
from tests.factories import ContractFactory, SLAFactory, VendorFactory


def build_world() -> SimpleNamespace:
    """Vendor A (owned by manager ``ma``, represented by ``ua``) and vendor B, one SLA each.

    SLA ``a``: monthly mean, higher is better, target 99.5, warning 99.8,
    critical 99.0, effective from 2025-01-01. SLA ``b`` the same on vendor B.
    Contract A: 10,000.00 a month at 10 % at risk → at-risk amount 1,000.00.
    """
    va, vb = VendorFactory(name="Acme"), VendorFactory(name="Globex")
    ca = ContractFactory(
        vendor=va, reference="A-1", monthly_charge=D("10000.00"), at_risk_percent=D("10")
    )
    cb = ContractFactory(vendor=vb, reference="B-1")
    rule = {
        "target": D("99.5"),
        "warning_level": D("99.8"),
        "critical_level": D("99.0"),
        "effective_from": dt.date(2025, 1, 1),
    }
    a = SLAFactory(contract=ca, name="Availability", allocation_percent=D("20"), **rule)
    b = SLAFactory(contract=cb, name="Uptime", **rule)

    def user(role, vendor=None, name=None):
        return user_provision(
            username=name or role, role=role, vendor_id=getattr(vendor, "pk", None), password="pw"
        )

    return SimpleNamespace(
        va=va,
        vb=vb,
        ca=ca,
        cb=cb,
        a=a,
        b=b,
        gov=user(roles.GOVERNANCE_OFFICE),
        admin=user(roles.ADMIN),
        ma=user(roles.VENDOR_MANAGER, va, "ma"),
        mb=user(roles.VENDOR_MANAGER, vb, "mb"),
        ua=user(roles.VENDOR_USER, va, "ua"),
        ub=user(roles.VENDOR_USER, vb, "ub"),
        exe=user(roles.EXECUTIVE),
        aud=user(roles.AUDITOR),
    )


@pytest.fixture
def w(db):
    return build_world()


def values(sla):
    return dict(sla.measurements.values_list("date", "value"))


def test_upsert_creates_then_replaces_on_the_same_key(w):
    rows = [
        {"sla": w.a.pk, "date": "2026-01-01", "value": "99.7"},
        {"sla": w.a.pk, "date": "2026-01-02", "value": 99.1, "note": "incident"},
    ]
    first = measurements_upsert(rows=rows, source="api", actor=w.gov)
    assert (first.received, first.created, first.updated, first.unchanged) == (2, 2, 0, 0)
    again = measurements_upsert(
        rows=[rows[0], {**rows[1], "value": "99.3"}], source="api", actor=w.gov
    )
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert values(w.a) == {dt.date(2026, 1, 1): D("99.7"), dt.date(2026, 1, 2): D("99.3")}
    m = Measurement.objects.get(sla=w.a, date=dt.date(2026, 1, 2))
    assert (m.source, m.note, m.recorded_by) == ("api", "incident", w.gov)
    assert Measurement.objects.count() == 2


def test_audit_trail_keeps_the_replaced_value(w):
    measurements_upsert(
        rows=[{"sla": w.a.pk, "date": "2026-01-01", "value": "99.7"}], source="api", actor=w.gov
    )
    measurements_upsert(
        rows=[{"sla": w.a.pk, "date": "2026-01-01", "value": "98.25"}], source="api", actor=w.ua
    )
    m = Measurement.objects.get()
    history = object_history(obj=m)
    assert [e.action for e in history] == ["update", "insert"]
    assert history[0].changes["value"] == [99.7, 98.25]
    assert history[0].actor == "ua"
    assert history[1].changes["value"][1] == 99.7


def test_all_or_nothing_with_errors_by_index_and_field(w):
    Measurement.objects.create(sla=w.a, date=dt.date(2026, 1, 1), value=D("1"))
    rows = [
        {"sla": w.a.pk, "date": "2026-01-01", "value": "99.9"},  # fine: would replace
        {"sla": w.a.pk, "date": "2026-13-01", "value": "abc"},
        {"sla": 999999, "date": "2026-01-03", "value": "1"},
        {"sla": w.a.pk, "date": "2024-12-31", "value": "NaN"},
        {"sla": w.a.pk, "date": "2026-01-05", "value": "1.1234567"},
        {"sla": w.a.pk, "date": "2026-01-01", "value": "2"},  # duplicate key of item 0
        "not an object",
        {"date": "2026-01-06", "value": True, "source": "fax"},
    ]
    with pytest.raises(ItemsValidationError) as caught:
        measurements_upsert(rows=rows, source="api", actor=w.gov)
    assert caught.value.items == {
        1: {
            "date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            "value": ["A valid number is required."],
        },
        2: {"sla": ["Unknown or inaccessible SLA 999999."]},
        3: {
            "date": ["2024-12-31 is outside the SLA's effective window (from 2025-01-01)."],
            "value": ["A valid number is required."],
        },
        4: {"value": ["Ensure that there are no more than 6 decimal places."]},
        5: {"date": [f"Item 0 already gives SLA {w.a.pk} a value for 2026-01-01."]},
        6: {"non_field_errors": ["Expected an object with sla, date and value."]},
        7: {
            "sla": ["This field is required."],
            "value": ["A valid number is required."],
            "source": ['"fax" is not a valid choice.'],
        },
    }
    assert values(w.a) == {dt.date(2026, 1, 1): D("1")}  # nothing written


def test_vendor_user_may_submit_only_for_their_vendor(w):
    rows = [
        {"sla": w.a.pk, "date": "2026-01-01", "value": "99.9"},
        {"sla": w.b.pk, "date": "2026-01-01", "value": "99.9"},
    ]
    with pytest.raises(ItemsValidationError) as caught:
        measurements_upsert(rows=rows, source="vendor", actor=w.ua)
    assert caught.value.items == {1: {"sla": [f"Unknown or inaccessible SLA {w.b.pk}."]}}
    assert not Measurement.objects.exists()
    summary = measurements_upsert(rows=rows[:1], source="vendor", actor=w.ua)
    assert summary.created == 1


@pytest.mark.parametrize("who", ["mb", "exe", "aud"])
def test_others_may_not_submit_for_vendor_a(w, who):
    with pytest.raises(ItemsValidationError) as caught:
        measurements_upsert(
            rows=[{"sla": w.a.pk, "date": "2026-01-01", "value": "1"}],
            source="api",
            actor=getattr(w, who),
        )
    assert caught.value.items == {0: {"sla": [f"Unknown or inaccessible SLA {w.a.pk}."]}}


def test_vendor_manager_may_submit_for_owned_vendor(w):
    assert (
        measurements_upsert(
            rows=[{"sla": w.a.pk, "date": "2026-01-01", "value": "1"}], source="api", actor=w.ma
        ).created
        == 1
    )


def test_queues_exactly_the_touched_periods(w, django_capture_on_commit_callbacks):
    rows = [
        {"sla": w.a.pk, "date": "2026-01-05", "value": "99.0"},
        {"sla": w.a.pk, "date": "2026-01-20", "value": "99.6"},  # same month: one period
        {"sla": w.a.pk, "date": "2026-02-03", "value": "99.9"},
        {"sla": w.b.pk, "date": "2026-03-31", "value": "98"},
    ]
    # Periods outside the batch already have data but must not be re-evaluated.
    Measurement.objects.create(sla=w.a, date=dt.date(2026, 4, 1), value=D("50"))
    with django_capture_on_commit_callbacks(execute=True):
        summary = measurements_upsert(rows=rows, source="api", actor=w.gov)
    assert summary.touched_periods == [
        (w.a.pk, dt.date(2026, 1, 1)),
        (w.a.pk, dt.date(2026, 2, 1)),
        (w.b.pk, dt.date(2026, 3, 1)),
    ]
    run = TaskRun.objects.get(pk=summary.evaluation.pk)
    assert (run.kind, run.status, run.requested_by) == ("evaluation", "done", w.gov)
    assert run.message != ""
    got = sorted(Result.objects.values_list("sla_id", "period_start", "actual", "status"))
    # January: mean(99.0, 99.6) = 99.3 < 99.5 target → breached; Feb 99.9 ≥ 99.8 → met.
    assert got == [
        (w.a.pk, dt.date(2026, 1, 1), D("99.300000"), "breached"),
        (w.a.pk, dt.date(2026, 2, 1), D("99.900000"), "met"),
        (w.b.pk, dt.date(2026, 3, 1), D("98.000000"), "breached"),
    ]


def test_nothing_is_queued_when_validation_fails(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ItemsValidationError):
        measurements_upsert(rows=[{"sla": w.a.pk}], source="api", actor=w.gov)
    assert callbacks == []
    assert not TaskRun.objects.exists()


def test_more_than_the_limit_is_refused_before_any_work(w):
    rows = [{"sla": w.a.pk, "date": "2026-01-01", "value": "1"}] * 10_001
    with pytest.raises(ValidationError) as caught:
        measurements_upsert(rows=rows, source="api", actor=w.gov)
    assert "At most 10,000 items" in str(caught.value)


def test_single_create_has_field_errors(w):
    with pytest.raises(ValidationError) as caught:
        measurement_create(actor=w.gov, data={"sla": w.a, "date": "x", "value": "1"})
    assert caught.value.message_dict == {
        "date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
    }
    m = measurement_create(
        actor=w.gov, data={"sla": w.a, "date": dt.date(2026, 1, 1), "value": D("99.5")}
    )
    assert (m.value, m.source) == (D("99.5"), "manual")
