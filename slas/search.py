"""The slas app's part of the global search (``core.search``): SLAs and breaches."""

from __future__ import annotations

from core.permissions import restrict
from core.search import SearchGroup, group_from
from slas import selectors
from slas.models import SLA


def search(*, user, query: str) -> list[SearchGroup]:
    """SLAs and breaches by SLA name, contract reference or vendor name: two queries."""
    slas = restrict(SLA.objects.select_related("contract", "contract__vendor"), user=user).order_by(
        "contract__reference", "name"
    )
    breaches = selectors.breach_list(user=user).order_by("-period_start", "pk")
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
            fields=("sla__name", "sla__contract__reference", "sla__contract__vendor__name"),
            query=query,
            list_url_name="slas:breach_list",
            label=lambda b: f"{b.sla.contract.reference} — {b.sla.name} {b.period_start}",
            note=lambda b: f"{b.get_severity_display()} · {b.get_status_display()}",
        ),
    ]
