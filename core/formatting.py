"""How values read on pages and in exports: dates ISO, numbers grouped, money with cents.

Decimal columns store a fixed number of places (SLA values six, money two),
so ``str(value)`` prints ``99.900000``. Pages show ``99.9`` instead; amounts
of money keep their two decimals so a column of them lines up. The same
functions back the ``formatting`` template filters (core/templatetags).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone


def plain_number(value: Decimal | int | float) -> str:
    """99.9 for 99.900000 and 120 for 120.000000 (``normalize`` alone gives 1.2E+2)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{number.normalize():f}"
    return "0" if text == "-0" else text


def decimals_of(value: Decimal) -> int:
    """The places ``value`` needs once trailing zeros are gone: 99.90 → 1, 120.00 → 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rounded_like(value: Decimal, *, reference: Decimal, extra: int = 1) -> str:
    """``value`` to one place more than ``reference`` needs, for comparing the two.

    A projection of 87.087333 against a target of 90 reads 87.1; against a
    target of 99.95 it reads 87.087. The extra place keeps a near miss
    visible: 99.944 against 99.95 reads 99.944, not a rounded-up 99.9.
    """
    places = decimals_of(reference) + extra
    return plain_number(value.quantize(Decimal(1).scaleb(-places)))


def is_money_field(field: models.Field) -> bool:
    """Two-place decimal fields are amounts of money, except percentages (``*_percent``)."""
    return (
        isinstance(field, models.DecimalField)
        and field.decimal_places == 2
        and "percent" not in field.name
    )


def field_value(field: models.Field, value: Any) -> Any:
    """A model field's value as a detail card shows it (decimals as above; others as is)."""
    if not isinstance(value, Decimal):
        return value
    return money(value) if is_money_field(field) else plain_number(value)


# --- The one display format (issue #14) -----------------------------------------------
# Dates read ISO 8601 everywhere, ``2027-03-31``: one format for every reader,
# whatever their locale, and it sorts as text (exports included). Date-times
# read ``2026-12-04 10:00 UTC`` in ``settings.TIME_ZONE`` (the office's zone;
# there is no per-user zone: one office, one clock, and the zone is printed).
# Numbers group thousands with a comma and keep the places they need; money
# always has two decimals and its currency; percentages keep their places.
DATE_FORMAT = "Y-m-d"  # Django's format characters, for ``core/formats``
DATETIME_FORMAT = "Y-m-d H:i T"


def iso_date(value) -> str:
    """``2027-03-31`` for a date or date-time (the latter in the office's zone)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def iso_datetime(value) -> str:
    """``2026-12-04 10:00 UTC``: minutes, in ``settings.TIME_ZONE``, with the zone named."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return iso_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d %H:%M} {value.tzname() or ''}".strip()


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value, places: int | None = None) -> str:
    """``1,234.5``: thousands grouped; ``places`` fixes the decimals, else as many as needed.

    ``places`` is the unit's precision where the caller knows it (counts 0,
    money 2); without it trailing storage zeros go, as ``plain_number``.
    """
    decimal = _decimal(value)
    if places is None:
        places = decimals_of(decimal)
    text = f"{decimal.quantize(Decimal(1).scaleb(-places)):,.{places}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]  # -0 and -0.00 read 0 and 0.00
    return text


def money(value: Decimal | int | float, currency: str = "") -> str:
    """``108,000.00`` (``108,000.00 EUR`` with a currency): two decimals, grouped thousands."""
    text = number(value, 2)
    if text.lstrip("-") in ("0", "0.00"):
        text = "0.00"  # no "-0.00" for a rounding of a tiny negative
    return f"{text} {currency}".strip()


def percent(value, places: int | None = None) -> str:
    """``97.5 %``: the number as ``number`` shows it, then a thin space and the sign."""
    return f"{number(value, places)}\u202f%"


def display(value) -> str:
    """Any value as text for a page or an export cell: dates ISO, decimals unpadded."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return iso_datetime(value)
    if isinstance(value, datetime.date):
        return iso_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return plain_number(value)
    if hasattr(value, "display_name"):
        return value.display_name  # a person reads as their full name everywhere
    return str(value)


# Words that are acronyms or names in the domain: a label built from a field
# name ("sla", "cmmi_level") reads "SLA", "CMMI level", never "Sla", "Cmmi level".
ACRONYMS = {
    "sla": "SLA",
    "slas": "SLAs",
    "kpi": "KPI",
    "kpis": "KPIs",
    "cmmi": "CMMI",
    "qbr": "QBR",
    "qbrs": "QBRs",
    "id": "ID",
    "ip": "IP",
    "it": "IT",
    "url": "URL",
    "pdf": "PDF",
    "csv": "CSV",
    "xlsx": "XLSX",
    "iso": "ISO",
    "soc": "SOC",
    "pci": "PCI",
    "dss": "DSS",
    "hipaa": "HIPAA",
    "bpo": "BPO",
    "ito": "ITO",
    "msa": "MSA",
    "sow": "SOW",
    "csat": "CSAT",
    "api": "API",
}


def label(text) -> str:
    """A field label as people write it: first letter capital, acronyms in capitals."""
    words = str(text).replace("_", " ").split(" ")
    fixed = [ACRONYMS.get(w.lower(), w) if w else w for w in words]
    out = " ".join(fixed)
    return out[:1].upper() + out[1:] if out else out
