"""Forms of the reports app: validation only (the services decide)."""

from __future__ import annotations

from django import forms

from governance.models import Meeting
from reports import choices, quarters
from reports.models import VendorReportSetting, meeting_errors, validate_quarter


class QBRRequestForm(forms.Form):
    """Request a QBR for one vendor: which quarter, which edition."""

    vendor = forms.ModelChoiceField(queryset=None)
    quarter = forms.CharField(max_length=6, validators=[validate_quarter], help_text="e.g. 2026Q3")
    edition = forms.ChoiceField(choices=choices.Edition.choices, initial=choices.Edition.INTERNAL)
    meeting = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="The QBR meeting this report is for (a meeting with the same vendor).",
    )

    def __init__(self, *args, vendors, meetings=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = vendors
        self.fields["meeting"].queryset = (
            meetings if meetings is not None else Meeting.objects.none()
        )
        if today is not None:
            self.fields["quarter"].initial = quarters.just_ended(today)

    def clean(self):
        data = super().clean()
        meeting, vendor = data.get("meeting"), data.get("vendor")
        if meeting is not None and vendor is not None:
            for error in meeting_errors(meeting=meeting, vendor_id=vendor.pk):
                self.add_error("meeting", error)
        return data


class VendorReportSettingForm(forms.ModelForm):
    class Meta:
        model = VendorReportSetting
        fields = ["vendor", "vendor_access"]
