"""Pages of the sourcing app: thin subclasses of the generic ``core.views`` classes, plus
the event's workflow (criteria, open, score, submit, award), the comparison page and the
PDF evaluation summary.

Lists and details start from the selectors (scoped by the permission rule);
writes go through ``sourcing.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views import View

from core import permissions
from core.forms import UserFormMixin
from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
)
from sourcing import filters, forms, selectors, services, tables
from sourcing.models import (
    Candidate,
    DueDiligenceItem,
    EvaluatorAssignment,
    Proposal,
    ReadinessCriterion,
    Score,
    SourcingEvent,
    TransitionPlan,
    TransitionStep,
)

# --- Events ---------------------------------------------------------------------------


class EventQueryset:
    def base_queryset(self):
        return selectors.event_list(user=self.request.user)


class SourcingEventListView(EventQueryset, ObjectListView):
    model = SourcingEvent
    filterset_class = filters.SourcingEventFilterSet
    table_class = tables.SourcingEventTable


def event_context(*, event: SourcingEvent, user) -> dict:
    """What the event page and the comparison page show (the ranking is of submitted scores)."""
    candidates = list(
        event.candidates.select_related("vendor", "proposal").prefetch_related("due_diligence")
    )
    mine = EvaluatorAssignment.objects.filter(event=event, evaluator=user).first()
    my_scores = {
        (s.proposal_id, s.criterion_id): s
        for s in Score.objects.filter(proposal__candidate__event=event, evaluator=user)
    }
    criteria = list(event.criteria.all())
    proposals = [c.proposal for c in candidates if hasattr(c, "proposal")]
    return {
        "criteria": criteria,
        "weights_total": sum((c.weight for c in criteria), 0),
        "candidates": candidates,
        "due_diligence": [
            (
                c,
                [
                    (item, selectors.item_cleared(item=item, on=event.decision_date))
                    for item in c.due_diligence.all()
                ],
            )
            for c in candidates
        ],  # fmt: skip
        "evaluators": list(event.evaluators.select_related("evaluator")),
        "ranking": selectors.event_ranking(event=event),
        "my_assignment": mine,
        "score_grid": [
            (p, [(c, my_scores.get((p.pk, c.pk))) for c in criteria]) for p in proposals
        ],
    }


class SourcingEventDetailView(EventQueryset, ObjectDetailView):
    """An event's page: criteria, candidates and due diligence, evaluators, my scores, ranking."""

    template_name = "sourcing/sourcingevent_detail.html"
    detail_fields = ["title", "status", "decision_date", "scope", "objectives", "award_rationale"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(event_context(event=self.object, user=self.request.user))
        ctx["award_form"] = forms.AwardForm(event=self.object)
        return ctx


class SourcingEventComparisonView(EventQueryset, ObjectDetailView):
    """Candidates side by side: price, weighted totals per evaluator, average, spread, rank."""

    template_name = "sourcing/sourcingevent_comparison.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(event_context(event=self.object, user=self.request.user))
        return ctx


class SourcingEventCreateView(UserFormMixin, ObjectCreateView):
    model = SourcingEvent
    form_class = forms.SourcingEventForm
    create_service = services.event_create


class SourcingEventUpdateView(UserFormMixin, ObjectUpdateView):
    model = SourcingEvent
    form_class = forms.SourcingEventForm
    update_service = services.event_update


class SourcingEventDeleteView(ObjectDeleteView):
    model = SourcingEvent
    delete_service = services.event_delete

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(self.request, error)
            return HttpResponseRedirect(self.object.get_absolute_url())


class SourcingEventHistoryView(ObjectHistoryView):
    model = SourcingEvent


def _changeable_event(request, pk) -> SourcingEvent:
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    if not permissions.may_change(user=request.user, obj=event):
        raise PermissionDenied
    return event


class CriteriaView(View):
    """Save the whole set of criteria (weights sum to 100) of a draft event."""

    template_name = "sourcing/criteria_form.html"

    def get(self, request, pk):
        event = _changeable_event(request, pk)
        text = "\n".join(f"{c.name}: {c.weight.normalize():f}" for c in event.criteria.all())
        form = forms.CriteriaForm(initial={"criteria": text})
        return render(request, self.template_name, {"event": event, "form": form})

    def post(self, request, pk):
        event = _changeable_event(request, pk)
        form = forms.CriteriaForm(request.POST)
        if form.is_valid():
            try:
                services.criteria_replace(
                    event=event, actor=request.user, rows=form.cleaned_data["criteria"]
                )
            except ValidationError as exc:
                for messages_ in exc.message_dict.values():
                    for message in messages_:
                        form.add_error("criteria", message)
            else:
                messages.success(request, "Criteria saved.")
                return HttpResponseRedirect(event.get_absolute_url())
        return render(request, self.template_name, {"event": event, "form": form}, status=400)


class EventActionView(View):
    """POST open / evaluate / cancel / submit / award; a refusal is a message naming why."""

    def post(self, request, pk, verb):
        if verb == "submit":
            event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
        else:
            event = _changeable_event(request, pk)
        try:
            if verb == "open":
                services.event_open(event=event, actor=request.user)
            elif verb == "evaluate":
                services.event_close_proposals(event=event, actor=request.user)
            elif verb == "cancel":
                services.event_cancel(event=event, actor=request.user)
            elif verb == "submit":
                services.evaluator_submit(event=event, actor=request.user)
            elif verb == "summary":
                services.evaluation_summary_request(event=event, actor=request.user)
            elif verb == "award":
                form = forms.AwardForm(request.POST, event=event)
                if not form.is_valid():
                    raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
                services.event_award(
                    event=event,
                    candidate=form.cleaned_data["candidate"],
                    rationale=form.cleaned_data["award_rationale"],
                    actor=request.user,
                )
            else:
                raise Http404
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    messages.error(request, f"{field.replace('_', ' ').capitalize()}: {error}")
        else:
            messages.success(request, "Done.")
        return HttpResponseRedirect(event.get_absolute_url())


class EvaluationSummaryDownloadView(View):
    """The rendered PDF evaluation summary (404 until a render has finished)."""

    def get(self, request, pk):
        event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
        if not event.summary_pdf:
            raise Http404("The evaluation summary has not been rendered yet.")
        return FileResponse(
            event.summary_pdf.open("rb"),
            content_type="application/pdf",
            filename=f"evaluation-summary-{event.pk}.pdf",
        )


class SelectionVsDeliveryView(View):
    """Across vendors: criterion weight and winners' scores beside what they delivered."""

    def get(self, request):
        from sourcing import delivery

        if not permissions.sees_internal(request.user):
            raise PermissionDenied
        table = delivery.criterion_weight_vs_delivery(user=request.user)
        return render(request, "sourcing/selection_vs_delivery.html", {"table": table})


class ScoreView(View):
    """The signed-in evaluator scores one proposal on one criterion."""

    def post(self, request, pk):
        event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
        proposal = get_object_or_404(
            Proposal, pk=request.POST.get("proposal"), candidate__event=event
        )
        criterion = get_object_or_404(event.criteria, pk=request.POST.get("criterion"))
        form = forms.ScoreForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{field.capitalize()}: {error}")
            return HttpResponseRedirect(event.get_absolute_url())
        try:
            services.score_set(
                actor=request.user,
                proposal=proposal,
                criterion=criterion,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    messages.error(request, f"{field.capitalize()}: {error}")
        return HttpResponseRedirect(event.get_absolute_url() + "#my-scores")


# --- Candidates, proposals, due diligence, evaluators ------------------------------------


class CandidateListView(ObjectListView):
    queryset = Candidate.objects.select_related("event", "vendor")
    filterset_class = filters.CandidateFilterSet
    table_class = tables.CandidateTable


class CandidateDetailView(ObjectDetailView):
    queryset = Candidate.objects.select_related("event", "vendor")
    detail_fields = ["event", "vendor", "status"]


class CandidateCreateView(UserFormMixin, ObjectCreateView):
    model = Candidate
    form_class = forms.CandidateForm
    create_service = services.candidate_create
    return_to = "event"


class CandidateUpdateView(UserFormMixin, ObjectUpdateView):
    model = Candidate
    form_class = forms.CandidateStatusForm
    update_service = services.candidate_update


class CandidateDeleteView(ObjectDeleteView):
    model = Candidate
    delete_service = services.candidate_delete
    success_url_name = "sourcing:sourcingevent_list"


class CandidateHistoryView(ObjectHistoryView):
    model = Candidate


class ProposalListView(ObjectListView):
    queryset = Proposal.objects.select_related("candidate__event", "candidate__vendor")
    filterset_class = filters.ProposalFilterSet
    table_class = tables.ProposalTable


class ProposalDetailView(ObjectDetailView):
    queryset = Proposal.objects.select_related("candidate__event", "candidate__vendor")
    detail_fields = ["candidate", "price", "currency", "notes", "document"]


class ProposalCreateView(UserFormMixin, ObjectCreateView):
    model = Proposal
    form_class = forms.ProposalForm
    create_service = services.proposal_create


class ProposalUpdateView(UserFormMixin, ObjectUpdateView):
    model = Proposal
    form_class = forms.ProposalForm
    update_service = services.proposal_update


class ProposalDeleteView(ObjectDeleteView):
    model = Proposal
    delete_service = services.proposal_delete


class ProposalHistoryView(ObjectHistoryView):
    model = Proposal


class DueDiligenceCreateView(UserFormMixin, ObjectCreateView):
    model = DueDiligenceItem
    form_class = forms.DueDiligenceItemForm
    create_service = services.due_diligence_create
    return_to = "candidate.event"


class DueDiligenceUpdateView(UserFormMixin, ObjectUpdateView):
    model = DueDiligenceItem
    form_class = forms.DueDiligenceItemForm
    update_service = services.due_diligence_update
    return_to = "candidate.event"


class DueDiligenceDeleteView(ObjectDeleteView):
    model = DueDiligenceItem
    delete_service = services.due_diligence_delete
    success_url_name = "sourcing:sourcingevent_list"


class EvaluatorCreateView(UserFormMixin, ObjectCreateView):
    model = EvaluatorAssignment
    form_class = forms.EvaluatorAssignmentForm
    create_service = services.evaluator_assign
    return_to = "event"


# --- Transition in ------------------------------------------------------------------


class TransitionPlanDetailView(ObjectDetailView):
    queryset = TransitionPlan.objects.select_related("vendor", "event")
    template_name = "sourcing/transitionplan_detail.html"
    detail_fields = ["vendor", "event", "summary", "knowledge_transfer", "go_live_date"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.transition_progress(plan=self.object))
        return ctx


class TransitionPlanUpdateView(UserFormMixin, ObjectUpdateView):
    model = TransitionPlan
    form_class = forms.TransitionPlanForm
    update_service = services.transition_plan_update


class TransitionPlanHistoryView(ObjectHistoryView):
    model = TransitionPlan


class TransitionStepListView(ObjectListView):
    queryset = TransitionStep.objects.select_related("plan__vendor")
    filterset_class = filters.TransitionStepFilterSet
    table_class = tables.TransitionStepTable


class TransitionStepDetailView(ObjectDetailView):
    queryset = TransitionStep.objects.select_related("plan__vendor")


class TransitionStepCreateView(UserFormMixin, ObjectCreateView):
    model = TransitionStep
    form_class = forms.TransitionStepForm
    create_service = services.transition_step_create
    return_to = "plan"


class TransitionStepUpdateView(UserFormMixin, ObjectUpdateView):
    model = TransitionStep
    form_class = forms.TransitionStepForm
    update_service = services.transition_step_update
    return_to = "plan"


class TransitionStepDeleteView(ObjectDeleteView):
    model = TransitionStep
    delete_service = services.transition_step_delete


class TransitionStepHistoryView(ObjectHistoryView):
    model = TransitionStep


class ReadinessCreateView(UserFormMixin, ObjectCreateView):
    model = ReadinessCriterion
    form_class = forms.ReadinessCriterionForm
    create_service = services.readiness_create
    return_to = "plan"


class ReadinessUpdateView(UserFormMixin, ObjectUpdateView):
    model = ReadinessCriterion
    form_class = forms.ReadinessCriterionForm
    update_service = services.readiness_update
    return_to = "plan"
