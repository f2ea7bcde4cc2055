"""Vendors, their tier history, certifications and contacts (DESIGN.md section 1, vendors/)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from core.audit import tracked
from core.models import CovenantModel
from vendors import choices

CERTIFICATION_WARNING_DAYS = 60


def evidence_upload_to(instance: Certification, filename: str) -> str:
    """Where an evidence file is stored: a random folder per upload.

    Evidence is only ever served by the permission-checked download view
    (``vendors:certification_evidence``); the random folder makes a stored
    path impossible to guess should the media folder ever be exposed.
    """
    return f"certifications/{uuid4().hex}/{PurePath(filename).name}"


@tracked()
class Vendor(CovenantModel):
    """An outsourcing provider (BPO, ITO or both) under governance.

    ``tier`` says how critical it is (1 critical … 4 low); every change of tier
    is recorded as a ``VendorTierChange`` with its reason. ``parent`` links a
    subsidiary or sub-contractor to its parent (the 4th-party chain).
    """

    scope_vendor_path = "pk"
    visible_to_vendor_users = True
    # Why a vendor has its tier, and who owns it, are the office's business
    # (core.permissions.hidden_fields: API and pages leave them out for vendor users).
    internal_fields = ("tier_reason", "relationship_owner")

    name = models.CharField(max_length=200, unique=True)
    legal_name = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    service_type = models.CharField(max_length=8, choices=choices.ServiceType.choices)
    services_description = models.TextField(blank=True)
    tier = models.PositiveSmallIntegerField(
        choices=choices.Tier.choices, default=choices.Tier.MEDIUM
    )
    tier_reason = models.TextField(blank=True, help_text="Why the vendor has this tier.")
    status = models.CharField(
        max_length=16, choices=choices.VendorStatus.choices, default=choices.VendorStatus.PROSPECT
    )
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_vendors",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        help_text="Parent vendor, for subsidiaries and sub-contractors.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__gte=1, tier__lte=4), name="vendor_tier_1_4"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="vendor_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


@tracked()
class VendorTierChange(CovenantModel):
    """One change of a vendor's tier: from, to, why, by whom, when."""

    visible_to_vendor_users = False

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.PositiveSmallIntegerField(choices=choices.Tier.choices, null=True)
    to_tier = models.PositiveSmallIntegerField(choices=choices.Tier.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.vendor}: tier {self.from_tier} → {self.to_tier}"


@tracked()
class Certification(CovenantModel):
    """A vendor's certification or attestation (ISO 27001, SOC 2, CMMI …).

    Expired or expiring within 60 days is flagged (``expiry_state``).
    """

    visible_to_vendor_users = True

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(max_length=16, choices=choices.CertificationKind.choices)
    name = models.CharField(
        max_length=200, blank=True, help_text="For 'other', or a more precise title."
    )
    cmmi_level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="CMMI maturity level 1–5 (CMMI only).",
    )
    scope = models.TextField(blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    evidence = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=300)

    class Meta:
        ordering = ["vendor__name", "expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="certification_expires_after_issue",
                violation_error_message="The expiry date cannot be before the issue date.",
            ),
            models.CheckConstraint(
                condition=Q(cmmi_level__isnull=True)
                | Q(kind="cmmi", cmmi_level__gte=1, cmmi_level__lte=5),
                name="certification_cmmi_level",
                violation_error_message="A CMMI level (1–5) belongs to CMMI certifications only.",
            ),
        ]

    def __str__(self) -> str:
        label = self.name or self.get_kind_display()
        if self.kind == choices.CertificationKind.CMMI and self.cmmi_level:
            label = f"{label} level {self.cmmi_level}"
        return f"{self.vendor} – {label}"

    def expiry_state(self, today: date | None = None) -> str:
        """'expired', 'expiring' (≤ 60 days), 'valid', or 'no_expiry'."""
        if self.expires_on is None:
            return "no_expiry"
        today = today or date.today()
        if self.expires_on < today:
            return "expired"
        if self.expires_on <= today + timedelta(days=CERTIFICATION_WARNING_DAYS):
            return "expiring"
        return "valid"


@tracked()
class Contact(CovenantModel):
    """A person in the communication matrix: client or vendor side, by level."""

    visible_to_vendor_users = True

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    side = models.CharField(max_length=8, choices=choices.ContactSide.choices)
    level = models.CharField(max_length=12, choices=choices.ContactLevel.choices)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["vendor__name", "level", "side", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_side_display()}, {self.get_level_display()})"


class CertificationReminder(models.Model):
    """A certification reminder that was sent: one per certification, expiry date and kind.

    ``kind`` is 90, 30 or 7 days before the expiry, or "expired". The unique
    key makes the daily job idempotent: a reminder already recorded is never
    sent again, however often the job runs; a renewed certification (new
    expiry date) gets its own reminders.
    """

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="reminders"
    )
    expires_on = models.DateField()
    kind = models.CharField(max_length=8, choices=choices.ReminderKind.choices)
    recipients = models.TextField(blank=True, help_text="Addresses it went to, comma-separated.")
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "expires_on", "kind"], name="certification_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certification}: {self.get_kind_display()} ({self.sent_on})"
