"""django-tables2 tables of the vendors list pages: tier, status and expiry as badges."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from vendors.models import Certification, Contact, Vendor

# Badge colour per tier: app.css has ok / warn / bad tones.
TIER_TONES = {1: "bad", 2: "warn", 3: "pending", 4: "ok"}
# Lifecycle statuses that are not plain "in service" get a neutral or warning tone.
STATUS_TONES = {"active": "active", "onboarding": "pending", "exiting": "warn", "exited": "bad"}
EXPIRY_LABELS = {
    "expired": "expired",
    "expiring": "expiring",
    "valid": "valid",
    "no_expiry": "no expiry",
}


def badge(tone: str, label: str):
    return format_html('<span class="badge badge-{}">{}</span>', tone, label)


def tier_badge(vendor: Vendor):
    return format_html(
        '<span class="badge badge-{}" data-tier="{}">{}</span>',
        TIER_TONES.get(vendor.tier, ""),
        vendor.tier,
        vendor.get_tier_display(),
    )


def status_badge(vendor: Vendor):
    return badge(STATUS_TONES.get(vendor.status, ""), vendor.get_status_display())


def expiry_badge(certification: Certification, today=None):
    state = certification.expiry_state(today or timezone.localdate())
    if certification.expires_on is None:
        return badge(state, EXPIRY_LABELS[state])
    return format_html(
        "{} {}", certification.expires_on.isoformat(), badge(state, EXPIRY_LABELS[state])
    )


class VendorTable(tables.Table):
    """Vendors: name (linked), tier and status badges, type, country, owner, parent."""

    name = tables.Column(linkify=True)
    tier = tables.Column()
    status = tables.Column()
    relationship_owner = tables.Column(
        verbose_name="Relationship owner",
        order_by=("relationship_owner__last_name", "relationship_owner__username"),
    )
    parent = tables.Column(linkify=True, order_by=("parent__name",))

    class Meta:
        model = Vendor
        fields = (
            "name",
            "tier",
            "status",
            "service_type",
            "country",
            "relationship_owner",
            "parent",
        )
        order_by = ("name",)

    def render_tier(self, value, record):
        return tier_badge(record)

    def render_status(self, value, record):
        return status_badge(record)

    def render_relationship_owner(self, value, record):
        return value.display_name


class CertificationTable(tables.Table):
    """Certifications: what, whose, issued, expiry with its badge, evidence on file."""

    label = tables.Column(
        accessor="pk", verbose_name="Certification", linkify=True, order_by=("kind", "name")
    )
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    expires_on = tables.Column(verbose_name="Expires")
    evidence = tables.Column(verbose_name="Evidence", orderable=False, empty_values=())

    class Meta:
        model = Certification
        fields = ("label", "vendor", "kind", "cmmi_level", "issued_on", "expires_on", "evidence")
        order_by = ("expires_on",)

    def render_label(self, value, record):
        label = record.name or record.get_kind_display()
        if record.cmmi_level:
            label = f"{label} level {record.cmmi_level}"
        return label

    def render_expires_on(self, value, record):
        return expiry_badge(record)

    def render_evidence(self, value, record):
        return "on file" if record.evidence else "—"


class ContactTable(tables.Table):
    """The communication matrix as a list: person, vendor, side, level, role, how to reach."""

    name = tables.Column(linkify=True)
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    email = tables.EmailColumn()

    class Meta:
        model = Contact
        fields = ("name", "vendor", "side", "level", "role", "email", "phone")
        order_by = ("vendor", "level", "name")
