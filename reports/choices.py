"""Choices of the reports app."""

from django.db import models


class Edition(models.TextChoices):
    """Who a QBR is written for: the office (everything) or the vendor (no internal figures)."""

    INTERNAL = "internal", "Internal"
    VENDOR = "vendor", "Vendor edition"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class VendorAccess(models.TextChoices):
    """What a vendor's representatives may download of their QBRs."""

    NONE = "none", "No reports"
    VENDOR_EDITION = "vendor_edition", "The vendor edition"
