"""Forms of the risks pages: validation only; the services and models hold the rules.

Related-row choices (vendor, contract, assessment) are the rows the signed-in
user may change; owners are internal staff, never a vendor's representative.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from contracts.forms import ScopedModelForm
from risks import choices
from risks.models import Assessment, ContinuityPlan, Finding, ReviewCadence, Risk

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
FACTOR = [(n, str(n)) for n in range(1, 6)]


def _staff():
    return get_user_model().objects.filter(is_active=True, vendor__isnull=True)


class _StaffOwnerForm(ScopedModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].queryset = _staff()
            self.fields["owner"].label_from_instance = lambda u: u.display_name


class RiskForm(_StaffOwnerForm):
    """A risk: what, whose, how likely and how bad before and after the controls."""

    class Meta:
        model = Risk
        fields = [
            "vendor",
            "contract",
            "title",
            "description",
            "category",
            "likelihood",
            "impact",
            "controls",
            "residual_likelihood",
            "residual_impact",
            "treatment",
            "owner",
            "status",
            "next_review",
        ]
        widgets = {
            "description": TEXT,
            "controls": TEXT,
            "next_review": DATE_WIDGET,
            **{
                name: forms.Select(choices=FACTOR)
                for name in ("likelihood", "impact", "residual_likelihood", "residual_impact")
            },
        }


class RiskReviewForm(forms.Form):
    """A review of a risk: the scores and status now, a note, and (optionally) the next date."""

    reviewed_on = forms.DateField(widget=DATE_WIDGET)
    likelihood = forms.TypedChoiceField(choices=FACTOR, coerce=int)
    impact = forms.TypedChoiceField(choices=FACTOR, coerce=int)
    residual_likelihood = forms.TypedChoiceField(choices=FACTOR, coerce=int)
    residual_impact = forms.TypedChoiceField(choices=FACTOR, coerce=int)
    status = forms.ChoiceField(choices=choices.RiskStatus.choices)
    note = forms.CharField(widget=TEXT, required=False)
    next_review = forms.DateField(
        widget=DATE_WIDGET,
        required=False,
        help_text="Left empty: the vendor's tier cadence after this review.",
    )


class _EvidenceLink:
    """A stored assessment file as the upload widget shows it, linked to the scoped download."""

    def __init__(self, fieldfile):
        self.url = reverse("risks:assessment_evidence", args=[fieldfile.instance.pk])
        self.name = fieldfile.name.rsplit("/", 1)[-1]

    def __str__(self) -> str:
        return self.name


class EvidenceInput(forms.ClearableFileInput):
    def format_value(self, value):
        if self.is_initial(value) and getattr(value, "instance", None) is not None:
            return _EvidenceLink(value)
        return super().format_value(value)


class AssessmentForm(ScopedModelForm):
    """An assessment with its evidence (uploaded, kept private)."""

    class Meta:
        model = Assessment
        fields = ["vendor", "kind", "date", "assessor", "summary", "evidence"]
        widgets = {"date": DATE_WIDGET, "summary": TEXT, "evidence": EvidenceInput}
        help_texts = {
            "evidence": "The report or evidence (PDF, image, ZIP, Office document; ≤ 20 MB).",
        }


class FindingForm(_StaffOwnerForm):
    """A finding of an assessment: severity, remediation owner, due date, status."""

    class Meta:
        model = Finding
        fields = ["assessment", "title", "description", "severity", "owner", "due_date", "status"]
        widgets = {"description": TEXT, "due_date": DATE_WIDGET}


class ContinuityPlanForm(ScopedModelForm):
    """A continuity plan: steps, RTO/RPO, the last test and its result."""

    class Meta:
        model = ContinuityPlan
        fields = [
            "vendor",
            "title",
            "contingency_steps",
            "rto_hours",
            "rpo_hours",
            "last_test_date",
            "last_test_result",
        ]
        widgets = {
            "contingency_steps": forms.Textarea(attrs={"rows": 6}),
            "last_test_date": DATE_WIDGET,
        }


class ReviewCadenceForm(forms.ModelForm):
    """Months between reviews for one tier."""

    class Meta:
        model = ReviewCadence
        fields = ["months"]
