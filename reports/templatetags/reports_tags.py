"""The QBR panel of a vendor's page (included by ``vendors/vendor_detail.html``)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from reports import quarters, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def vendor_qbr_panel(context, vendor) -> dict:
    """The vendor's latest 5 reports the user may see, and whether they may request one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"visible": False}
    reports = list(selectors.qbr_report_list(user=user).filter(vendor=vendor)[:5])
    can_request = selectors.may_request(user=user, vendor=vendor)
    return {
        "visible": can_request or bool(reports),
        "can_request": can_request,
        "reports": reports,
        "default_quarter": quarters.just_ended(timezone.localdate()),
    }
