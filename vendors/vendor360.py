"""The tabs of the vendor 360 page (``vendors.views.VendorDetailView``): what each shows.

Each tab's context is read here and by the apps that register a section of
it (``core.registry.register_vendor_section``: contracts, SLAs, breaches),
scoped by the permission rule, in a fixed number of queries whatever the
vendor's size. Tabs of apps that may be absent (risks, governance, reports)
show an empty state that says what would appear there; they never break the
page.
"""

from __future__ import annotations

from datetime import date

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from core import registry
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
    """The context of one tab of ``vendor``'s page, as ``user`` may see it.

    The vendor's own rows are read here; each later app adds its part of a
    tab (contracts, SLAs, breaches and credits) through
    ``core.registry.register_vendor_section``, so vendors imports none of them.
    """
    ctx: dict = {}
    if tab == "overview":
        ctx.update(selectors.vendor_detail_related(vendor=vendor, user=user, today=today))
    elif tab == "risks":
        ctx["has_risks"] = _template_exists("risks/_vendor_posture.html")
    elif tab == "reports":
        ctx["has_reports"] = _template_exists("reports/_vendor_qbr.html")
    elif tab in LINKS:
        ctx["links"] = _links(tab, vendor)
    elif tab == "history":
        ctx["history"] = object_history(obj=vendor, limit=50)
    for read in registry.vendor_sections(tab):
        ctx.update(read(vendor=vendor, user=user, today=today))
    return ctx
