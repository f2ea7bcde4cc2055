"""The reports app's part of the demo seed: last quarter's QBR of two demo vendors.

Idempotent by natural key: a vendor's scheduled internal report of the quarter
is made once (``qbr_quarter_end``'s own key); seeding again renders nothing
new. Northwind's representatives may read the vendor edition, so the demo
vendor login has a report to open as well. Without ``REDIS_URL`` the reports
render in process during the seed; with it they are queued for the workers.
"""

from __future__ import annotations

from core.seeding import Seeder
from governance.choices import MeetingKind
from governance.models import Meeting
from reports import quarters, services
from reports.choices import Edition, VendorAccess
from reports.models import QBRReport, VendorReportSetting
from vendors.models import Vendor

DEMO_VENDORS = ("Northwind BPO", "Meridian Infotech")


def seed_reports(seeder: Seeder) -> None:
    quarter = quarters.just_ended(seeder.today)
    vendors = {v.name: v for v in Vendor.objects.filter(name__in=DEMO_VENDORS)}
    northwind = vendors.get("Northwind BPO")
    if northwind is not None:
        seeder.upsert(
            VendorReportSetting,
            lookup={"vendor": northwind},
            data={"vendor_access": VendorAccess.VENDOR_EDITION},
        )
    for name in DEMO_VENDORS:
        vendor = vendors.get(name)
        if vendor is None:
            continue
        editions = [Edition.INTERNAL] + ([Edition.VENDOR] if vendor is northwind else [])
        for edition in editions:
            exists = QBRReport.objects.filter(
                vendor=vendor, quarter=quarter, edition=edition, scheduled=True
            ).exists()
            if exists:
                continue
            services.qbr_queue_scheduled(
                vendor=vendor, quarter=quarter, portfolio=False, edition=edition
            )
            label = str(QBRReport._meta.verbose_name_plural)
            seeder.created[label] = seeder.created.get(label, 0) + 1
    _link_qbr_meetings(quarter)


def _link_qbr_meetings(quarter: str) -> None:
    """Link each demo report of ``quarter`` to its vendor's QBR meeting that reviewed it.

    That is the vendor's first QBR-kind meeting after the quarter ended; a
    report with no such meeting stays unlinked, a linked one is left as it is.
    """
    _, end = quarters.bounds(quarter)
    reports = QBRReport.objects.filter(quarter=quarter, portfolio=False, meeting=None)
    for report in reports:
        meeting = (
            Meeting.objects.filter(vendor_id=report.vendor_id, kind=MeetingKind.QBR, date__gt=end)
            .order_by("date", "id")
            .first()
        )
        if meeting is not None:
            QBRReport.objects.filter(pk=report.pk).update(meeting=meeting)
