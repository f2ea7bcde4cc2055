"""QBR reports and who on the vendor's side may read them (DESIGN.md section 1, QBR report).

A report's figures are gathered once into ``snapshot`` (plain JSON) and the
PDF is rendered from that snapshot alone, so it renders again identically and
every number in it can be audited against the snapshot.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.audit import tracked
from core.models import CovenantModel
from governance.choices import MeetingKind
from reports import choices

QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(value: str) -> tuple[date, date]:
    """``2026Q3`` → (2026-07-01, 2026-09-30); ``ValueError`` for anything else."""
    match = QUARTER_RE.match(value or "")
    if not match:
        raise ValueError("A quarter is written like 2026Q3.")
    year, number = int(match[1]), int(match[2])
    if year < 2000:
        raise ValueError("A quarter is written like 2026Q3.")
    start = date(year, 3 * number - 2, 1)
    end_month = 3 * number
    end = (
        date(year, 12, 31) if end_month == 12 else date(year, end_month + 1, 1) - timedelta(days=1)
    )
    return start, end


def validate_quarter(value: str) -> None:
    try:
        parse_quarter(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def meeting_errors(*, meeting, vendor_id: int | None) -> list[str]:
    """Why ``meeting`` cannot be the QBR meeting of vendor ``vendor_id``'s report (empty: it can).

    It must be a QBR-kind meeting with that same vendor: a report never links
    another vendor's meeting.
    """
    errors = []
    if meeting.kind != MeetingKind.QBR:
        errors.append("Choose a meeting of kind QBR.")
    if meeting.vendor_id is None or meeting.vendor_id != vendor_id:
        errors.append("This meeting is with another vendor than the report's.")
    return errors


def pdf_upload_to(instance: QBRReport, filename: str) -> str:
    """A random folder per PDF: files are only served by the permission-checked view."""
    return f"qbr/{uuid4().hex}/{PurePath(filename).name}"


@tracked()
class QBRReport(CovenantModel):
    """One Quarterly Business Review: a vendor (or the portfolio), a quarter, an edition.

    ``status`` runs queued → rendering → ready, or failed with ``failure_reason``.
    ``meeting`` is the QBR meeting of the quarter the report was requested for
    (optional; always a meeting with the report's vendor). Every request is a
    new row (history is kept: an older rendering stays
    downloadable beside a newer one); the scheduled quarter-end run is the one
    that must not repeat, so ``scheduled`` rows are unique per vendor, quarter
    and edition (and per quarter and edition for the portfolio pack).
    """

    visible_to_vendor_users = True
    # Meetings are the office's records: a vendor's representative sees no link to them.
    internal_fields = ("meeting",)

    vendor = models.ForeignKey(
        "vendors.Vendor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="qbr_reports",
        help_text="Empty for the portfolio pack.",
    )
    portfolio = models.BooleanField(default=False, help_text="The portfolio pack: every vendor.")
    quarter = models.CharField(max_length=6, validators=[validate_quarter], help_text="e.g. 2026Q3")
    edition = models.CharField(
        max_length=8, choices=choices.Edition.choices, default=choices.Edition.INTERNAL
    )
    status = models.CharField(
        max_length=10, choices=choices.ReportStatus.choices, default=choices.ReportStatus.QUEUED
    )
    failure_reason = models.TextField(blank=True)
    scheduled = models.BooleanField(
        default=False, help_text="Made by the quarter-end job rather than on request."
    )
    snapshot = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(upload_to=pdf_upload_to, blank=True, max_length=300)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    data_as_of = models.DateTimeField(null=True, blank=True)
    task_run = models.ForeignKey(
        "core.TaskRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The link lives here, not on the meeting: governance sits below reports in the
    # import order, so its meeting page reads the reverse relation ``qbr_reports``.
    meeting = models.ForeignKey(
        "governance.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qbr_reports",
        help_text="The QBR meeting this report was prepared for (same vendor).",
    )

    class Meta:
        verbose_name = "QBR report"
        verbose_name_plural = "QBR reports"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(portfolio=True, vendor__isnull=True)
                | Q(portfolio=False, vendor__isnull=False),
                name="qbr_vendor_or_portfolio",
                violation_error_message="A report is either one vendor's or the portfolio pack.",
            ),
            models.UniqueConstraint(
                fields=["vendor", "quarter", "edition"],
                condition=Q(scheduled=True, portfolio=False),
                name="qbr_scheduled_once_per_vendor",
                violation_error_message="This quarter's scheduled report already exists.",
            ),
            models.UniqueConstraint(
                fields=["quarter", "edition"],
                condition=Q(scheduled=True, portfolio=True),
                name="qbr_scheduled_portfolio_once",
                violation_error_message="This quarter's portfolio pack already exists.",
            ),
        ]
        indexes = [models.Index(fields=["vendor", "-requested_at"], name="qbr_vendor_recent")]

    def __str__(self) -> str:
        who = "Portfolio" if self.portfolio else str(self.vendor)
        edition = " (vendor edition)" if self.edition == choices.Edition.VENDOR else ""
        return f"QBR {self.quarter} – {who}{edition}"

    @property
    def is_ready(self) -> bool:
        return self.status == choices.ReportStatus.READY and bool(self.pdf)

    @property
    def filename(self) -> str:
        who = "portfolio" if self.portfolio else (self.vendor.name if self.vendor else "vendor")
        safe = re.sub(r"[^A-Za-z0-9]+", "-", who).strip("-").lower() or "vendor"
        suffix = "-vendor-edition" if self.edition == choices.Edition.VENDOR else ""
        return f"qbr-{self.quarter}-{safe}{suffix}.pdf"


@tracked()
class VendorReportSetting(CovenantModel):
    """Whether a vendor's representatives may download its QBRs (the vendor edition), or none.

    No row means none: internal figures never reach a vendor by default.
    """

    vendor = models.OneToOneField(
        "vendors.Vendor", on_delete=models.CASCADE, related_name="report_setting"
    )
    vendor_access = models.CharField(
        max_length=16, choices=choices.VendorAccess.choices, default=choices.VendorAccess.NONE
    )

    class Meta:
        ordering = ["vendor__name"]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.get_vendor_access_display()}"
