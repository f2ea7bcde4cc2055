"""Forms of the notifications app (validation only; the services decide)."""

from __future__ import annotations

from django import forms

from core import permissions
from notifications import choices
from notifications.models import WebhookSubscription

SUBSCRIBABLE = [(v, label) for v, label in choices.Event.choices if v != choices.Event.PING]


class WebhookSubscriptionForm(forms.ModelForm):
    """A subscription; ``allow_private`` is offered to administrators only."""

    event_types = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple, label="Events"
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "target_url", "event_types", "active", "allow_private"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not permissions.has_admin_powers(user):
            del self.fields["allow_private"]


class PreferencesForm(forms.Form):
    """Two tick boxes per kind: in-app and e-mail."""

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"{row['kind']}__in_app"] = forms.BooleanField(
                required=False, initial=row["in_app"], label=f"{row['label']}: in-app"
            )
            self.fields[f"{row['kind']}__email"] = forms.BooleanField(
                required=False, initial=row["email"], label=f"{row['label']}: e-mail"
            )

    def table(self):
        """(label, in-app field, e-mail field) per kind, for the template."""
        return [
            (row["label"], self[f"{row['kind']}__in_app"], self[f"{row['kind']}__email"])
            for row in self.rows
        ]

    def choices_by_kind(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            row["kind"]: (data[f"{row['kind']}__in_app"], data[f"{row['kind']}__email"])
            for row in self.rows
        }
