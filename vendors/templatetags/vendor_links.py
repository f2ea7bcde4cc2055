"""Template helpers of the vendors pages."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def url_or_empty(obj) -> str:
    """``obj.get_absolute_url()``, or '' while the page of that model is not routed yet.

    The vendor page lists rows of other apps (contracts); their pages may not
    exist in every deployment, and a missing route must not break this page.
    """
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""
