"""Forms of the contracts pages: validation only (the models' ``clean`` names the field).

Every choice of a related row (vendor, contract, parent MSA, exit plan) is
limited to the rows the signed-in user may change, so a vendor manager only
ever picks their own vendors' contracts.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core import permissions

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose related-row choices are what ``user`` may change."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            # Internal figures (``internal_fields``) are neither shown to nor taken
            # from a user who may not see them (core.permissions.hidden_fields).
            for name in permissions.hidden_fields(user=user, model=self._meta.model):
                self.fields.pop(name, None)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and user is not None:
                model = field.queryset.model
                if hasattr(model, "scope_vendor_path"):
                    field.queryset = permissions.restrict(
                        field.queryset, user=user, action=permissions.CHANGE
                    )
        if "owner" in self.fields and isinstance(self.fields["owner"], forms.ModelChoiceField):
            self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True)


class ContractForm(ScopedModelForm):
    """A contract's term, renewal, money and scope; the notice deadline is computed."""

    class Meta:
        model = Contract
        fields = [
            "vendor",
            "reference",
            "title",
            "contract_type",
            "parent",
            "status",
            "start_date",
            "end_date",
            "renewal",
            "renewal_months",
            "notice_days",
            "currency",
            "monthly_charge",
            "total_value",
            "at_risk_percent",
            "earn_back_periods",
            "baseline_annual_cost",
            "target_savings_percent",
            "transition_cost",
            "transition_cost_month",
            "scope_in",
            "scope_out",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "transition_cost_month": DATE_WIDGET,
            "scope_in": TEXT,
            "scope_out": TEXT,
        }
        help_texts = {
            "end_date": "The last day of the term (inclusive).",
            "notice_days": "Notice period in days; the notice deadline is the end date minus it.",
            "transition_cost": "One-off cost of bringing the service in; the value page shows "
            "the month it is paid back.",
            "transition_cost_month": "The first day of the month it was paid (e.g. 2026-01-01).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            self.fields["parent"].queryset.filter(contract_type="msa").select_related("vendor")
        )
        if "transition_cost" in self.fields:
            # Most contracts have no transition cost: an empty box means none (0).
            self.fields["transition_cost"].required = False

    def clean_transition_cost(self):
        value = self.cleaned_data.get("transition_cost")
        return Decimal("0") if value is None else value


class ObligationForm(ScopedModelForm):
    """What a party must do, when, and who owns it."""

    class Meta:
        model = Obligation
        fields = [
            "contract",
            "title",
            "description",
            "party",
            "due_date",
            "recurrence",
            "owner",
            "status",
        ]
        widgets = {"due_date": DATE_WIDGET, "description": TEXT}


class ChangeRequestForm(ScopedModelForm):
    """A change request's content; its status moves only through the workflow buttons."""

    class Meta:
        model = ChangeRequest
        fields = [
            "contract",
            "reference",
            "title",
            "description",
            "impact",
            "cost_impact",
            "requested_by",
            "baseline_adjustment",
            "baseline_adjustment_date",
        ]
        widgets = {"description": TEXT, "baseline_adjustment_date": DATE_WIDGET}
        help_texts = {
            "baseline_adjustment": "Change to the baseline annual cost (may be negative); "
            "savings are measured against the adjusted baseline once the change is approved.",
            "baseline_adjustment_date": "Required with an adjustment: the first day it applies.",
        }


class ChangeRequestTransitionForm(forms.Form):
    """One workflow step of a change request, with an optional note."""

    status = forms.CharField(max_length=12)
    note = forms.CharField(required=False, max_length=2000)


class ExitPlanForm(ScopedModelForm):
    """A contract's exit plan."""

    class Meta:
        model = ExitPlan
        fields = ["contract", "summary", "ip_transfer", "data_return", "last_tested_on"]
        widgets = {
            "last_tested_on": DATE_WIDGET,
            "summary": TEXT,
            "ip_transfer": TEXT,
            "data_return": TEXT,
        }


class ExitStepForm(ScopedModelForm):
    """One step of an exit plan."""

    class Meta:
        model = ExitStep
        fields = ["plan", "order", "title", "owner", "start_date", "due_date", "status"]
        widgets = {"start_date": DATE_WIDGET, "due_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plan's label is its contract's reference: load them together.
        self.fields["plan"].queryset = self.fields["plan"].queryset.select_related("contract")


class SpendRecordForm(ScopedModelForm):
    """What was invoiced for a contract in one month."""

    class Meta:
        model = SpendRecord
        fields = ["contract", "month", "amount", "invoice_reference", "note"]
        widgets = {"month": DATE_WIDGET, "note": TEXT}
        help_texts = {"month": "The first day of the invoiced month."}
