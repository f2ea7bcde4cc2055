"""Forms of the governance pages: validation only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from core import permissions
from governance.choices import VENDOR_USER_EDITABLE
from governance.models import (
    ActionItem,
    Escalation,
    EscalationLevel,
    EscalationPlan,
    Forum,
    Meeting,
)
from vendors.forms import DATE_WIDGET, TEXT
from vendors.models import Vendor


def _writable_vendors(user):
    return permissions.restrict(Vendor.objects.all(), user=user, action=permissions.CHANGE)


def _staff():
    active = get_user_model().objects.filter(is_active=True)
    return permissions.without_vendor_side(active).order_by("username")


class UserScopedForm(forms.ModelForm):
    """Limits ``vendor`` to the vendors the user may change and people to active staff."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "vendor" in self.fields and user is not None:
            self.fields["vendor"].queryset = _writable_vendors(user)
        for name in self.people_fields:
            if name in self.fields:
                self.fields[name].queryset = _staff()
                self.fields[name].label_from_instance = lambda u: u.display_name


class EscalationPlanForm(UserScopedForm):
    """A plan's vendor, optional contract and N; its levels are the formset below it."""

    class Meta:
        model = EscalationPlan
        fields = ["vendor", "contract", "consecutive_breaches"]


class EscalationLevelForm(forms.ModelForm):
    """One level of a plan."""

    class Meta:
        model = EscalationLevel
        fields = ["level", "name", "contact_user", "contact", "response_hours", "is_executive"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_user"].queryset = _staff()
        self.fields["contact_user"].label_from_instance = lambda u: u.display_name


LevelFormSet = forms.inlineformset_factory(
    EscalationPlan,
    EscalationLevel,
    form=EscalationLevelForm,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class EscalationForm(UserScopedForm):
    """Open an escalation by hand: vendor, plan (default the vendor's), subject, title."""

    class Meta:
        model = Escalation
        fields = ["vendor", "plan", "subject_type", "subject_id", "title", "description"]
        widgets = {"description": TEXT}
        help_texts = {"plan": "Empty: the vendor's own plan."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["plan"].required = False
        if user is not None:
            self.fields["plan"].queryset = permissions.restrict(
                EscalationPlan.objects.select_related("vendor", "contract"), user=user
            )


class EscalationEditForm(forms.ModelForm):
    """What can be edited on an escalation: its wording."""

    class Meta:
        model = Escalation
        fields = ["title", "description"]
        widgets = {"description": TEXT}


class EscalationStepForm(forms.Form):
    """Acknowledge or resolve, with an optional note."""

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ForumForm(UserScopedForm):
    people_fields = ("members",)

    class Meta:
        model = Forum
        fields = ["name", "kind", "cadence", "vendor", "description", "members"]
        widgets = {"description": TEXT, "members": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["vendor"].required = False


class MeetingForm(UserScopedForm):
    """A meeting; decisions are typed one per line (each becomes a Decision row)."""

    people_fields = ("attendees",)
    decisions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One decision per line.",
    )

    class Meta:
        model = Meeting
        fields = ["forum", "vendor", "date", "kind", "title", "attendees", "agenda", "minutes"]
        widgets = {
            "date": DATE_WIDGET,
            "agenda": TEXT,
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "attendees": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["vendor"].required = False
        if user is not None:
            self.fields["forum"].queryset = permissions.restrict(Forum.objects.all(), user=user)
        if self.instance.pk and not self.is_bound:
            self.initial["decisions"] = "\n".join(d.text for d in self.instance.decisions.all())

    def clean_decisions(self):
        lines = [line.strip() for line in self.cleaned_data["decisions"].splitlines()]
        return [{"text": line} for line in lines if line]


class ActionItemForm(UserScopedForm):
    """An action item; a representative's form has only status and note."""

    people_fields = ("owner",)

    class Meta:
        model = ActionItem
        fields = [
            "title",
            "description",
            "owner",
            "vendor",
            "due_date",
            "priority",
            "status",
            "note",
            "meeting",
            "breach",
            "escalation",
            "risk",
            "finding",
        ]
        widgets = {"due_date": DATE_WIDGET, "description": TEXT, "note": TEXT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if permissions.is_vendor_side(user):
            for name in list(self.fields):
                if name not in VENDOR_USER_EDITABLE:
                    del self.fields[name]
            return
        if user is not None:
            from slas.models import Breach

            self.fields["meeting"].queryset = permissions.restrict(
                Meeting.objects.select_related("forum"), user=user
            )
            self.fields["escalation"].queryset = permissions.restrict(
                Escalation.objects.all(), user=user
            )
            # By id: a drop-down of every breach would be thousands of options.
            self.fields["breach"].queryset = permissions.restrict(Breach.objects.all(), user=user)
            from risks.models import Finding, Risk

            self.fields["risk"].queryset = permissions.restrict(Risk.objects.all(), user=user)
            self.fields["finding"].queryset = permissions.restrict(Finding.objects.all(), user=user)
            self.fields["breach"].widget = forms.NumberInput()
            self.fields["breach"].help_text = "The breach's id (from its page)."
