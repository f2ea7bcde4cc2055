"""Pages of the improvement programme: thin subclasses of ``core.views``.

Lists and details start from the selectors (scoped by the permission rule);
writes go through ``improvement.services``. Agreeing a goal, approving and
publishing an issue-list version are POST actions with their own views.
"""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

from core import permissions
from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
)
from improvement import filters, forms, health, selectors, services, tables
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)
from vendors.models import Vendor


class UserFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


def _views(model, selector, filterset, table, form, prefix: str, detail_fields=None, template=None):
    """The six generic page views of one model, wired to its selector and services."""

    class Queryset:
        def base_queryset(self):
            return selector(user=self.request.user)

    attrs = {"model": model}
    service = getattr(services, f"{prefix}_create")
    return {
        "list": type(
            f"{model.__name__}ListView",
            (Queryset, ObjectListView),
            {**attrs, "filterset_class": filterset, "table_class": table},
        ),
        "detail": type(
            f"{model.__name__}DetailView",
            (Queryset, ObjectDetailView),
            {
                **attrs,
                "detail_fields": detail_fields,
                **({"template_name": template} if template else {}),
            },
        ),
        "create": type(
            f"{model.__name__}CreateView",
            (UserFormMixin, Queryset, ObjectCreateView),
            {**attrs, "form_class": form, "create_service": service},
        ),
        "update": type(
            f"{model.__name__}UpdateView",
            (UserFormMixin, Queryset, ObjectUpdateView),
            {**attrs, "form_class": form, "update_service": getattr(services, f"{prefix}_update")},
        ),
        "delete": type(
            f"{model.__name__}DeleteView",
            (Queryset, ObjectDeleteView),
            {**attrs, "delete_service": getattr(services, f"{prefix}_delete")},
        ),
        "history": type(f"{model.__name__}HistoryView", (Queryset, ObjectHistoryView), attrs),
    }


assessment_views = _views(
    SituationAssessment,
    selectors.assessment_list,
    filters.SituationAssessmentFilterSet,
    tables.SituationAssessmentTable,
    forms.SituationAssessmentForm,
    "assessment",
    ["vendor", "title", "assessed_on", "summary", "assessed_by"],
    "improvement/situationassessment_detail.html",
)
key_issue_views = _views(
    KeyIssue,
    selectors.key_issue_list,
    filters.KeyIssueFilterSet,
    tables.KeyIssueTable,
    forms.KeyIssueForm,
    "key_issue",
    ["assessment", "description", "investment_needed", "currency"],
)
goal_views = _views(
    Goal,
    selectors.goal_list,
    filters.GoalFilterSet,
    tables.GoalTable,
    forms.GoalForm,
    "goal",
    [
        "vendor",
        "contract",
        "kind",
        "description",
        "baseline_value",
        "target_value",
        "unit",
        "target_date",
        "owner",
    ],
    "improvement/goal_detail.html",
)
survey_views = _views(
    HealthSurvey,
    selectors.health_survey_list,
    filters.HealthSurveyFilterSet,
    tables.HealthSurveyTable,
    forms.HealthSurveyForm,
    "health_survey",
    None,
    "improvement/healthsurvey_detail.html",
)
idea_views = _views(
    Idea,
    selectors.idea_list,
    filters.IdeaFilterSet,
    tables.IdeaTable,
    forms.IdeaForm,
    "idea",
    None,
)


def _goal_context(view, ctx):
    goal = view.object
    results = selectors.latest_results(sla_ids=[s.pk for s in goal.slas.all()])
    ctx["agreement_badge"] = tables.agreement_badge(goal)
    ctx["linked"] = [(sla, results.get(sla.pk)) for sla in goal.slas.all()]
    ctx["progress"] = selectors.goal_progress(goal, results)
    user = view.request.user
    is_rep = permissions.is_vendor_side(user)
    ctx["may_agree_vendor"] = is_rep and goal.vendor_agreed_at is None
    ctx["may_agree_client"] = not is_rep and ctx["can_change"] and goal.client_agreed_at is None
    return ctx


class GoalDetailView(goal_views["detail"]):
    """A goal: its terms, both sides' agreement, the linked SLAs' latest results, progress."""

    def get_context_data(self, **kwargs):
        return _goal_context(self, super().get_context_data(**kwargs))


class GoalAgreeView(LoginRequiredMixin, View):
    """POST: record the signed-in user's agreement for their side."""

    def post(self, request, pk: int):
        goal = get_object_or_404(selectors.goal_list(user=request.user), pk=pk)
        services.goal_agree(instance=goal, actor=request.user)
        messages.success(request, f"Your agreement to “{goal}” is recorded.")
        return HttpResponseRedirect(goal.get_absolute_url())


class HealthSurveyDetailView(survey_views["detail"]):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["index"] = health.health_index(self.object.scores())
        return ctx


class VendorHealthView(LoginRequiredMixin, View):
    """A vendor's relationship health: this quarter per side and dimension, the gap, the trend."""

    def get(self, request, pk: int):
        vendor = get_object_or_404(
            permissions.restrict(Vendor.objects.all(), user=request.user), pk=pk
        )
        trend = selectors.health_trend(vendor=vendor)
        quarter = request.GET.get("quarter") or (trend[-1]["quarter"] if trend else None)
        if quarter and not forms.QUARTER_RE.match(quarter):
            quarter = trend[-1]["quarter"] if trend else None
        summary = selectors.health_summary(vendor=vendor, quarter=quarter) if quarter else None
        rows = []
        if summary:
            for name in health.DIMENSIONS:
                client = summary["client"]["dimensions"][name] if summary["client"] else None
                vend = (
                    summary["vendor_side"]["dimensions"][name] if summary["vendor_side"] else None
                )
                rows.append((name.capitalize(), client, vend, summary["gap"]["dimensions"][name]))
        context = {
            "vendor": vendor,
            "quarter": quarter,
            "summary": summary,
            "rows": rows,
            "trend": trend,
            "title": f"Relationship health: {vendor}",
        }
        return render(request, "improvement/health.html", context)


# --- Issue list: approve a version, publish it --------------------------------------


class PublicationQueryset:
    def base_queryset(self):
        return selectors.publication_list(user=self.request.user)


class IssueListPublicationListView(PublicationQueryset, ObjectListView):
    model = IssueListPublication
    filterset_class = filters.IssueListPublicationFilterSet
    table_class = tables.IssueListPublicationTable
    add_url_name = "improvement:issuelist_approve"


class IssueListPublicationDetailView(PublicationQueryset, ObjectDetailView):
    """A version of the issue list: its frozen items, who approved, when and to whom published."""

    template_name = "improvement/issuelistpublication_detail.html"


class IssueListPublicationHistoryView(PublicationQueryset, ObjectHistoryView):
    model = IssueListPublication


class IssueListApproveView(LoginRequiredMixin, View):
    """Approve a vendor's issue list as it stands: the next numbered version."""

    template_name = "improvement/issuelist_approve.html"

    def _vendors(self):
        return permissions.restrict(
            Vendor.objects.all(), user=self.request.user, action=permissions.CHANGE
        )

    def get(self, request):
        if not permissions.may_add_any(user=request.user, model=IssueListPublication):
            raise PermissionDenied
        vendors = self._vendors()
        return render(
            request,
            self.template_name,
            {
                "vendors": vendors,
                "title": "Approve the issue list",
                "form": forms.IssueListApproveForm(initial=request.GET),
            },
        )

    def post(self, request):
        form = forms.IssueListApproveForm(request.POST)
        vendor = self._vendors().filter(pk=request.POST.get("vendor") or 0).first()
        error = None
        if vendor is None:
            error = "Choose a vendor whose issue list you may approve."
        elif form.is_valid():
            try:
                version = services.issue_list_approve(
                    actor=request.user, vendor=vendor, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, f"{version} approved; publish it to send it out.")
                return HttpResponseRedirect(version.get_absolute_url())
        context = {
            "vendors": self._vendors(),
            "form": form,
            "error": error,
            "title": "Approve the issue list",
        }
        return render(request, self.template_name, context, status=400)


class IssueListPublishView(LoginRequiredMixin, View):
    """POST: publish an approved version to the vendor's contacts."""

    def post(self, request, pk: int):
        publication = get_object_or_404(selectors.publication_list(user=request.user), pk=pk)
        try:
            publication = services.issue_list_publish(instance=publication, actor=request.user)
        except (OSError, smtplib.SMTPException) as exc:
            messages.error(request, f"Not published: the mail server refused it ({exc}).")
            return HttpResponseRedirect(publication.get_absolute_url())
        count = len(publication.recipients)
        stamp = timezone.localtime(publication.published_at)
        messages.success(
            request, f"{publication} published {stamp:%Y-%m-%d %H:%M} to {count} contact(s)."
        )
        return HttpResponseRedirect(publication.get_absolute_url())
