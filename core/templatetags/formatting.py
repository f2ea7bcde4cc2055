"""Template filters of the one formatting layer (``core.formatting``).

``{{ d|iso_date }}`` 2027-03-31 · ``{{ t|iso_datetime }}`` 2026-12-04 10:00 UTC ·
``{{ n|number }}`` 1,234.5 · ``{{ n|number:0 }}`` 1,235 · ``{{ a|money }}`` 108,000.00 ·
``{{ a|money:c.currency }}`` 108,000.00 EUR · ``{{ p|percent }}`` 12.5 % ·
``{{ v|plain_number }}`` 99.9 (no grouping, for values compared with a target) ·
``{{ v|display }}`` any value as the tables and exports show it.
Empty values and non-numbers pass through unchanged, so a filter never breaks a page.
"""

from __future__ import annotations

from django import template

from core import formatting

register = template.Library()
_ERRORS = (TypeError, ValueError, ArithmeticError)


def _safe(function, value, *args):
    if value is None or value == "":
        return value
    try:
        return function(value, *args)
    except _ERRORS:
        return value


@register.filter
def plain_number(value):
    """99.9 for 99.900000."""
    return _safe(formatting.plain_number, value)


@register.filter
def number(value, places=None):
    """1,234.5; ``number:0`` rounds to whole units."""
    if places not in (None, ""):
        try:
            places = int(places)
        except _ERRORS:
            places = None
    return _safe(formatting.number, value, places if places != "" else None)


@register.filter
def money(value, currency=""):
    """108,000.00, or 108,000.00 EUR with ``money:contract.currency``."""
    return _safe(formatting.money, value, currency or "")


@register.filter
def percent(value):
    """12.5 %."""
    return _safe(formatting.percent, value)


@register.filter
def iso_date(value):
    """2027-03-31."""
    return formatting.iso_date(value)


@register.filter
def iso_datetime(value):
    """2026-12-04 10:00 UTC, in the office's time zone."""
    return formatting.iso_datetime(value)


@register.filter
def display(value):
    """A value as tables and exports show it (dates ISO, people by full name)."""
    return formatting.display(value)
