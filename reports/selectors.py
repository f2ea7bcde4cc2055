"""Reads of the reports app: the reports a user may see and download, and who may ask for one.

Scope is the one permission rule (``core.permissions.restrict``): a report of
a vendor outside the user's scope is absent everywhere. On top of it, a
vendor's representative sees only the **vendor edition** of their vendor's
reports, and only when the vendor's ``VendorReportSetting`` allows it (no
setting: none). The portfolio pack has no vendor, so no representative ever
sees it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from core import permissions
from reports.choices import Edition, ReportStatus, VendorAccess
from reports.models import QBRReport, VendorReportSetting


def qbr_report_list(*, user) -> QuerySet[QBRReport]:
    """The reports ``user`` may see, newest request first, with vendor and requester."""
    reports = permissions.restrict(
        QBRReport.objects.select_related("vendor", "requested_by", "task_run"), user=user
    )
    if permissions.is_vendor_side(user):
        reports = reports.filter(
            edition=Edition.VENDOR,
            vendor__report_setting__vendor_access=VendorAccess.VENDOR_EDITION,
        )
    return reports.order_by("-requested_at", "-id")


def latest_ready(*, user, limit: int = 10) -> list[QBRReport]:
    """The newest ready reports the user may download (the executive's home lists them)."""
    return list(qbr_report_list(user=user).filter(status=ReportStatus.READY)[:limit])


def vendor_edition_allowed(*, vendor) -> bool:
    """May ``vendor``'s representatives read its QBRs (the vendor edition)?"""
    try:
        setting = vendor.report_setting
    except VendorReportSetting.DoesNotExist:
        return False
    return setting.vendor_access == VendorAccess.VENDOR_EDITION


def may_request(*, user, vendor) -> bool:
    """May ``user`` request a QBR of ``vendor``?

    DESIGN.md section 7: the governance office (and admins) for every vendor,
    executives ("request and download QBRs") for every vendor they see, a
    vendor manager for the vendors they own (``may_create``). Vendor
    representatives and auditors may not.
    """
    if (
        vendor is None
        or not permissions.restrict(type(vendor).objects.filter(pk=vendor.pk), user=user).exists()
    ):
        return False
    if permissions.may_request_portfolio(user):
        return True  # the office and executives: every vendor they see
    return permissions.may_create(user=user, model=QBRReport, vendor_id=vendor.pk)


def may_request_any(*, user) -> bool:
    """Could ``user`` request some QBR? Decides whether request buttons show."""
    return permissions.may_request_reports(user)


def vendor_report_setting_list(*, user) -> QuerySet[VendorReportSetting]:
    return permissions.restrict(VendorReportSetting.objects.select_related("vendor"), user=user)
