"""Choice lists of the slas app."""

from django.db import models


class Kind(models.TextChoices):
    SLA = "sla", "SLA (contractual)"
    KPI = "kpi", "KPI (tracked)"


class Category(models.TextChoices):
    AVAILABILITY = "availability", "Availability"
    RESPONSIVENESS = "responsiveness", "Responsiveness"
    QUALITY = "quality", "Quality"
    EFFICIENCY = "efficiency", "Efficiency"
    SATISFACTION = "satisfaction", "Satisfaction"
    COST = "cost", "Cost"
    INNOVATION = "innovation", "Innovation"
    COMPLIANCE = "compliance", "Compliance"
    OTHER = "other", "Other"


class Focus(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    OUTCOME = "outcome", "Outcome-based"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"


class Period(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly (ISO week)"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class Aggregation(models.TextChoices):
    MEAN = "mean", "Mean"
    SUM = "sum", "Sum"
    MIN = "min", "Minimum"
    MAX = "max", "Maximum"
    LAST = "last", "Last"


class Source(models.TextChoices):
    API = "api", "API"
    IMPORT = "import", "Import"
    MANUAL = "manual", "Manual"
    VENDOR = "vendor", "Vendor"


class ResultStatus(models.TextChoices):
    MET = "met", "Met"
    AT_RISK = "at_risk", "At risk"
    BREACHED = "breached", "Breached"


class Severity(models.TextChoices):
    MAJOR = "major", "Major"
    CRITICAL = "critical", "Critical"


class BreachStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    REMEDIATING = "remediating", "Remediating"
    RESOLVED = "resolved", "Resolved"
    WAIVED = "waived", "Waived"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EarnBack(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    PENDING = "pending", "Pending"
    EARNED_BACK = "earned_back", "Earned back"
    NOT_EARNED = "not_earned", "Not earned back"
