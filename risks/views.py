"""Pages of the risks app: the register, assessments, findings, continuity plans.

Thin subclasses of the generic ``core.views`` classes; lists and details start
from the selectors (scoped by the permission rule), writes go through
``risks.services``. The register, assessments and plans are internal: for a
user whose scope holds none of them (a vendor representative) every one of
their URLs is 404, the list and the add form included (``InternalOnlyMixin``).
The heat map, export, "my reviews" and cadence pages are in ``views_reports``.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from core import charts, permissions
from core.forms import UserFormMixin
from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
    _add_errors,
    object_or_404,
)
from risks import filters, forms, selectors, services, tables
from risks.models import Assessment, ContinuityPlan, Finding, Risk


class InternalOnlyMixin:
    """404 for a user who may see no row of ``model`` at all (vendor representatives)."""

    def dispatch(self, request, *args, **kwargs):
        model = self.model or self.base_queryset().model
        if permissions.restrict(model.objects.all(), user=request.user).query.is_empty():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def governance_links(*, risk: Risk | None = None, finding: Finding | None = None) -> list:
    """ "Raise action item" / "Escalate" links to the governance app's add forms, when it has them.

    The subject is preselected through the query string: the action item's
    ``risk`` or ``finding``, the escalation's ``subject_type`` (a finding, not
    an escalation subject of its own, goes as "other" with its title), and
    the vendor and a title either way.
    """
    if risk is not None:
        vendor_id, title = risk.vendor_id, f"Risk: {risk.title}"
        action = {"risk": risk.pk}
        escalation = {"subject_type": "risk", "subject_id": risk.pk}
    else:
        vendor_id, title = finding.assessment.vendor_id, f"Finding: {finding.title}"
        action = {"finding": finding.pk}
        escalation = {"subject_type": "other"}
    links = []
    for label, name, query in (
        ("Raise action item", "governance:actionitem_add", action),
        ("Escalate", "governance:escalation_add", escalation),
    ):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        links.append((label, f"{url}?{urlencode({**query, 'vendor': vendor_id, 'title': title})}"))
    return links


# --- Risks --------------------------------------------------------------------------


class RiskQueryset:
    model = Risk

    def base_queryset(self):
        return selectors.risk_list(user=self.request.user)


class RiskListView(InternalOnlyMixin, RiskQueryset, ObjectListView):
    """The register, filterable by everything the heat map links with; exportable."""

    filterset_class = filters.RiskFilterSet
    table_class = tables.RiskTable
    template_name = "risks/risk_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "Risk register"
        return ctx

    def export(self, fmt: str):
        """The list's Export buttons give the whole register file, every column included."""
        from risks.views_reports import register_export

        query = self.request.GET.copy()
        query.pop("_export", None)
        return register_export(self.request, fmt=fmt, query=query)


class RiskDetailView(InternalOnlyMixin, RiskQueryset, ObjectDetailView):
    """A risk's card, its scores with their bands, the path of its scores and its history."""

    template_name = "risks/risk_detail.html"
    detail_fields = [
        "vendor",
        "contract",
        "category",
        "description",
        "controls",
        "treatment",
        "owner",
        "status",
        "next_review",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        risk = self.object
        reviews = list(risk.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-id"))
        ctx["reviews"] = reviews
        path = list(reversed(reviews))
        ctx["path_chart"] = charts.line_chart(
            [charts.Point(f"{r.reviewed_on:%Y-%m-%d}", r.residual_score, None) for r in path],
            target=risk.inherent_score,
            width=560,
            height=180,
            title="Residual score at each review (dashed: today's inherent score)",
            floor=0,
        )
        ctx["inherent_badge"] = tables.rating_badge(risk.inherent_score)
        ctx["residual_badge"] = tables.rating_badge(risk.residual_score)
        ctx["review_badge"] = tables.review_badge(risk)
        ctx["governance_links"] = governance_links(risk=risk) if ctx["can_change"] else []
        return ctx


class RiskCreateView(InternalOnlyMixin, UserFormMixin, RiskQueryset, ObjectCreateView):
    form_class = forms.RiskForm
    create_service = services.risk_create


class RiskUpdateView(InternalOnlyMixin, UserFormMixin, RiskQueryset, ObjectUpdateView):
    form_class = forms.RiskForm
    update_service = services.risk_update


class RiskDeleteView(InternalOnlyMixin, ObjectDeleteView):
    model = Risk
    delete_service = services.risk_delete


class RiskHistoryView(InternalOnlyMixin, ObjectHistoryView):
    model = Risk


class RiskReviewView(InternalOnlyMixin, View):
    """Record a review of a risk (its scores and status now); 403 without the right to change it."""

    model = Risk
    template_name = "core/object_form.html"

    def _risk(self, request, pk):
        risk = object_or_404(selectors.risk_list(user=request.user), user=request.user, pk=pk)
        may = permissions.restrict(
            Risk.objects.filter(pk=risk.pk), user=request.user, action=permissions.CHANGE
        ).exists()
        if not may:
            raise PermissionDenied
        return risk

    def _render(self, request, risk, form):
        return render(
            request,
            self.template_name,
            {"form": form, "object": risk, "title": f"Review {risk}"},
        )

    def get(self, request, pk: int):
        risk = self._risk(request, pk)
        initial = {
            "reviewed_on": timezone.localdate(),
            **{name: getattr(risk, name) for name in (*services.SCORE_FIELDS, "status")},
        }
        return self._render(request, risk, forms.RiskReviewForm(initial=initial))

    def post(self, request, pk: int):
        risk = self._risk(request, pk)
        form = forms.RiskReviewForm(request.POST)
        if form.is_valid():
            try:
                services.risk_review(risk=risk, actor=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Review of {risk} recorded.")
                return HttpResponseRedirect(risk.get_absolute_url() + "#reviews")
        return self._render(request, risk, form)


# --- Assessments --------------------------------------------------------------------


class AssessmentQueryset:
    model = Assessment

    def base_queryset(self):
        return selectors.assessment_list(user=self.request.user)


class AssessmentListView(InternalOnlyMixin, AssessmentQueryset, ObjectListView):
    filterset_class = filters.AssessmentFilterSet
    table_class = tables.AssessmentTable


class AssessmentDetailView(InternalOnlyMixin, AssessmentQueryset, ObjectDetailView):
    """An assessment with its findings and its evidence file."""

    template_name = "risks/assessment_detail.html"
    detail_fields = ["vendor", "kind", "date", "assessor", "summary"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["findings"] = list(
            self.object.findings.select_related("owner").order_by("status", "due_date", "id")
        )
        ctx["today"] = timezone.localdate()
        return ctx


class AssessmentCreateView(InternalOnlyMixin, UserFormMixin, AssessmentQueryset, ObjectCreateView):
    form_class = forms.AssessmentForm
    create_service = services.assessment_create


class AssessmentUpdateView(InternalOnlyMixin, UserFormMixin, AssessmentQueryset, ObjectUpdateView):
    form_class = forms.AssessmentForm
    update_service = services.assessment_update


class AssessmentDeleteView(InternalOnlyMixin, ObjectDeleteView):
    model = Assessment
    delete_service = services.assessment_delete


class AssessmentHistoryView(InternalOnlyMixin, ObjectHistoryView):
    model = Assessment


class AssessmentEvidenceView(InternalOnlyMixin, View):
    """Download an assessment's evidence; 404 outside the user's scope or without a file."""

    model = Assessment

    def get(self, request, pk: int):
        assessment = object_or_404(
            selectors.assessment_list(user=request.user), user=request.user, pk=pk
        )
        return evidence_response(assessment)


def evidence_response(assessment: Assessment) -> FileResponse:
    """The evidence file as a private download (404 without one); the caller checked the scope."""
    evidence = assessment.evidence
    if not evidence or not evidence.storage.exists(evidence.name):
        raise Http404("No evidence file on record.")
    filename = evidence.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        evidence.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Findings (vendor representatives see their own vendor's) --------------------------


class FindingQueryset:
    model = Finding

    def base_queryset(self):
        return selectors.finding_list(user=self.request.user)


class FindingListView(FindingQueryset, ObjectListView):
    filterset_class = filters.FindingFilterSet
    table_class = tables.FindingTable


class FindingDetailView(FindingQueryset, ObjectDetailView):
    """A finding; the assessment is linked only for those who may see assessments."""

    template_name = "risks/finding_detail.html"
    detail_fields = ["title", "description", "severity", "owner", "due_date", "status"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        finding = self.object
        ctx["show_assessment"] = permissions.restrict(
            Assessment.objects.filter(pk=finding.assessment_id), user=self.request.user
        ).exists()
        ctx["overdue"] = finding.is_overdue(timezone.localdate())
        ctx["governance_links"] = governance_links(finding=finding) if ctx["can_change"] else []
        return ctx


class FindingCreateView(UserFormMixin, FindingQueryset, ObjectCreateView):
    form_class = forms.FindingForm
    create_service = services.finding_create


class FindingUpdateView(UserFormMixin, FindingQueryset, ObjectUpdateView):
    form_class = forms.FindingForm
    update_service = services.finding_update


class FindingDeleteView(ObjectDeleteView):
    model = Finding
    delete_service = services.finding_delete


class FindingHistoryView(FindingQueryset, ObjectHistoryView):
    pass


# --- Continuity plans ---------------------------------------------------------------


class ContinuityPlanQueryset:
    model = ContinuityPlan

    def base_queryset(self):
        return selectors.continuity_plan_list(user=self.request.user)


class ContinuityPlanListView(InternalOnlyMixin, ContinuityPlanQueryset, ObjectListView):
    """Plans, and above them the tier-1 vendors flagged for lacking a plan tested in 12 months."""

    filterset_class = filters.ContinuityPlanFilterSet
    table_class = tables.ContinuityPlanTable
    template_name = "risks/continuityplan_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["flagged"] = selectors.continuity_flagged(
            user=self.request.user, today=timezone.localdate()
        )
        return ctx


class ContinuityPlanDetailView(InternalOnlyMixin, ContinuityPlanQueryset, ObjectDetailView):
    detail_fields = [
        "vendor",
        "title",
        "contingency_steps",
        "rto_hours",
        "rpo_hours",
        "last_test_date",
        "last_test_result",
    ]


class ContinuityPlanCreateView(
    InternalOnlyMixin, UserFormMixin, ContinuityPlanQueryset, ObjectCreateView
):
    form_class = forms.ContinuityPlanForm
    create_service = services.continuity_plan_create


class ContinuityPlanUpdateView(
    InternalOnlyMixin, UserFormMixin, ContinuityPlanQueryset, ObjectUpdateView
):
    form_class = forms.ContinuityPlanForm
    update_service = services.continuity_plan_update


class ContinuityPlanDeleteView(InternalOnlyMixin, ObjectDeleteView):
    model = ContinuityPlan
    delete_service = services.continuity_plan_delete


class ContinuityPlanHistoryView(InternalOnlyMixin, ObjectHistoryView):
    model = ContinuityPlan
