"""Requesting and rendering QBRs: the service's rules, who may ask, failures, history."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core import roles
from core.models import TaskRun
from reports import render, services
from reports.models import QBRReport
from tests.factories import VendorFactory
from tests.reports.conftest import pdf_info, pdf_text


def test_a_request_renders_and_notifies(acme, gov_user, executive, qbr):
    report = qbr(gov_user, acme["vendor"])  # eager mode: rendered when the request commits
    assert report.status == "ready" and report.failure_reason == ""
    assert report.rendered_at and report.data_as_of
    data = report.pdf.read()
    assert pdf_info(data)["Tagged"] == "yes"
    assert report.pdf_pages == int(pdf_info(data)["Pages"])
    assert report.snapshot["credits"]["quarter"]["EUR"]["due"] == "8500.00"
    run = TaskRun.objects.get(pk=report.task_run_id)
    assert (run.status, run.kind, run.result) == ("done", "qbr_report", {"report": report.pk})
    from notifications.models import Notification

    told = set(Notification.objects.filter(kind="report_ready").values_list("user_id", flat=True))
    assert told == {gov_user.pk, executive.pk, acme["owner"].pk}


def test_a_second_request_keeps_the_first(acme, gov_user, qbr):
    first = qbr(gov_user, acme["vendor"])
    second = qbr(gov_user, acme["vendor"])
    assert first.pk != second.pk
    assert QBRReport.objects.filter(status="ready").count() == 2


@pytest.mark.parametrize(
    ("quarter", "message"),
    [("2026-Q3", "written like 2026Q3"), ("2026Q5", "written like"), ("2027Q2", "not started")],
)
def test_bad_quarters_are_field_errors(acme, gov_user, quarter, message):
    with pytest.raises(ValidationError) as err:
        services.qbr_request(actor=gov_user, vendor=acme["vendor"], quarter=quarter)
    assert message in str(err.value.message_dict["quarter"])
    assert not QBRReport.objects.exists()


def test_who_may_request(acme, make_user, executive, auditor):
    services.qbr_request(actor=executive, vendor=acme["vendor"], quarter="2026Q3")
    services.qbr_request(actor=acme["owner"], vendor=acme["vendor"], quarter="2026Q3")
    other_manager = make_user(roles.VENDOR_MANAGER)
    rep = make_user(roles.VENDOR_USER, vendor=acme["vendor"])
    for refused in (auditor, other_manager, rep):
        with pytest.raises(PermissionDenied):
            services.qbr_request(actor=refused, vendor=acme["vendor"], quarter="2026Q3")
    assert QBRReport.objects.count() == 2


def test_a_broken_snapshot_fails_with_the_reason(acme, gov_user, qbr):
    report = qbr(gov_user, acme["vendor"])
    QBRReport.objects.filter(pk=report.pk).update(status="queued", snapshot={"kind": "vendor"})
    failed = services.qbr_render(report_id=report.pk, regather=False)
    assert failed.status == "failed" and failed.failure_reason.startswith("KeyError")
    assert TaskRun.objects.get(pk=report.task_run_id).status == "failed"


def test_a_render_again_from_the_snapshot_gives_the_same_text(acme, gov_user, qbr):
    report = qbr(gov_user, acme["vendor"])
    # The data changes afterwards; the stored snapshot does not.
    acme["slas"]["Resolution"].measurements.update(value=D("20"))
    again = render.render(report.snapshot)
    assert pdf_text(again) == pdf_text(report.pdf.read())


def test_a_vendor_without_slas_says_so(db, gov_user, qbr):
    report = qbr(gov_user, VendorFactory(name="Quiet Ltd"))
    assert report.status == "ready"
    assert "No SLA results were recorded in Q3 2026 (Jul–Sep)." in pdf_text(report.pdf.read())
