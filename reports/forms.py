"""Forms of the reports app: validation only (the services decide)."""

from __future__ import annotations

from django import forms

from reports import choices, quarters
from reports.models import VendorReportSetting, validate_quarter


class QBRRequestForm(forms.Form):
    """Request a QBR for one vendor: which quarter, which edition."""

    vendor = forms.ModelChoiceField(queryset=None)
    quarter = forms.CharField(max_length=6, validators=[validate_quarter], help_text="e.g. 2026Q3")
    edition = forms.ChoiceField(choices=choices.Edition.choices, initial=choices.Edition.INTERNAL)

    def __init__(self, *args, vendors, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors
        if today is not None:
            self.fields["quarter"].initial = quarters.just_ended(today)


class VendorReportSettingForm(forms.ModelForm):
    class Meta:
        model = VendorReportSetting
        fields = ["vendor", "vendor_access"]
