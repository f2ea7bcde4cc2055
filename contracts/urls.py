"""Pages of the contracts app: /contracts/<plural>/ with add, detail, edit, delete, history."""

from __future__ import annotations

from django.urls import path

from contracts import views
from core.routing import app_index, crud_paths

app_name = "contracts"


urlpatterns = [
    app_index("contracts:contract_list"),
    *crud_paths(
        "contracts",
        "contract",
        views.ContractListView,
        views.ContractDetailView,
        views.ContractCreateView,
        views.ContractUpdateView,
        views.ContractDeleteView,
        views.ContractHistoryView,
    ),
    *crud_paths(
        "obligations",
        "obligation",
        views.ObligationListView,
        views.ObligationDetailView,
        views.ObligationCreateView,
        views.ObligationUpdateView,
        views.ObligationDeleteView,
        views.ObligationHistoryView,
    ),
    *crud_paths(
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
    *crud_paths(
        "exit-plans",
        "exitplan",
        views.ExitPlanListView,
        views.ExitPlanDetailView,
        views.ExitPlanCreateView,
        views.ExitPlanUpdateView,
        views.ExitPlanDeleteView,
        views.ExitPlanHistoryView,
    ),
    *crud_paths(
        "exit-steps",
        "exitstep",
        views.ExitStepListView,
        views.ExitStepDetailView,
        views.ExitStepCreateView,
        views.ExitStepUpdateView,
        views.ExitStepDeleteView,
        views.ExitStepHistoryView,
    ),
    *crud_paths(
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
