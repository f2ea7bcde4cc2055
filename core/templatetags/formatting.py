"""Template filters for numbers: ``{{ sla.target|plain_number }}``, ``{{ amount|money }}``."""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()


@register.filter
def plain_number(value):
    """99.9 for 99.900000; empty values and non-numbers pass through unchanged."""
    if value is None or value == "":
        return value
    try:
        return formatting.plain_number(value)
    except (TypeError, ValueError, ArithmeticError):
        return value


@register.filter
def money(value):
    """Two decimals (108000.00); empty values and non-numbers pass through unchanged."""
    if value is None or value == "":
        return value
    try:
        return formatting.money(value)
    except (TypeError, ValueError, ArithmeticError):
        return value
