"""django-tables2 tables of the slas list pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from core.formatting import money, plain_number, rounded_like
from slas.models import SLA, Breach, Measurement, Result

# One colour language for breaches (the breach list and the breach page):
# red needs action or is critical, amber is under way or major, green is
# resolved, grey is set aside (waived, withdrawn). Tones are CSS ``badge-<tone>``.
SEVERITY_TONES = {"critical": "bad", "major": "warn"}
BREACH_STATUS_TONES = {
    "open": "bad",
    "acknowledged": "warn",
    "remediating": "warn",
    "resolved": "ok",
    "waived": "neutral",
    "withdrawn": "neutral",
}


def status_badge(value, label=None):
    """A coloured badge for a result or breach status (CSS ``badge-<status>``)."""
    if not value:
        return format_html('<span class="muted">—</span>')
    return format_html(
        '<span class="badge badge-{}">{}</span>', value, label or value.replace("_", " ")
    )


def breach_severity_badge(breach: Breach):
    """The breach's severity as a badge: critical red, major amber."""
    return status_badge(
        SEVERITY_TONES.get(breach.severity, "neutral"), breach.get_severity_display()
    )


def breach_status_badge(breach: Breach):
    """The breach's workflow status as a badge in the colours of ``BREACH_STATUS_TONES``."""
    return status_badge(
        BREACH_STATUS_TONES.get(breach.status, "neutral"), breach.get_status_display()
    )


class SLATable(tables.Table):
    """SLAs with their rule, last status and trend (the view sets ``record.trend``)."""

    name = tables.Column(linkify=True)
    contract = tables.Column(accessor="contract__reference", verbose_name="Contract")
    vendor = tables.Column(accessor="contract__vendor__name", verbose_name="Vendor")
    target = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    last_status = tables.Column(verbose_name="Last result", order_by=("last_status",))
    # The trend is fitted for the page's rows only (``SLAListView.get_table``): not exported.
    trend = tables.Column(
        verbose_name="Trend", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = SLA
        fields = [
            "name",
            "contract",
            "vendor",
            "kind",
            "category",
            "period",
            "direction",
            "target",
            "allocation_percent",
            "last_status",
            "trend",
        ]
        order_by = ("contract", "name")

    def render_target(self, record):
        return f"{plain_number(record.target)} {record.unit}".strip()

    def render_last_status(self, value, record):
        badge = status_badge(value)
        if record.last_period_start:
            return format_html(
                "{} <small class='muted'>{}</small>", badge, record.last_period_start
            )
        return badge

    def render_trend(self, record):
        trend = getattr(record, "trend", None)
        if trend is None:
            return format_html('<span class="muted">—</span>')
        projected = rounded_like(trend.projected, reference=record.target)
        if trend.trending_to_breach:
            return format_html(
                '<span class="badge badge-warn" title="projected {}">trending to breach</span>',
                projected,
            )
        return format_html('<span class="muted">stable (next ≈ {})</span>', projected)


class MeasurementTable(tables.Table):
    """Measurements, newest first."""

    date = tables.Column(linkify=True)
    sla = tables.Column(linkify=True, verbose_name="SLA")
    contract = tables.Column(accessor="sla__contract__reference", verbose_name="Contract")
    value = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    recorded_by = tables.Column(verbose_name="Recorded by")

    class Meta:
        model = Measurement
        fields = ["date", "sla", "contract", "value", "source", "note", "recorded_by"]

    def render_value(self, value, record):
        return f"{plain_number(value)} {record.sla.unit}".strip()

    def render_recorded_by(self, value):
        return value.display_name


class BreachTable(tables.Table):
    """Breaches with severity, workflow status and credit."""

    period_start = tables.Column(linkify=True, verbose_name="Period")
    sla = tables.Column(verbose_name="SLA")
    contract = tables.Column(accessor="sla__contract__reference", verbose_name="Contract")
    vendor = tables.Column(accessor="sla__contract__vendor__name", verbose_name="Vendor")
    actual = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    credit = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = Breach
        fields = [
            "period_start",
            "sla",
            "contract",
            "vendor",
            "actual",
            "severity",
            "status",
            "credit_month",
            "credit",
            "earn_back",
        ]

    def render_period_start(self, value, record):
        return f"{value} – {record.period_end}"

    def render_actual(self, value):
        return plain_number(value)

    def render_severity(self, record):
        return breach_severity_badge(record)

    def render_status(self, record):
        return breach_status_badge(record)

    def render_credit_month(self, value):
        return value.strftime("%Y-%m")

    def render_credit(self, value):
        return money(value)


class ResultTable(tables.Table):
    """An SLA's results, one row per period (used on the SLA page)."""

    period_start = tables.Column(verbose_name="Period")
    actual = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = Result
        fields = ["period_start", "actual", "status", "measurement_count", "target"]

    def render_status(self, value, record):
        return status_badge(record.status, value)
