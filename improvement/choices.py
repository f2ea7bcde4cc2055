"""Choices of the improvement programme."""

from django.db import models


class GoalKind(models.TextChoices):
    """An improvement goal of the relationship, or a contract's business case."""

    IMPROVEMENT = "improvement", "Improvement"
    BUSINESS_CASE = "business_case", "Business case"


class Agreement(models.TextChoices):
    """Where a goal's agreement stands; "agreed" only with both sides."""

    DRAFT = "draft", "Not agreed"
    AWAITING_VENDOR = "awaiting_vendor", "Awaiting the vendor"
    AWAITING_CLIENT = "awaiting_client", "Awaiting the client"
    AGREED = "agreed", "Agreed by both sides"


class Side(models.TextChoices):
    """The two parties of the relationship."""

    CLIENT = "client", "Client"
    VENDOR = "vendor", "Vendor"


class IdeaStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    IMPLEMENTED = "implemented", "Implemented"
    REJECTED = "rejected", "Rejected"


# The six dimensions of the relationship health survey, in the order shown.
# Gartner names poor communication, lack of flexibility and unfulfilled
# expectations (quality) as the common failures of outsourcing relationships.
DIMENSIONS = ("communication", "responsiveness", "flexibility", "quality", "innovation", "trust")
