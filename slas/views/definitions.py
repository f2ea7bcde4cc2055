"""Pages of SLA definitions: list, detail (results, the "why" of a period, credits), edit."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse

from core import charts, permissions
from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
)
from slas import selectors, services
from slas import sla_imports as _imports  # noqa: F401 - registers the SLA import
from slas.filters import SLAFilterSet
from slas.forms import SLAForm
from slas.models import SLA, Measurement
from slas.tables import SLATable

DETAIL_FIELDS = [f for f in SLA.DEFINITION_FIELDS if f != "name"]  # name is the title


class SLAListView(ObjectListView):
    """SLAs and KPIs with their last result and trend; filters shared with the API."""

    model = SLA
    filterset_class = SLAFilterSet
    table_class = SLATable
    template_name = "slas/sla_list.html"

    def base_queryset(self):
        return selectors.sla_list(user=self.request.user)

    def get_queryset(self):
        return self.base_queryset()  # the selector has applied the scope

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        rows = [row.record for row in table.page.object_list] if table.page else []
        if rows:
            from slas.evaluation import sla_trends

            trends = sla_trends(sla_ids=[r.pk for r in rows])
            for record in rows:
                record.trend = trends.get(record.pk)
        return table


class _SLAFormMixin:
    model = SLA
    form_class = SLAForm
    create_service = services.sla_create
    update_service = services.sla_update

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class SLACreateView(_SLAFormMixin, ObjectCreateView):
    """Define an SLA or KPI."""


class SLAUpdateView(_SLAFormMixin, ObjectUpdateView):
    """Change an SLA (a rule change re-evaluates its periods)."""


class SLADeleteView(ObjectDeleteView):
    """Delete an SLA entered by mistake; one with measurements is refused, to be ended instead."""

    model = SLA
    delete_service = services.sla_delete

    def form_valid(self, form):
        try:
            services.sla_delete(instance=self.object, actor=self.request.user)
        except services.SLAInUse as exc:
            messages.error(self.request, str(exc))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, f"{self.object} deleted.")
        return HttpResponseRedirect(reverse("slas:sla_list"))


class SLAHistoryView(ObjectHistoryView):
    """The audit trail of an SLA definition."""

    model = SLA


class SLADetailView(ObjectDetailView):
    """One SLA: definition, trend chart, every period's result, the "why", breaches, credits.

    ``?period=YYYY-MM-DD`` (any day in the period) opens the explanation of
    that period: the measurements in it, the aggregation and the rule values
    the result was judged with.
    """

    model = SLA
    template_name = "slas/sla_detail.html"
    detail_fields = DETAIL_FIELDS

    def base_queryset(self):
        return SLA.objects.select_related("contract", "contract__vendor").prefetch_related(
            Prefetch("results", to_attr="all_results"),
        )

    def get_context_data(self, **kwargs):
        from slas.evaluation import sla_trends

        ctx = super().get_context_data(**kwargs)
        sla = self.object
        # The button shows only where the form would be accepted (no 403 behind it).
        ctx["can_add_measurement"] = permissions.may_create(
            user=self.request.user, model=Measurement, vendor_id=sla.contract.vendor_id
        )
        results = sorted(sla.all_results, key=lambda r: r.period_start)
        ctx["results"] = list(reversed(results))
        ctx["chart"] = charts.line_chart(
            charts.result_points(results[-24:]),
            target=sla.target,
            warning=sla.warning_level,
            title=f"{sla.name}: actual per period against the target",
        )
        ctx["trend"] = sla_trends(sla_ids=[sla.pk]).get(sla.pk)
        ctx["breaches"] = list(sla.breaches.order_by("-period_start")[:100])
        ctx["measurements"] = list(
            sla.measurements.select_related("recorded_by").order_by("-date")[:20]
        )
        ctx["credits"] = selectors.sla_credits_by_month(sla=sla)
        ctx["allocation_total"] = selectors.allocation_totals(contract_ids=[sla.contract_id]).get(
            sla.contract_id
        )
        day = _date_param(self.request.GET.get("period"))
        if day is None and results:
            day = results[-1].period_start
        if day is not None:
            ctx["why"] = selectors.period_explanation(sla=sla, day=day)
        return ctx


def _date_param(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
