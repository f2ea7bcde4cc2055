"""Template helpers of the shared layout: accessible form fields, query strings."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def accessible(bound_field):
    """The field's widget with its help and errors tied to it for screen readers.

    ``aria-describedby`` names the help text and the error list (so a reader
    hears "Enter a valid date" on focus) and ``aria-invalid`` marks a field in
    error.
    """
    attrs = {}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)
