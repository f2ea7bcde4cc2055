"""Forms of the sourcing pages: validation only (services name the field of a refusal)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from core import permissions
from sourcing.models import (
    Candidate,
    DueDiligenceItem,
    EvaluatorAssignment,
    Proposal,
    ReadinessCriterion,
    SourcingEvent,
    TransitionPlan,
    TransitionStep,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose related-row choices are what ``user`` may change."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and user is not None:
                model = field.queryset.model
                if hasattr(model, "scope_vendor_path"):
                    field.queryset = permissions.restrict(
                        field.queryset, user=user, action=permissions.CHANGE
                    ).distinct()


class SourcingEventForm(ScopedModelForm):
    class Meta:
        model = SourcingEvent
        fields = ["title", "scope", "objectives", "decision_date"]
        widgets = {"decision_date": DATE_WIDGET, "scope": TEXT, "objectives": TEXT}


class CriteriaForm(forms.Form):
    """The whole set of criteria, one "name: weight" per line (weights sum to 100)."""

    criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text='One per line, "name: weight", e.g. "Cost: 40". The weights must sum to 100.',
    )

    def clean_criteria(self) -> list[dict]:
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, weight = line.rpartition(":")
            if not sep or not name.strip():
                raise forms.ValidationError(f'Line {number}: write "name: weight".')
            rows.append({"name": name.strip(), "weight": weight.strip()})
        return rows


class CandidateForm(ScopedModelForm):
    class Meta:
        model = Candidate
        fields = ["event", "vendor"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["vendor"].queryset = self.fields["vendor"].queryset.filter(
            status__in=("prospect", "evaluating")
        )


class CandidateStatusForm(ScopedModelForm):
    """Withdraw a candidate (the award sets awarded / not selected)."""

    class Meta:
        model = Candidate
        fields = ["status"]


class ProposalForm(ScopedModelForm):
    class Meta:
        model = Proposal
        fields = ["candidate", "price", "currency", "notes", "document"]
        widgets = {"notes": TEXT}


class DueDiligenceItemForm(ScopedModelForm):
    class Meta:
        model = DueDiligenceItem
        fields = ["candidate", "kind", "cmmi_min_level", "status", "blocking", "note"]
        widgets = {"note": TEXT}


class EvaluatorAssignmentForm(ScopedModelForm):
    class Meta:
        model = EvaluatorAssignment
        fields = ["event", "evaluator"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["evaluator"].queryset = permissions.internal_staff(
            get_user_model().objects.filter(is_active=True)
        )


class ScoreForm(forms.Form):
    """One score of the signed-in evaluator."""

    score = forms.IntegerField(min_value=0, max_value=5)
    comment = forms.CharField(required=False, widget=TEXT)


class AwardForm(forms.Form):
    candidate = forms.ModelChoiceField(queryset=Candidate.objects.none())
    award_rationale = forms.CharField(widget=TEXT)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            self.fields["candidate"].queryset = event.candidates.select_related("vendor")


class TransitionPlanForm(ScopedModelForm):
    class Meta:
        model = TransitionPlan
        fields = ["summary", "knowledge_transfer", "go_live_date"]
        widgets = {"go_live_date": DATE_WIDGET, "summary": TEXT, "knowledge_transfer": TEXT}


class TransitionStepForm(ScopedModelForm):
    class Meta:
        model = TransitionStep
        fields = ["plan", "order", "title", "owner", "start_date", "due_date", "status"]
        widgets = {"start_date": DATE_WIDGET, "due_date": DATE_WIDGET}


class ReadinessCriterionForm(ScopedModelForm):
    class Meta:
        model = ReadinessCriterion
        fields = ["plan", "description", "met"]
