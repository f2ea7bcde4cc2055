"""django-tables2 table of the QBR reports list page."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from reports.models import QBRReport

STATUS_TONES = {"queued": "pending", "rendering": "pending", "ready": "ok", "failed": "bad"}


class QBRReportTable(tables.Table):
    """Reports: subject (linked), quarter, edition, status, requested, and the PDF link."""

    subject = tables.Column(empty_values=(), verbose_name="Report", order_by=("vendor__name",))
    quarter = tables.Column()
    edition = tables.Column()
    status = tables.Column()
    requested_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="Requested (UTC)")
    requested_by = tables.Column(verbose_name="By", default="scheduled")
    download = tables.Column(empty_values=(), orderable=False, verbose_name="PDF")

    class Meta:
        model = QBRReport
        fields = ["subject", "quarter", "edition", "status", "requested_at", "requested_by"]
        attrs = {"class": "table"}

    def render_subject(self, record):
        label = "Portfolio pack" if record.portfolio else record.vendor.name
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), label)

    def render_status(self, record):
        return format_html(
            '<span class="badge badge-{}">{}</span>',
            STATUS_TONES.get(record.status, ""),
            record.get_status_display(),
        )

    def render_requested_by(self, value):
        return value.display_name

    def render_download(self, record):
        if not record.is_ready:
            return "—"
        return format_html(
            '<a href="{}">Download</a>', reverse("reports:qbrreport_pdf", args=[record.pk])
        )
