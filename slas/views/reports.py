"""Scorecards (per contract, per vendor) and the service-credit page."""

from __future__ import annotations

import csv
from datetime import date

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from contracts.models import Contract
from core import charts, permissions
from slas import credits, selectors
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


# The statement's columns in a CSV export: DESIGN.md section 6's fields, then
# the ones a reader of the file needs to make sense of them.
CSV_COLUMNS = (
    ("contract", "contract"),
    ("reference", "reference"),
    ("vendor", "vendor"),
    ("currency", "currency"),
    ("month", "month"),
    ("at_risk_amount", "at_risk_amount"),
    ("credits_uncapped", "credits_uncapped"),
    ("credits_due", "credits_due"),
    ("credits_earned_back", "credits_earned_back"),
    ("credits_pending_earn_back", "credits_pending_earn_back"),
    ("net_credit", "net_credit"),
    ("credits_waived", "credits_waived"),
    ("breaches", "breaches"),
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value) -> str:
    """A cell's text; one a spreadsheet would run as a formula gets a leading apostrophe."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def credit_statements_csv(rows, *, filename: str) -> StreamingHttpResponse:
    """Every statement row as a streamed UTF-8 CSV (a BOM first, so Excel reads accents)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow([header for header, _ in CSV_COLUMNS])
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([_csv_text(row[key]) for _, key in CSV_COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class CreditListView(TemplateView):
    """Credit statements: per contract and month, at-risk amount, uncapped, due, earned back,
    pending, net (``slas.credits``). ``?export=csv`` downloads every filtered row."""

    template_name = "slas/credit_list.html"
    paginate_by = 50

    def filtered(self):
        user = self.request.user
        filterset = CreditFilterSet(
            self.request.GET, queryset=selectors.breach_list(user=user), request=self.request
        )
        # An invalid filter (e.g. year=abc) shows its error and no rows, never every row.
        breaches = filterset.qs if filterset.is_valid() else selectors.breach_list(user=user).none()
        return filterset, selectors.credit_statements(user=user, breaches=breaches)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            _, rows = self.filtered()
            return credit_statements_csv(rows, filename="credit-statements")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset, rows = self.filtered()
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        currencies = {r["currency"] for r in page.object_list}
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "csv"
        ctx.update(
            title="Service credits",
            filter=filterset,
            page=page,
            rows=page.object_list,
            totals=credits.totals(page.object_list) if len(currencies) == 1 else None,
            currency=next(iter(currencies)) if len(currencies) == 1 else "",
            export_query=query.urlencode(),
        )
        return ctx
