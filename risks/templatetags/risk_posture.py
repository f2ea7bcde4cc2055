"""``{% vendor_risk_posture vendor as posture %}``: the vendor page's risk posture fragment data."""

from __future__ import annotations

from django import template

from core import charts
from risks.selectors import vendor_risk_posture as posture_of

register = template.Library()


@register.simple_tag(takes_context=True)
def vendor_risk_posture(context, vendor):
    """``risks.selectors.vendor_risk_posture`` for the signed-in user, plus its trend chart.

    None for a user who sees no register (vendor representatives): the fragment is then empty.
    """
    request = context.get("request")
    if request is None or vendor is None:
        return None
    posture = posture_of(vendor=vendor, user=request.user)
    if posture is not None:
        posture["trend_chart"] = charts.line_chart(
            [charts.Point(label, total) for label, total in posture["trend"]],
            width=360,
            height=140,
            title="Summed residual score of open risks at each quarter's end",
            floor=0,
        )
    return posture
