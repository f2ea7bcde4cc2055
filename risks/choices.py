"""Choice lists of the risks app (DESIGN.md section 1, risks/; section 6 for the API values)."""

from django.db import models


class Category(models.TextChoices):
    DATA_SECURITY = "data_security", "Data security"
    PRIVACY = "privacy", "Privacy"
    COMPLIANCE = "compliance", "Compliance"
    OPERATIONAL = "operational", "Operational"
    FINANCIAL = "financial", "Financial"
    CONCENTRATION = "concentration", "Concentration"
    GEOPOLITICAL = "geopolitical", "Geopolitical"
    BUSINESS_CONTINUITY = "business_continuity", "Business continuity"
    EXIT_LOCK_IN = "exit_lock_in", "Exit / lock-in"


class Treatment(models.TextChoices):
    MITIGATE = "mitigate", "Mitigate"
    ACCEPT = "accept", "Accept"
    TRANSFER = "transfer", "Transfer"
    AVOID = "avoid", "Avoid"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    MITIGATING = "mitigating", "Mitigating"
    ACCEPTED = "accepted", "Accepted"
    CLOSED = "closed", "Closed"


# A risk still on the register's worry list: everything but closed.
OPEN_STATUSES = (RiskStatus.OPEN, RiskStatus.MITIGATING, RiskStatus.ACCEPTED)


class Rating(models.TextChoices):
    """The band of a score (``risks.rules.rating``)."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class ReviewKind(models.TextChoices):
    """Why a row of a risk's history was written."""

    IDENTIFIED = "identified", "Identified"
    REVIEWED = "reviewed", "Reviewed"
    CHANGED = "changed", "Changed"


class AssessmentKind(models.TextChoices):
    AUDIT = "audit", "Audit"
    DUE_DILIGENCE = "due_diligence", "Due-diligence review"
    PENETRATION_TEST = "penetration_test", "Penetration test"
    SOC2_REVIEW = "soc2_review", "SOC 2 report review"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"
    ACCEPTED = "accepted", "Accepted"


OPEN_FINDING_STATUSES = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)


class TestResult(models.TextChoices):
    PASS = "pass", "Pass"
    PARTIAL = "partial", "Partial"
    FAIL = "fail", "Fail"


class ContinuityState(models.TextChoices):
    """A vendor's continuity standing (``risks.rules.continuity_state``)."""

    TESTED = "tested", "Tested in the last 12 months"
    FAILED = "failed", "Last test failed"
    STALE = "stale", "Last test more than 12 months ago"
    NEVER_TESTED = "never_tested", "Plan never tested"
    NO_PLAN = "no_plan", "No continuity plan"
    NOT_REQUIRED = "not_required", "Not required (not tier 1)"


class ReviewSubject(models.TextChoices):
    """What a review reminder was about."""

    RISK = "risk", "Risk review"
    REASSESSMENT = "reassessment", "Vendor reassessment"
