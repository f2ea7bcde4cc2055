"""The tabs of the vendor 360 page (``vendors.views.VendorDetailView``): what each shows.

Each tab's context is read here, scoped by the permission rule, in a fixed
number of queries whatever the vendor's size. Tabs of apps that may be
absent (risks, governance, reports) show an empty state that says what
would appear there; they never break the page.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from core import permissions
from core.selectors import object_history
from vendors import selectors
from vendors.models import Vendor

TABS = [
    ("overview", "Overview"),
    ("contracts", "Contracts"),
    ("slas", "SLAs and scorecard"),
    ("breaches", "Breaches and credits"),
    ("risks", "Risks"),
    ("governance", "Governance"),
    ("escalations", "Escalations"),
    ("reports", "Reports"),
    ("history", "History"),
]
# Tabs a vendor's own representative never sees (internal registers and the audit trail).
INTERNAL_TABS = {"risks", "history"}
TEMPLATES = {key: f"vendors/tabs/{key}.html" for key, _ in TABS}
TEMPLATES.update(governance="vendors/tabs/links.html", escalations="vendors/tabs/links.html")
BREACH_LIMIT = 50
# (label, url name) of the governance app's lists, each filtered with ?vendor=<pk>.
LINKS = {
    "governance": [
        ("Meetings", "governance:meeting_list"),
        ("Action items", "governance:actionitem_list"),
        ("Escalation plans", "governance:escalationplan_list"),
    ],
    "escalations": [("Escalations", "governance:escalation_list")],
}


def tabs_for(*, internal: bool) -> list[tuple[str, str]]:
    return [(k, label) for k, label in TABS if internal or k not in INTERNAL_TABS]


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _links(tab: str, vendor: Vendor) -> list[tuple[str, str]]:
    links = []
    for label, url_name in LINKS.get(tab, []):
        try:
            links.append((label, f"{reverse(url_name)}?vendor={vendor.pk}"))
        except NoReverseMatch:
            continue
    return links


def tab_context(tab: str, *, vendor: Vendor, user, today: date) -> dict:
    """The context of one tab of ``vendor``'s page, as ``user`` may see it."""
    from contracts.models import Contract
    from slas.models import Breach
    from slas.selectors import sla_list

    if tab == "overview":
        # The overview also lists the contracts (the vendor's first question), as the tab does.
        related = selectors.vendor_detail_related(vendor=vendor, user=user, today=today)
        related["can_add_contract"] = permissions.may_create(
            user=user, model=Contract, vendor_id=vendor.pk
        )
        return related
    if tab == "contracts":
        contracts = permissions.restrict(Contract.objects.filter(vendor=vendor), user=user)
        return {
            "contracts": list(contracts.order_by("-start_date", "reference")),
            "can_add_contract": permissions.may_create(
                user=user, model=Contract, vendor_id=vendor.pk
            ),
        }
    if tab == "slas":
        slas = sla_list(user=user).filter(contract__vendor=vendor)
        return {"slas": list(slas.order_by("contract__reference", "name"))}
    if tab == "breaches":
        breaches = permissions.restrict(
            Breach.objects.select_related("sla", "sla__contract"), user=user
        ).filter(sla__contract__vendor=vendor)
        totals = (
            breaches.values("sla__contract__currency")
            .annotate(total=Sum("credit"))
            .order_by("sla__contract__currency")
        )
        return {
            "breaches": list(breaches.order_by("-period_start", "pk")[:BREACH_LIMIT]),
            "breach_limit": BREACH_LIMIT,
            "credit_totals": [
                {"currency": t["sla__contract__currency"], "total": t["total"]}
                for t in totals
                if t["total"]
            ],
        }
    if tab == "risks":
        return {"has_risks": _template_exists("risks/_vendor_posture.html")}
    if tab == "reports":
        return {"has_reports": _template_exists("reports/_vendor_qbr.html")}
    if tab in LINKS:
        return {"links": _links(tab, vendor)}
    if tab == "history":
        return {"history": object_history(obj=vendor, limit=50)}
    return {}
