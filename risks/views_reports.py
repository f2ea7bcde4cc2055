"""Pages across the register: the heat maps and concentration, the export, "my reviews",
and the review cadence per tier."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core import permissions
from core.views import _add_errors
from risks import exports, filters, forms, selectors, services
from risks.heatmaps import heatmap_svg
from risks.models import ReviewCadence, Risk
from risks.views import InternalOnlyMixin
from vendors.models import Vendor


class HeatmapView(InternalOnlyMixin, TemplateView):
    """Inherent and residual 5×5 maps of open risks (portfolio, or ``?vendor=ID``),
    with the concentration of open high and critical risks per vendor and category."""

    model = Risk
    template_name = "risks/heatmap.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        vendor = None
        vendor_param = self.request.GET.get("vendor")
        if vendor_param:
            if not vendor_param.isdigit():
                raise Http404
            vendor = get_object_or_404(
                permissions.restrict(Vendor.objects.all(), user=user), pk=int(vendor_param)
            )
        vendor_id = vendor.pk if vendor else None
        for residual, key in ((False, "inherent_map"), (True, "residual_map")):
            grid = selectors.heatmap_counts(user=user, vendor=vendor, residual=residual)
            ctx[key] = heatmap_svg(grid, residual=residual, vendor_id=vendor_id)
        open_ = selectors.open_risks(user=user, vendor=vendor)
        ctx["vendor"] = vendor
        ctx["by_rating"] = selectors.ratings_count(open_)
        ctx["top"] = list(selectors.open_high_critical(user=user, vendor=vendor)[:20])
        ctx["concentration"] = None if vendor else selectors.concentration(user=user)
        ctx["findings"] = (
            None
            if vendor
            else selectors.open_findings_by_vendor(user=user, today=timezone.localdate())
        )
        ctx["vendors"] = permissions.restrict(Vendor.objects.all(), user=user).order_by("name")
        ctx["title"] = f"Risk heat map – {vendor}" if vendor else "Risk heat map – portfolio"
        return ctx


def register_export(request, *, fmt: str, query) -> HttpResponse:
    """The register as ``fmt`` (csv or xlsx), filtered by ``query`` like the list page.

    Every column of the register (factors, scores, ratings, controls) whatever
    the page shows; a bad format or filter value is a 400 naming it.
    """
    if fmt not in exports.CONTENT_TYPES:
        return HttpResponseBadRequest("format: choose csv or xlsx.")
    filterset = filters.RiskFilterSet(
        query, queryset=selectors.risk_list(user=request.user), request=request
    )
    if not filterset.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
        return HttpResponseBadRequest(errors)
    risks = filterset.qs.order_by("vendor__name", "title", "pk")
    response = HttpResponse(
        exports.export_register(risks, fmt=fmt), content_type=exports.CONTENT_TYPES[fmt]
    )
    filename = f"risk-register-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class RiskExportView(InternalOnlyMixin, View):
    """``/risks/risks/export/?format=csv|xlsx&<filters>``: the register file, for links and scripts.

    The list page's own Export buttons (``?_export=``) give the same file.
    """

    model = Risk

    def get(self, request):
        query = request.GET.copy()
        fmt = query.pop("format", ["csv"])[-1]
        return register_export(request, fmt=fmt, query=query)


class MyReviewsView(InternalOnlyMixin, TemplateView):
    """Risk reviews and vendor reassessments due or overdue: mine, or (``?all=true``) all I see."""

    model = Risk
    template_name = "risks/my_reviews.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        show_all = self.request.GET.get("all") == "true"
        user = self.request.user
        items = (
            selectors.reviews_due(today=today, user=user)
            if show_all
            else selectors.my_reviews(user=user, today=today)
        )
        ctx.update(items=items, show_all=show_all, today=today)
        ctx["title"] = "Reviews due" if show_all else "My reviews"
        return ctx


def _may_edit_cadence(user) -> bool:
    # Not a vendor's row: only those who may add rows belonging to no vendor (admin,
    # governance office) change the cadence.
    return permissions.may_create(user=user, model=ReviewCadence, vendor_id=None)


class ReviewCadenceListView(InternalOnlyMixin, TemplateView):
    """The review cadence per tier; the governance office may change it."""

    model = ReviewCadence
    template_name = "risks/reviewcadence_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cadences"] = list(selectors.review_cadence_list(user=self.request.user))
        ctx["can_change"] = _may_edit_cadence(self.request.user)
        ctx["title"] = "Review cadence"
        return ctx


class ReviewCadenceUpdateView(InternalOnlyMixin, View):
    """Change one tier's cadence (403 for read-only roles and vendor managers)."""

    model = ReviewCadence
    template_name = "core/object_form.html"

    def _cadence(self, request, pk):
        cadence = get_object_or_404(selectors.review_cadence_list(user=request.user), pk=pk)
        if not _may_edit_cadence(request.user):
            raise PermissionDenied
        return cadence

    def _render(self, request, cadence, form):
        return render(
            request,
            self.template_name,
            {"form": form, "object": cadence, "title": f"Edit {cadence}"},
        )

    def get(self, request, pk: int):
        cadence = self._cadence(request, pk)
        return self._render(request, cadence, forms.ReviewCadenceForm(instance=cadence))

    def post(self, request, pk: int):
        cadence = self._cadence(request, pk)
        form = forms.ReviewCadenceForm(request.POST, instance=cadence)
        if form.is_valid():
            try:
                services.review_cadence_update(
                    instance=cadence, actor=request.user, data=form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"{cadence} saved.")
                return HttpResponseRedirect(reverse("risks:reviewcadence_list"))
        return self._render(request, cadence, form)
