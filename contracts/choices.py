"""Choice lists of the contracts app."""

from django.db import models


class ContractType(models.TextChoices):
    MSA = "msa", "Master services agreement"
    SOW = "sow", "Statement of work"
    AMENDMENT = "amendment", "Amendment"


class Renewal(models.TextChoices):
    NONE = "none", "None"
    AUTOMATIC = "automatic", "Automatic (tacit)"
    BY_AGREEMENT = "by_agreement", "By agreement (express)"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class Party(models.TextChoices):
    CLIENT = "client", "Client"
    VENDOR = "vendor", "Vendor"


class Recurrence(models.TextChoices):
    NONE = "none", "One-off"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"


class ObligationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    WAIVED = "waived", "Waived"


class ChangeImpact(models.TextChoices):
    SCOPE = "scope", "Scope"
    COST = "cost", "Cost"
    SCHEDULE = "schedule", "Schedule"
    SLA = "sla", "SLA"


class ChangeRequestStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ASSESSED = "assessed", "Assessed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    IMPLEMENTED = "implemented", "Implemented"


class ExitStepStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
