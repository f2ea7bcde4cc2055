"""The risk heat maps: ``core.charts.heatmap`` with the rating bands' colours and a link
from each cell to the register filtered to the open risks in it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString

from core import charts
from risks import rules


def cell_url(*, likelihood: int, impact: int, residual: bool, vendor_id: int | None = None) -> str:
    """The register filtered to the open risks of one cell of the map."""
    prefix = "residual_" if residual else ""
    query = {"open": "true", f"{prefix}likelihood": likelihood, f"{prefix}impact": impact}
    if vendor_id is not None:
        query["vendor"] = vendor_id
    return f"{reverse('risks:risk_list')}?{urlencode(query)}"


def heatmap_svg(
    grid: list[list[int]], *, residual: bool, vendor_id: int | None = None, cell: int = 44
) -> SafeString:
    """The 5×5 map of ``grid`` (``selectors.heatmap_counts``): likelihood up, impact across."""
    kind = "Residual" if residual else "Inherent"
    return charts.heatmap(
        grid,
        tone=lambda likelihood, impact: rules.rating(likelihood * impact),
        url=lambda likelihood, impact: cell_url(
            likelihood=likelihood, impact=impact, residual=residual, vendor_id=vendor_id
        ),
        cell=cell,
        title=f"{kind} risk heat map: open risks by likelihood and impact",
    )
