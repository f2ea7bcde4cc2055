"""The slas app's part of the global search (``core.search``): SLAs and breaches."""

from __future__ import annotations

from core.permissions import restrict
from core.search import SearchGroup, group_from, matching
from slas import selectors
from slas.models import SLA


def search(*, user, query: str) -> list[SearchGroup]:
    """SLAs and breaches by SLA name, contract reference or vendor name: two queries."""
    slas = restrict(SLA.objects.select_related("contract", "contract__vendor"), user=user).order_by(
        "contract__reference", "name"
    )
    # Every field a breach is found by is its SLA's: find the SLAs (20,000 rows)
    # and take their breaches by the (sla, period_start) index, rather than
    # matching the words against 90,000 breaches joined to their SLA, contract
    # and vendor. Same rows, same order.
    matching_slas = SLA.objects.filter(
        matching(("name", "contract__reference", "contract__vendor__name"), query)
    ).values("pk")
    breaches = (
        selectors.breach_list(user=user)
        .filter(sla_id__in=matching_slas)
        .order_by("-period_start", "pk")
    )
    return [
        group_from(
            kind="SLAs",
            queryset=slas,
            fields=("name", "contract__reference", "contract__vendor__name"),
            query=query,
            list_url_name="slas:sla_list",
            label=lambda s: f"{s.contract.reference} — {s.name}",
            note=lambda s: s.contract.vendor.name,
        ),
        group_from(
            kind="Breaches",
            queryset=breaches,
            fields=(),  # matched through their SLAs above
            query=query,
            list_url_name="slas:breach_list",
            label=lambda b: f"{b.sla.contract.reference} — {b.sla.name} {b.period_start}",
            note=lambda b: f"{b.get_severity_display()} · {b.get_status_display()}",
        ),
    ]
