"""Pages of the sourcing app under /sourcing/, and a contract's value page."""

from __future__ import annotations

from django.urls import path

from contracts.value_views import ContractValueView
from core.routing import app_index
from sourcing import views

app_name = "sourcing"


def _paths(prefix: str, name: str, **views_by_action) -> list:
    routes = {
        "list": f"{prefix}/",
        "add": f"{prefix}/add/",
        "detail": f"{prefix}/<int:pk>/",
        "edit": f"{prefix}/<int:pk>/edit/",
        "delete": f"{prefix}/<int:pk>/delete/",
        "history": f"{prefix}/<int:pk>/history/",
    }
    return [
        path(routes[action], view.as_view(), name=f"{name}_{action}")
        for action, view in views_by_action.items()
    ]


urlpatterns = [
    app_index("sourcing:sourcingevent_list"),
    *_paths(
        "events",
        "sourcingevent",
        list=views.SourcingEventListView,
        add=views.SourcingEventCreateView,
        detail=views.SourcingEventDetailView,
        edit=views.SourcingEventUpdateView,
        delete=views.SourcingEventDeleteView,
        history=views.SourcingEventHistoryView,
    ),
    path(
        "events/<int:pk>/comparison/",
        views.SourcingEventComparisonView.as_view(),
        name="sourcingevent_comparison",
    ),
    path("events/<int:pk>/criteria/", views.CriteriaView.as_view(), name="sourcingevent_criteria"),
    path(
        "events/<int:pk>/summary.pdf",
        views.EvaluationSummaryDownloadView.as_view(),
        name="sourcingevent_summary_pdf",
    ),
    path("events/<int:pk>/score/", views.ScoreView.as_view(), name="sourcingevent_score"),
    path(
        "events/<int:pk>/<slug:verb>/",
        views.EventActionView.as_view(),
        name="sourcingevent_action",
    ),
    *_paths(
        "candidates",
        "candidate",
        list=views.CandidateListView,
        add=views.CandidateCreateView,
        detail=views.CandidateDetailView,
        edit=views.CandidateUpdateView,
        delete=views.CandidateDeleteView,
        history=views.CandidateHistoryView,
    ),
    *_paths(
        "proposals",
        "proposal",
        list=views.ProposalListView,
        add=views.ProposalCreateView,
        detail=views.ProposalDetailView,
        edit=views.ProposalUpdateView,
        delete=views.ProposalDeleteView,
        history=views.ProposalHistoryView,
    ),
    *_paths(
        "due-diligence",
        "duediligenceitem",
        add=views.DueDiligenceCreateView,
        edit=views.DueDiligenceUpdateView,
        delete=views.DueDiligenceDeleteView,
    ),
    *_paths("evaluators", "evaluatorassignment", add=views.EvaluatorCreateView),
    *_paths(
        "transition-plans",
        "transitionplan",
        detail=views.TransitionPlanDetailView,
        edit=views.TransitionPlanUpdateView,
        history=views.TransitionPlanHistoryView,
    ),
    *_paths(
        "transition-steps",
        "transitionstep",
        list=views.TransitionStepListView,
        add=views.TransitionStepCreateView,
        detail=views.TransitionStepDetailView,
        edit=views.TransitionStepUpdateView,
        delete=views.TransitionStepDeleteView,
        history=views.TransitionStepHistoryView,
    ),
    *_paths(
        "readiness",
        "readinesscriterion",
        add=views.ReadinessCreateView,
        edit=views.ReadinessUpdateView,
    ),
    path(
        "selection-vs-delivery/",
        views.SelectionVsDeliveryView.as_view(),
        name="selection_vs_delivery",
    ),
    path("value/contracts/<int:pk>/", ContractValueView.as_view(), name="contract_value"),
]
