"""Pages of the contracts app: /contracts/<plural>/ with add, detail, edit, delete, history."""

from __future__ import annotations

from django.urls import path

from contracts import views

app_name = "contracts"


def _crud(prefix: str, name: str, list_view, detail, create, update, delete, history) -> list:
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", create.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", update.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
        path(f"{prefix}/<int:pk>/history/", history.as_view(), name=f"{name}_history"),
    ]


urlpatterns = [
    *_crud(
        "contracts",
        "contract",
        views.ContractListView,
        views.ContractDetailView,
        views.ContractCreateView,
        views.ContractUpdateView,
        views.ContractDeleteView,
        views.ContractHistoryView,
    ),
    *_crud(
        "obligations",
        "obligation",
        views.ObligationListView,
        views.ObligationDetailView,
        views.ObligationCreateView,
        views.ObligationUpdateView,
        views.ObligationDeleteView,
        views.ObligationHistoryView,
    ),
    *_crud(
        "change-requests",
        "changerequest",
        views.ChangeRequestListView,
        views.ChangeRequestDetailView,
        views.ChangeRequestCreateView,
        views.ChangeRequestUpdateView,
        views.ChangeRequestDeleteView,
        views.ChangeRequestHistoryView,
    ),
    path(
        "change-requests/<int:pk>/transition/",
        views.ChangeRequestTransitionView.as_view(),
        name="changerequest_transition",
    ),
    *_crud(
        "exit-plans",
        "exitplan",
        views.ExitPlanListView,
        views.ExitPlanDetailView,
        views.ExitPlanCreateView,
        views.ExitPlanUpdateView,
        views.ExitPlanDeleteView,
        views.ExitPlanHistoryView,
    ),
    *_crud(
        "exit-steps",
        "exitstep",
        views.ExitStepListView,
        views.ExitStepDetailView,
        views.ExitStepCreateView,
        views.ExitStepUpdateView,
        views.ExitStepDeleteView,
        views.ExitStepHistoryView,
    ),
    *_crud(
        "spend",
        "spendrecord",
        views.SpendRecordListView,
        views.SpendRecordDetailView,
        views.SpendRecordCreateView,
        views.SpendRecordUpdateView,
        views.SpendRecordDeleteView,
        views.SpendRecordHistoryView,
    ),
]
