"""Forms of the vendors pages: validation only; the services hold the rules.

The vendor a certification or contact belongs to is chosen among the vendors
the signed-in user may change, so a vendor manager only ever picks their own.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from core import permissions
from vendors.models import Certification, Contact, Vendor

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class _EvidenceLink:
    """A stored evidence file as the upload widget shows it: its name, linked to the
    permission-checked download view instead of its (never public) media URL."""

    def __init__(self, fieldfile):
        self.url = reverse("vendors:certification_evidence", args=[fieldfile.instance.pk])
        self.name = fieldfile.name.rsplit("/", 1)[-1]

    def __str__(self) -> str:
        return self.name


class EvidenceInput(forms.ClearableFileInput):
    """File upload with a "clear" box; the current file links to the download view."""

    def format_value(self, value):
        if self.is_initial(value) and getattr(value, "instance", None) is not None:
            return _EvidenceLink(value)
        return super().format_value(value)


class VendorForm(forms.ModelForm):
    """A vendor's identity, tier (with its reason), lifecycle status, owner and parent."""

    class Meta:
        model = Vendor
        fields = [
            "name",
            "legal_name",
            "country",
            "service_type",
            "services_description",
            "tier",
            "tier_reason",
            "status",
            "relationship_owner",
            "parent",
        ]
        widgets = {"services_description": TEXT, "tier_reason": TEXT}
        help_texts = {
            "tier_reason": "Required when the tier changes; it is kept in the tier history.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Relationship owners are internal staff: never a vendor's representative.
        self.fields["relationship_owner"].queryset = permissions.internal_staff(
            get_user_model().objects.filter(is_active=True)
        )
        self.fields["relationship_owner"].label_from_instance = lambda u: u.display_name
        parents = Vendor.objects.all()
        if user is not None:
            parents = permissions.restrict(parents, user=user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class ScopedVendorForm(forms.ModelForm):
    """A form whose ``vendor`` choice is limited to the vendors ``user`` may change."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["vendor"].queryset = permissions.restrict(
                Vendor.objects.all(), user=user, action=permissions.CHANGE
            )


class CertificationForm(ScopedVendorForm):
    """A certification with its dates, CMMI level and evidence file (uploaded, kept private)."""

    class Meta:
        model = Certification
        fields = [
            "vendor",
            "kind",
            "name",
            "cmmi_level",
            "scope",
            "issued_on",
            "expires_on",
            "evidence",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "expires_on": DATE_WIDGET,
            "scope": TEXT,
            "evidence": EvidenceInput,
        }
        help_texts = {
            "evidence": "The certificate or report (PDF, image, ZIP, Office document; ≤ 20 MB).",
        }


class ContactForm(ScopedVendorForm):
    """A person of the communication matrix."""

    class Meta:
        model = Contact
        fields = ["vendor", "name", "side", "level", "role", "email", "phone"]
