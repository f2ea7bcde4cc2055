"""Choice lists of the sourcing app."""

from django.db import models


class EventStatus(models.TextChoices):
    """draft → open (proposals, scoring) → evaluating → awarded; cancelled unless awarded."""

    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    EVALUATING = "evaluating", "Evaluating"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


class CandidateStatus(models.TextChoices):
    """What a vendor representative sees of its own proposal."""

    INVITED = "invited", "Invited"
    SUBMITTED = "submitted", "Proposal submitted"
    UNDER_EVALUATION = "under_evaluation", "Under evaluation"
    AWARDED = "awarded", "Awarded"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DueDiligenceKind(models.TextChoices):
    """Certification kinds are decided from vendors.Certification on the decision date."""

    ISO27001 = "iso27001", "ISO 27001 certificate"
    SOC2 = "soc2", "SOC 2 report"
    CMMI = "cmmi", "CMMI level"
    REFERENCES = "references", "References"
    FINANCIALS = "financials", "Financials"
    SECURITY_QUESTIONNAIRE = "security_questionnaire", "Security questionnaire received"
    OTHER = "other", "Other"


CERTIFICATION_KINDS = {
    DueDiligenceKind.ISO27001: ("iso27001",),
    DueDiligenceKind.SOC2: ("soc2_type1", "soc2_type2"),
    DueDiligenceKind.CMMI: ("cmmi",),
}


class DueDiligenceStatus(models.TextChoices):
    OPEN = "open", "Open"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    WAIVED = "waived", "Waived"


class StepStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
