"""Forms of the improvement programme (validation only; the services decide)."""

from __future__ import annotations

import re

from django import forms

from core import permissions
from core.permissions import restrict
from improvement.choices import DIMENSIONS
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)

QUARTER_RE = re.compile(r"^\d{4}Q[1-4]$")


class ScopedForm(forms.ModelForm):
    """Limits the related choices (vendor, contract, SLAs, assessment) to what the user sees."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "scope_vendor_path"):
                field.queryset = restrict(queryset, user=user)
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"})


class SituationAssessmentForm(ScopedForm):
    class Meta:
        model = SituationAssessment
        fields = ["vendor", "title", "assessed_on", "summary"]


class KeyIssueForm(ScopedForm):
    class Meta:
        model = KeyIssue
        fields = ["assessment", "description", "investment_needed", "currency"]


class GoalForm(ScopedForm):
    class Meta:
        model = Goal
        fields = [
            "vendor",
            "contract",
            "kind",
            "title",
            "description",
            "baseline_value",
            "target_value",
            "unit",
            "target_date",
            "slas",
            "owner",
        ]


class IssueListApproveForm(forms.Form):
    """Approve the vendor's current issue list as the next version."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class HealthSurveyForm(ScopedForm):
    """One side's scores, 1 (poor) to 5 (excellent).

    A vendor representative answers the vendor side: the field is not offered.
    """

    class Meta:
        model = HealthSurvey
        fields = [
            "vendor",
            "quarter",
            "side",
            "communication",
            "responsiveness",
            "flexibility",
            "quality",
            "innovation",
            "trust",
            "comment",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in DIMENSIONS:
            self.fields[name].widget = forms.NumberInput(attrs={"min": 1, "max": 5})
        if permissions.is_vendor_side(user):
            del self.fields["side"]
            if user.vendor_id:
                self.fields["vendor"].initial = user.vendor_id


class IdeaForm(ScopedForm):
    class Meta:
        model = Idea
        fields = [
            "vendor",
            "proposed_by",
            "title",
            "description",
            "status",
            "currency",
            "expected_benefit",
            "realised_benefit",
            "benefit_note",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if permissions.is_vendor_side(user):
            for name in ("proposed_by", "status", "realised_benefit"):
                del self.fields[name]


class PublicationForm(ScopedForm):
    class Meta:
        model = IssueListPublication
        fields = ["note"]
