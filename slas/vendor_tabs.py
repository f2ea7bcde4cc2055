"""The SLA app's part of the vendor 360 page (registered in ``SlasConfig.ready()``).

``vendors`` owns the page and its tabs but does not import ``slas`` (imports
run one way); the "SLAs and scorecard" and "Breaches and credits" tabs read
their rows here. Credit figures come from ``slas.credits``, the one reader.
"""

from __future__ import annotations

from datetime import date

from core import permissions
from slas import credits
from slas.models import Breach
from slas.selectors import sla_list

BREACH_LIMIT = 50


def slas_tab(*, vendor, user, today: date) -> dict:
    """The vendor's SLAs and KPIs the user may see, with their last result."""
    slas = sla_list(user=user).filter(contract__vendor=vendor)
    return {"slas": list(slas.order_by("contract__reference", "name"))}


def breaches_tab(*, vendor, user, today: date) -> dict:
    """The vendor's latest breaches and the credits due on record, per currency."""
    breaches = permissions.restrict(
        Breach.objects.select_related("sla", "sla__contract"), user=user
    ).filter(sla__contract__vendor=vendor)
    return {
        "breaches": list(breaches.order_by("-period_start", "pk")[:BREACH_LIMIT]),
        "breach_limit": BREACH_LIMIT,
        "credit_totals": credits.due_by_currency(breaches),
    }
