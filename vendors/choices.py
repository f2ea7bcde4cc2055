"""Choice lists of the vendors app."""

from django.db import models


class ServiceType(models.TextChoices):
    BPO = "bpo", "BPO"
    ITO = "ito", "ITO"
    BOTH = "both", "BPO and ITO"


class Tier(models.IntegerChoices):
    CRITICAL = 1, "1 – Critical"
    HIGH = 2, "2 – High"
    MEDIUM = 3, "3 – Medium"
    LOW = 4, "4 – Low"


class VendorStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    EVALUATING = "evaluating", "Evaluating"
    ONBOARDING = "onboarding", "Onboarding"
    ACTIVE = "active", "Active"
    EXITING = "exiting", "Exiting"
    EXITED = "exited", "Exited"


class CertificationKind(models.TextChoices):
    ISO27001 = "iso27001", "ISO 27001"
    SOC2_TYPE1 = "soc2_type1", "SOC 2 Type I"
    SOC2_TYPE2 = "soc2_type2", "SOC 2 Type II"
    CMMI = "cmmi", "CMMI"
    PCI_DSS = "pci_dss", "PCI DSS"
    ISO9001 = "iso9001", "ISO 9001"
    HIPAA = "hipaa", "HIPAA"
    OTHER = "other", "Other"


class ContactSide(models.TextChoices):
    CLIENT = "client", "Client"
    VENDOR = "vendor", "Vendor"


class ContactLevel(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    TACTICAL = "tactical", "Tactical"
    STRATEGIC = "strategic", "Strategic"


class ReminderKind(models.TextChoices):
    """Which certification reminder was sent (DESIGN.md section 2: 90, 30 and 7 days before)."""

    DAYS_90 = "d90", "90 days before expiry"
    DAYS_30 = "d30", "30 days before expiry"
    DAYS_7 = "d7", "7 days before expiry"
    EXPIRED = "expired", "Expired"


class ExpiryState(models.TextChoices):
    """A certification's standing on a given day (``Certification.expiry_state``)."""

    EXPIRED = "expired", "Expired"
    EXPIRING = "expiring", "Expiring (≤ 60 days)"
    VALID = "valid", "Valid"
    NO_EXPIRY = "no_expiry", "No expiry date"
