"""Writes of the reports app: request a QBR, render it, the quarter-end run, vendor access.

A request creates the ``QBRReport`` (queued) and its ``TaskRun`` and sends
the render task once the transaction commits. The task (``qbr_render``)
gathers the snapshot once, renders the PDF from it alone, and ends ready or
failed with the reason. Every request is a new report (history is kept);
only the scheduled quarter-end reports are unique, which is what makes the
quarter-end job idempotent.
"""

from __future__ import annotations

import logging
import subprocess
from datetime import datetime
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import permissions
from core.jobs import job_now
from core.models import TaskRun
from core.services import model_create, model_update, task_run_create, task_run_update
from governance.models import Meeting
from reports import gather, quarters, selectors
from reports.choices import Edition, ReportStatus
from reports.models import QBRReport, VendorReportSetting, meeting_errors, parse_quarter
from vendors.models import Vendor

logger = logging.getLogger(__name__)

RENDER_TASK = "reports.tasks.render_qbr_task"
TASK_KIND = "qbr_report"


def _check_quarter(quarter: str, *, today) -> None:
    try:
        start, _ = parse_quarter(quarter)
    except ValueError as exc:
        raise ValidationError({"quarter": [str(exc)]}) from exc
    if start > today:
        raise ValidationError({"quarter": ["That quarter has not started yet."]})


def _dispatch(report: QBRReport, run: TaskRun) -> None:
    """Send the render task once the transaction commits (through core.dispatch when present)."""
    try:
        from core.dispatch import dispatch_after_commit
    except ImportError:  # pragma: no cover - the shell without the dispatch helper
        from reports.tasks import render_qbr_task

        options = render_queue_options()
        transaction.on_commit(lambda: render_qbr_task.apply_async((report.pk,), **options))
        return
    dispatch_after_commit(
        run=run, task_name=RENDER_TASK, args=[report.pk], options=render_queue_options()
    )


def render_queue_options() -> dict[str, Any]:
    """``apply_async`` options routing renders (``QBR_RENDER_QUEUE``, optional setting), so
    dedicated report workers can take them; the default queue otherwise."""
    queue = getattr(settings, "QBR_RENDER_QUEUE", None)
    return {"queue": queue} if queue else {}


@transaction.atomic
def qbr_request(
    *,
    actor,
    vendor: Vendor,
    quarter: str,
    edition: str = Edition.INTERNAL,
    meeting: Meeting | None = None,
) -> QBRReport:
    """Queue a QBR of ``vendor`` for ``quarter`` in ``edition``, on ``actor``'s request.

    Refused (``PermissionDenied``) unless the actor may request reports of that
    vendor (``selectors.may_request``); a malformed or future quarter or an
    unknown edition is a field error. ``meeting``, optional, is the QBR meeting
    the report is for (a QBR-kind meeting with the same vendor, else a field
    error). Returns the queued report.
    """
    today = timezone.localdate()
    _check_quarter(quarter, today=today)
    if edition not in Edition.values:
        raise ValidationError({"edition": [f"Choose one of: {', '.join(Edition.values)}."]})
    if meeting is not None and (errors := meeting_errors(meeting=meeting, vendor_id=vendor.pk)):
        raise ValidationError({"meeting": errors})
    if not selectors.may_request(user=actor, vendor=vendor):
        raise PermissionDenied("You may not request reports for this vendor.")
    return _queue(
        vendor=vendor,
        quarter=quarter,
        edition=edition,
        actor=actor,
        scheduled=False,
        meeting=meeting,
    )


@transaction.atomic
def qbr_request_portfolio(*, actor, quarter: str) -> QBRReport:
    """Queue the portfolio pack of ``quarter`` on request (writers and executives).

    The pack shows every active vendor, so only those who may see them all ask for it.
    """
    _check_quarter(quarter, today=timezone.localdate())
    if not permissions.may_request_portfolio(actor):
        raise PermissionDenied("Only the governance office and executives request the pack.")
    return _queue(
        vendor=None,
        quarter=quarter,
        edition=Edition.INTERNAL,
        actor=actor,
        scheduled=False,
        portfolio=True,
    )


def _queue(
    *, vendor, quarter, edition, actor, scheduled, portfolio=False, meeting=None
) -> QBRReport:
    label = "Portfolio" if portfolio else vendor.name
    run = task_run_create(
        kind=TASK_KIND, requested_by=actor, total=2, message=f"QBR {quarter} – {label}: queued"
    )
    report = model_create(
        model=QBRReport,
        data={
            "vendor": vendor,
            "portfolio": portfolio,
            "quarter": quarter,
            "edition": edition,
            "requested_by": actor,
            "scheduled": scheduled,
            "task_run": run,
            "meeting": meeting,
        },
    )
    task_run_update(run_id=run.pk, result={"report": report.pk})
    _dispatch(report, run)
    return report


def qbr_render(*, report_id: int, regather: bool = True) -> QBRReport:
    """Gather (unless ``regather`` is off and a snapshot exists) and render one report.

    queued → rendering → ready, or failed with the reason; safe to run twice
    (a ready report is left alone). Notifies the executives and the
    relationship owner when ready.
    """
    report = QBRReport.objects.select_related("vendor", "vendor__relationship_owner").get(
        pk=report_id
    )
    if report.status == ReportStatus.READY and report.pdf:
        return report
    run_id = report.task_run_id
    _set(report, status=ReportStatus.RENDERING, failure_reason="")
    if run_id:
        task_run_update(run_id=run_id, status=TaskRun.Status.RUNNING, message="Gathering")
    try:
        if regather or not report.snapshot:
            now = timezone.now()
            snapshot = snapshot_for(report=report, now=now)
            _set(report, snapshot=snapshot, data_as_of=now)
        if run_id:
            task_run_update(run_id=run_id, done=1, message="Rendering the PDF")
        from reports.render import render

        pdf = render(report.snapshot)
        report.pdf.save(report.filename, ContentFile(pdf), save=False)
        _set(
            report,
            pdf=report.pdf.name,
            pdf_pages=_pages(pdf),
            status=ReportStatus.READY,
            rendered_at=timezone.now(),
        )
    except SoftTimeLimitExceeded:
        raise  # the task marks it failed with the time limit as the reason
    except Exception as exc:
        logger.exception("QBR %s failed", report.pk)
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        _set(report, status=ReportStatus.FAILED, failure_reason=reason)
        if run_id:
            task_run_update(run_id=run_id, status=TaskRun.Status.FAILED, message=reason)
        return report
    if run_id:
        task_run_update(
            run_id=run_id,
            status=TaskRun.Status.DONE,
            done=2,
            message="Ready",
            result={"report": report.pk},
        )
    _notify_ready(report)
    return report


def qbr_fail(*, report_id: int, reason: str) -> None:
    """Mark a report failed (the task's time limit ran out, or the worker gave up)."""
    report = QBRReport.objects.get(pk=report_id)
    if report.status == ReportStatus.READY:
        return
    _set(report, status=ReportStatus.FAILED, failure_reason=reason)
    if report.task_run_id:
        task_run_update(run_id=report.task_run_id, status=TaskRun.Status.FAILED, message=reason)


def snapshot_for(*, report: QBRReport, now: datetime) -> dict[str, Any]:
    """Gather the report's snapshot (the vendor's, or the portfolio pack's)."""
    if report.portfolio:
        from reports.gather_portfolio import portfolio_snapshot

        return portfolio_snapshot(quarter=report.quarter, now=now)
    return gather.vendor_snapshot(
        vendor=report.vendor, quarter=report.quarter, edition=report.edition, now=now
    )


def _set(report: QBRReport, **changes) -> None:
    """Write only ``changes`` (one UPDATE), so progress never overwrites other fields."""
    for key, value in changes.items():
        setattr(report, key, value)
    QBRReport.objects.filter(pk=report.pk).update(**changes, updated_at=timezone.now())


def _pages(pdf: bytes) -> int | None:
    """The page count, read back with pdfinfo (poppler) where it is installed."""
    try:
        out = subprocess.run(
            ["pdfinfo", "-"], input=pdf, capture_output=True, timeout=30, check=True
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def _notify_ready(report: QBRReport) -> None:
    """The executives and the relationship owner hear of a ready report, once per report."""
    try:
        from notifications.services import notify, webhook_event
    except ImportError:  # pragma: no cover - notifications not installed
        return
    from core.models import User

    users = list(permissions.executives(User.objects.filter(is_active=True)))
    if report.vendor and report.vendor.relationship_owner:
        users.append(report.vendor.relationship_owner)
    if report.requested_by:
        users.append(report.requested_by)
    url = reverse("reports:qbrreport_detail", args=[report.pk])
    notify(
        kind="report_ready",
        users=users,
        title=f"{report} is ready",
        body=f"The {report.get_edition_display().lower()} QBR for {report.quarter} is ready.",
        url=url,
        dedupe_key=f"qbr-ready-{report.pk}",
    )
    webhook_event(
        event="report.ready",
        payload={
            "id": report.pk,
            "vendor": report.vendor_id,
            "quarter": report.quarter,
            "edition": report.edition,
            "portfolio": report.portfolio,
        },
        dedupe_key=f"qbr-ready-{report.pk}",
    )


# --- the quarter-end job ---------------------------------------------------------


def qbr_quarter_end(*, at: str | datetime | None = None) -> dict[str, Any]:
    """Queue the just-ended quarter's report of every active vendor, and the portfolio pack.

    Idempotent: a scheduled report is unique per vendor, quarter and edition
    (and per quarter for the pack), so a second run — same ``at`` or a later
    day of the quarter — queues only what is missing. Returns what it queued.
    """
    today = timezone.localdate(job_now(at))
    quarter = quarters.just_ended(today)
    done = set(
        QBRReport.objects.filter(
            scheduled=True, quarter=quarter, edition=Edition.INTERNAL, portfolio=False
        ).values_list("vendor_id", flat=True)
    )
    shared = set(
        QBRReport.objects.filter(
            scheduled=True, quarter=quarter, edition=Edition.VENDOR, portfolio=False
        ).values_list("vendor_id", flat=True)
    )
    queued = []
    vendors = Vendor.objects.filter(status="active").select_related("report_setting")
    for vendor in vendors.order_by("name"):
        editions = [] if vendor.pk in done else [Edition.INTERNAL]
        if selectors.vendor_edition_allowed(vendor=vendor) and vendor.pk not in shared:
            editions.append(Edition.VENDOR)  # what the vendor's representatives may read
        for edition in editions:
            report = qbr_queue_scheduled(
                vendor=vendor, quarter=quarter, portfolio=False, edition=edition
            )
            if report is not None:
                queued.append(report.pk)
    portfolio = None
    if not QBRReport.objects.filter(scheduled=True, quarter=quarter, portfolio=True).exists():
        portfolio = qbr_queue_scheduled(vendor=None, quarter=quarter, portfolio=True)
    return {
        "quarter": quarter,
        "queued": queued,
        "portfolio": portfolio.pk if portfolio else None,
    }


def qbr_queue_scheduled(
    *, vendor, quarter: str, portfolio: bool, edition: str = Edition.INTERNAL
) -> QBRReport | None:
    """Queue one scheduled report (no requester); None when it already exists."""
    try:
        with transaction.atomic():
            return _queue(
                vendor=vendor,
                quarter=quarter,
                edition=edition,
                actor=None,
                scheduled=True,
                portfolio=portfolio,
            )
    except (IntegrityError, ValidationError):
        return None  # a concurrent run queued it first


# --- vendor access -----------------------------------------------------------------


def vendor_report_setting_set(*, actor, vendor: Vendor, vendor_access: str) -> VendorReportSetting:
    """Set what ``vendor``'s representatives may download (writers only)."""
    if not permissions.has_office_powers(actor):
        raise PermissionDenied("Only the governance office sets vendor access to reports.")
    setting = VendorReportSetting.objects.filter(vendor=vendor).first()
    if setting is None:
        return model_create(
            model=VendorReportSetting, data={"vendor": vendor, "vendor_access": vendor_access}
        )
    return model_update(instance=setting, data={"vendor_access": vendor_access})
