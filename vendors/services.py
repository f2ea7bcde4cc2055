"""Writes of the vendors app: vendors (with their tier history), certifications, contacts,
and the certification reminders.

Every function is keyword-only, validates through ``full_clean`` (via
``core.services``) and runs in a transaction, so the pages, the API, the admin,
the demo seeder and the tasks all get the same field-level errors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from core import permissions
from core.audit import audited
from core.evidence import clean_evidence
from core.models import User
from core.services import model_create, model_delete, model_update
from vendors import selectors
from vendors.choices import ReminderKind
from vendors.models import (
    Certification,
    CertificationReminder,
    Contact,
    Vendor,
    VendorTierChange,
)

logger = logging.getLogger(__name__)

# --- Vendors ------------------------------------------------------------------------


def vendor_check(*, instance: Vendor | None, data: dict[str, Any]) -> None:
    """Raise the field errors ``data`` would cause on ``instance`` beyond ``full_clean``.

    * ``parent``: a vendor cannot be its own ancestor — the proposed parent may
      be neither the vendor itself nor one of its subsidiaries at any depth.
    * ``tier_reason``: a change of tier needs its own reason (it goes into the
      history): given with the change, and not the reason stored for the last one.

    The admin's form calls it too, so its errors show on the fields there.
    """
    if instance is None or instance.pk is None:
        return
    errors: dict[str, str] = {}
    parent = data.get("parent")
    if parent is not None:
        parent_id = parent.pk if isinstance(parent, Vendor) else int(parent)
        if instance.pk in selectors.vendor_ancestor_ids(vendor_id=parent_id):
            errors["parent"] = (
                "A vendor cannot be its own parent, nor the parent of a vendor above it."
            )
    before = Vendor.objects.filter(pk=instance.pk).values("tier", "tier_reason").first()
    if before is not None and "tier" in data and data["tier"] != before["tier"]:
        # Its own reason: the one stored explains the previous change, and a
        # form or client sending the vendor back whole would otherwise reuse it.
        reason = (data.get("tier_reason") or "").strip()
        if not reason:
            errors["tier_reason"] = "Give the reason for the change of tier."
        elif reason == (before["tier_reason"] or "").strip():
            errors["tier_reason"] = (
                "Give the reason for this change of tier: this one was given for the previous one."
            )
    if errors:
        raise ValidationError(errors)


def _record_tier(*, vendor: Vendor, from_tier: int | None, actor: User | None, reason: str) -> None:
    VendorTierChange.objects.create(
        vendor=vendor,
        from_tier=from_tier,
        to_tier=vendor.tier,
        reason=reason,
        changed_by=actor if getattr(actor, "pk", None) else None,
    )


@audited("vendors:vendor_create")
@transaction.atomic
def vendor_create(*, actor: User | None = None, data: dict[str, Any]) -> Vendor:
    """Register a vendor and record its initial tier (from nothing to the tier given)."""
    vendor = model_create(model=Vendor, data=data)
    _record_tier(vendor=vendor, from_tier=None, actor=actor, reason=vendor.tier_reason)
    return vendor


@audited("vendors:vendor_update")
@transaction.atomic
def vendor_update(*, instance: Vendor, actor: User | None = None, data: dict[str, Any]) -> Vendor:
    """Change a vendor. A change of tier needs a reason and is recorded in the tier history.

    The previous tier is read from the database (locked), not from
    ``instance``: a form has already written the new values onto it.
    """
    # Lock the row so two concurrent changes of tier record two consecutive steps.
    before = Vendor.objects.select_for_update().values("tier").get(pk=instance.pk)
    vendor_check(instance=instance, data=data)
    vendor = model_update(instance=instance, data=data)
    if vendor.tier != before["tier"]:
        _record_tier(
            vendor=vendor, from_tier=before["tier"], actor=actor, reason=vendor.tier_reason
        )
    return vendor


@audited("vendors:vendor_delete")
def vendor_delete(*, instance: Vendor, actor: User | None = None) -> None:
    """Delete a vendor (refused with ProtectedError while contracts or subsidiaries remain)."""
    model_delete(instance=instance)


# --- Certifications -----------------------------------------------------------------


@audited("vendors:certification_create")
def certification_create(*, actor: User | None = None, data: dict[str, Any]) -> Certification:
    """Record a vendor's certification, with its optional evidence file."""
    return model_create(model=Certification, data=clean_evidence(data))


@audited("vendors:certification_update")
def certification_update(
    *, instance: Certification, actor: User | None = None, data: dict[str, Any]
) -> Certification:
    """Change a certification; a renewal is a new expiry date (its reminders start afresh).

    A replaced evidence file stays in storage: the audit trail still names it.
    """
    return model_update(instance=instance, data=clean_evidence(data))


@audited("vendors:certification_delete")
def certification_delete(*, instance: Certification, actor: User | None = None) -> None:
    """Delete a certification (its sent-reminder records go with it)."""
    model_delete(instance=instance)


# --- Contacts -----------------------------------------------------------------------


@audited("vendors:contact_create")
def contact_create(*, actor: User | None = None, data: dict[str, Any]) -> Contact:
    """Add a person to a vendor's communication matrix."""
    return model_create(model=Contact, data=data)


@audited("vendors:contact_update")
def contact_update(
    *, instance: Contact, actor: User | None = None, data: dict[str, Any]
) -> Contact:
    """Change a contact of the communication matrix."""
    return model_update(instance=instance, data=data)


@audited("vendors:contact_delete")
def contact_delete(*, instance: Contact, actor: User | None = None) -> None:
    """Remove a contact from the communication matrix."""
    model_delete(instance=instance)


# --- Certification reminders --------------------------------------------------------

# DESIGN.md section 2: "Reminders go out 90, 30 and 7 days before … a
# certification expires." Days before expiry -> the reminder kind recorded.
REMINDER_DAYS = {90: ReminderKind.DAYS_90, 30: ReminderKind.DAYS_30, 7: ReminderKind.DAYS_7}


@dataclass(frozen=True)
class CertificationReminderReport:
    """What one run of the daily certification job did."""

    reminders_sent: int
    expired_flagged: int


def certification_reminders_send(*, today: date) -> CertificationReminderReport:
    """Send the certification reminders due on ``today``; idempotent for a given day.

    A certification expiring in exactly 90, 30 or 7 days gets that reminder;
    one past its expiry date (``expires_on`` < ``today``) is flagged once as
    expired. Each goes to the vendor's relationship owner (or the governance
    office when the vendor has none) through ``notifications.services.notify``
    (in-app and/or e-mail by each user's preference) and is recorded as a
    ``CertificationReminder``, unique per certification, expiry date and kind,
    so a second run sends nothing more. An e-mail the mail server refuses is
    retried by the notifications' ``notifications-email-retry`` job.
    """
    due_dates = {today + timedelta(days=days): kind for days, kind in REMINDER_DAYS.items()}
    already = CertificationReminder.objects.filter(
        certification=OuterRef("pk"), expires_on=OuterRef("expires_on")
    )
    candidates = (
        Certification.objects.filter(Q(expires_on__in=due_dates) | Q(expires_on__lt=today))
        # An expired certification is flagged once; skipping those already
        # flagged in SQL keeps the daily run small however old the register is.
        .exclude(Q(expires_on__lt=today) & Exists(already.filter(kind=ReminderKind.EXPIRED)))
        .select_related("vendor__relationship_owner")
        .order_by("expires_on", "pk")
    )
    from notifications.services import notify  # in-app and/or e-mail per user preference

    sent = flagged = 0
    office: list | None = None
    for certification in candidates:
        kind = due_dates.get(certification.expires_on, ReminderKind.EXPIRED)
        owner = certification.vendor.relationship_owner
        if owner is not None and owner.is_active and owner.email:
            users = [owner]
        else:
            if office is None:
                office = _office_users()
            users = office
        recipients = sorted({user.email for user in users})
        try:
            with transaction.atomic():
                _, created = CertificationReminder.objects.get_or_create(
                    certification=certification,
                    expires_on=certification.expires_on,
                    kind=kind,
                    defaults={"sent_on": today, "recipients": ", ".join(recipients)},
                )
                if created and users:
                    subject, body = _reminder_text(certification, kind=kind, today=today)
                    notify(
                        kind="certification_reminder",
                        users=users,
                        title=subject,
                        body=body,
                        url=certification.get_absolute_url(),
                        dedupe_key=(
                            f"certification_reminder:{certification.pk}:"
                            f"{certification.expires_on:%Y-%m-%d}:{kind}"
                        ),
                    )
        except Exception:  # noqa: BLE001 — one failed e-mail must not stop the others
            # The reminder row rolled back with the failed send: the next run retries it.
            logger.exception("Certification reminder for %s not sent", certification.pk)
            continue
        if created:
            if kind == ReminderKind.EXPIRED:
                flagged += 1
            else:
                sent += 1
    return CertificationReminderReport(reminders_sent=sent, expired_flagged=flagged)


def _office_users() -> list:
    """The governance office's users with an address: the fallback when a vendor has no owner."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = permissions.office_staff(users).distinct()
    return sorted(users, key=lambda user: (user.email, user.pk))


def _reminder_text(certification: Certification, *, kind: str, today: date) -> tuple[str, str]:
    vendor = certification.vendor
    label = certification.name or certification.get_kind_display()
    expiry = certification.expires_on
    if kind == ReminderKind.EXPIRED:
        subject = f"Certification expired: {label} ({vendor.name})"
        lead = f"The certification expired on {expiry:%Y-%m-%d}."
    else:
        days = (expiry - today).days
        subject = f"Certification expires in {days} days: {label} ({vendor.name})"
        lead = f"The certification expires on {expiry:%Y-%m-%d}, in {days} days."
    body = (
        f"Vendor: {vendor.name} (tier {vendor.tier})\n"
        f"Certification: {label}\n"
        f"Scope: {certification.scope or '—'}\n\n"
        f"{lead}\nPlease ask the vendor for the renewed certificate and upload it as evidence.\n"
    )
    return subject, body
