"""``run_job qbr-quarter-end --at``: each active vendor's report of the quarter just ended, once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from reports.models import QBRReport
from reports.services import vendor_report_setting_set
from tests.factories import VendorFactory
from tests.reports.conftest import pdf_text


def test_quarter_end_renders_each_vendor_once_and_the_pack(acme, gov_user, commit):
    VendorFactory(name="Dormant Ltd", status="exited")
    VendorFactory(name="Beta Services", status="active")
    vendor_report_setting_set(actor=gov_user, vendor=acme["vendor"], vendor_access="vendor_edition")
    with commit():
        call_command("run_job", "qbr-quarter-end", "--at", "2026-10-01T06:00:00", stdout=StringIO())
    reports = QBRReport.objects.order_by("portfolio", "vendor__name", "edition")
    made = [(r.vendor.name if r.vendor else "portfolio", r.edition, r.quarter) for r in reports]
    assert made == [
        ("Acme Outsourcing", "internal", "2026Q3"),
        ("Acme Outsourcing", "vendor", "2026Q3"),
        ("Beta Services", "internal", "2026Q3"),
        ("portfolio", "internal", "2026Q3"),
    ]
    assert {r.status for r in reports} == {"ready"}
    assert all(r.scheduled and r.requested_by is None for r in reports)
    # Again, the same moment or a later day of the first week: nothing new.
    call_command("run_job", "qbr-quarter-end", "--at", "2026-10-01T06:00:00", stdout=StringIO())
    call_command("run_job", "qbr-quarter-end", "--at", "2026-10-03T06:00:00", stdout=StringIO())
    assert QBRReport.objects.count() == 4
    pack = QBRReport.objects.get(portfolio=True)
    text = pdf_text(pack.pdf.read())
    # Acme ranks first: 2 of 3 SLAs breached; Beta has no results.
    assert text.index("Acme Outsourcing") < text.index("Beta Services")
    assert "8,500.00 EUR" in text
    assert int(pack.pdf_pages) >= 3  # the summary, then one page per vendor


def test_the_next_quarter_makes_the_next_reports(acme):
    call_command("run_job", "qbr-quarter-end", "--at", "2026-10-02T06:00:00", stdout=StringIO())
    call_command("run_job", "qbr-quarter-end", "--at", "2027-01-02T06:00:00", stdout=StringIO())
    assert sorted(QBRReport.objects.values_list("quarter", flat=True)) == [
        "2026Q3", "2026Q3", "2026Q4", "2026Q4"
    ]  # fmt: skip
