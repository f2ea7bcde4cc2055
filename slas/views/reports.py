"""Scorecards (per contract, per vendor) and the service-credit page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from contracts.models import Contract
from core import charts, permissions
from slas import selectors
from slas.filters import CreditFilterSet
from vendors.models import Vendor


def _decorate(sections) -> None:
    """Attach a sparkline to every scorecard row (inline SVG; no JavaScript)."""
    for section in sections:
        for row in section.rows:
            row.chart = charts.sparkline(
                charts.result_points(row.results),
                target=row.sla.target,
                title=f"{row.sla.name}: last {len(row.results)} periods against the target",
            )


class ContractScorecardView(TemplateView):
    """Every SLA of one contract: target, the last 12 periods as coloured cells, trend."""

    template_name = "slas/scorecard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        contract = get_object_or_404(
            permissions.restrict(Contract.objects.select_related("vendor"), user=user),
            pk=kwargs["pk"],
        )
        sections = selectors.scorecard(user=user, contract_ids=[contract.pk])
        _decorate(sections)
        ctx.update(
            title=f"Scorecard · {contract.reference}",
            subject=contract,
            vendor=contract.vendor,
            sections=sections,
            periods=selectors.SCORECARD_PERIODS,
        )
        return ctx


class VendorScorecardView(TemplateView):
    """Every SLA of every contract of one vendor, grouped by contract."""

    template_name = "slas/scorecard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        vendor = get_object_or_404(
            permissions.restrict(Vendor.objects.all(), user=user), pk=kwargs["pk"]
        )
        sections = selectors.scorecard(user=user, vendor_id=vendor.pk)
        _decorate(sections)
        ctx.update(
            title=f"Scorecard · {vendor.name}",
            subject=vendor,
            vendor=vendor,
            sections=sections,
            periods=selectors.SCORECARD_PERIODS,
        )
        return ctx


class CreditListView(TemplateView):
    """Service credits per contract and month: uncapped, cap, due, earned back, net."""

    template_name = "slas/credit_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = CreditFilterSet(
            self.request.GET, queryset=selectors.breach_list(user=user), request=self.request
        )
        rows = selectors.credit_list(user=user, breaches=filterset.qs)
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        currencies = {r["currency"] for r in page.object_list}
        ctx.update(
            title="Service credits",
            filter=filterset,
            page=page,
            rows=page.object_list,
            totals=selectors.credit_totals(page.object_list) if len(currencies) == 1 else None,
            currency=next(iter(currencies)) if len(currencies) == 1 else "",
        )
        return ctx
