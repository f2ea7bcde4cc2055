"""Forms of the slas app: validation of input only; the writes are services'."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

from contracts.models import Contract
from core import permissions
from slas.models import SLA, Measurement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def sla_choice_label(sla: SLA) -> str:
    """How an SLA reads wherever one is chosen: ``MSA-001 — Availability``.

    Names repeat across contracts (five demo names do), so the name alone
    could send a value to the wrong contract.
    """
    return f"{sla.contract.reference} — {sla.name}"


class SLAChoiceField(forms.ModelChoiceField):
    """A drop-down of SLAs labelled "contract reference — SLA name" (contract loaded)."""

    def label_from_instance(self, obj) -> str:
        return sla_choice_label(obj)


def sla_choices(queryset):
    """The SLA choice queryset: contract loaded, ordered as the labels read."""
    return queryset.select_related("contract").order_by("contract__reference", "name")


class SLAForm(forms.ModelForm):
    """Define or change an SLA / KPI. Contracts offered: those the user may change."""

    class Meta:
        model = SLA
        fields = list(SLA.DEFINITION_FIELDS)
        widgets = {"effective_from": DATE, "effective_to": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["contract"].queryset = permissions.restrict(
                Contract.objects.select_related("vendor"), user=user, action=permissions.CHANGE
            )


class MeasurementForm(forms.ModelForm):
    """Record one measurement by hand (source: manual). SLAs offered: those in the user's scope."""

    class Meta:
        model = Measurement
        fields = ["sla", "date", "value", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"date": "The day the value applies to; a monthly figure is dated on the 1st."}
        field_classes = {"sla": SLAChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sla"].label = "SLA"
        if user is not None:
            self.fields["sla"].queryset = sla_choices(
                permissions.restrict(SLA.objects.all(), user=user)
            )

    def _post_clean(self):
        # Same (SLA, date) again replaces the value (idempotent ingestion), so the
        # model's unique constraint must not be checked here: copy the cleaned
        # data onto the instance and let the service validate (scope, window)
        # and upsert. Field-level checks (digits, dates) have already run.
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields)
        except ValidationError as exc:
            self._update_errors(exc)


class MeasurementImportForm(forms.Form):
    """Step 1 of an import: the CSV or XLSX file."""

    file = forms.FileField(
        help_text="CSV (UTF-8) or Excel .xlsx; columns sla (id) or sla_name + "
        "contract_reference, date (YYYY-MM-DD), value, note. Row 1 is the header."
    )


class BreachNoteForm(forms.Form):
    """Acknowledge, resolve or reopen: an optional note."""

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BreachRemediateForm(forms.Form):
    """Start remediation: root cause, corrective action, owner and due date."""

    root_cause = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    corrective_action = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    remediation_owner = forms.CharField(max_length=200)
    remediation_due = forms.DateField(widget=DATE)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BreachWaiveForm(forms.Form):
    """Waive a breach and its credit: the reason is required."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


WORKFLOW_FORMS = {
    "acknowledge": BreachNoteForm,
    "remediate": BreachRemediateForm,
    "resolve": BreachNoteForm,
    "waive": BreachWaiveForm,
    "reopen": BreachNoteForm,
}
