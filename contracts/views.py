"""Pages of the contracts app: thin subclasses of the generic ``core.views`` classes.

Lists and details start from the selectors (scoped by the permission rule);
writes go through ``contracts.services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View

from contracts import filters, forms, selectors, services, tables
from contracts import imports as _imports  # noqa: F401 - registers the contract import
from contracts.choices import ChangeRequestStatus
from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
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

# --- Contracts ----------------------------------------------------------------------


class ContractQueryset:
    def base_queryset(self):
        return selectors.contract_list(user=self.request.user)


class ContractListView(ContractQueryset, ObjectListView):
    model = Contract
    filterset_class = filters.ContractFilterSet
    table_class = tables.ContractTable


class ContractDetailView(ContractQueryset, ObjectDetailView):
    """A contract's page: money, dates, hierarchy, obligations, changes, exit, spend, SLAs."""

    template_name = "contracts/contract_detail.html"
    detail_fields = [
        "vendor",
        "reference",
        "title",
        "contract_type",
        "status",
        "currency",
        "scope_in",
        "scope_out",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        contract = self.object
        user = self.request.user
        today = timezone.localdate()
        related = selectors.contract_detail_related(contract=contract, user=user)
        ctx.update(related)
        ctx["today"] = today
        ctx["days_to_notice"] = (
            (contract.notice_deadline - today).days if contract.notice_deadline else None
        )
        ctx["notice_soon"] = (
            ctx["days_to_notice"] is not None
            and 0 <= ctx["days_to_notice"] <= selectors.NOTICE_WINDOW_DAYS
            and contract.status == "active"
        )
        ctx["obligation_rows"] = [(o, o.is_overdue(today)) for o in related["obligations"]]
        ctx["change_rows"] = [
            (cr, services.change_request_next_statuses(change_request=cr))
            for cr in related["change_requests"]
        ]
        ctx["spend_rows"] = selectors.spend_by_month(contract=contract, records=related["spend"])
        ctx["savings"] = selectors.contract_savings(contract=contract)
        ctx["slas"] = related.get("slas", [])
        # Spend, savings and exit plans are internal (their models are hidden from
        # vendor representatives, who are the users tied to a vendor).
        ctx["sees_internal"] = permissions.sees_internal(user)
        # The SLA model through the contract's reverse relation: contracts imports no slas.
        sla_model = Contract._meta.get_field("slas").related_model
        ctx["can_add_sla"] = permissions.may_create(
            user=user, model=sla_model, vendor_id=contract.vendor_id
        )
        return ctx


class ContractCreateView(UserFormMixin, ObjectCreateView):
    model = Contract
    form_class = forms.ContractForm
    create_service = services.contract_create


class ContractUpdateView(UserFormMixin, ObjectUpdateView):
    model = Contract
    form_class = forms.ContractForm
    update_service = services.contract_update


class ContractDeleteView(ObjectDeleteView):
    model = Contract
    delete_service = services.contract_delete


class ContractHistoryView(ObjectHistoryView):
    model = Contract


# --- Obligations --------------------------------------------------------------------


class ObligationListView(ObjectListView):
    model = Obligation
    filterset_class = filters.ObligationFilterSet
    table_class = tables.ObligationTable

    def base_queryset(self):
        return selectors.obligation_list(user=self.request.user)


class ObligationDetailView(ObjectDetailView):
    model = Obligation

    def base_queryset(self):
        return selectors.obligation_list(user=self.request.user)


class ObligationCreateView(UserFormMixin, ObjectCreateView):
    model = Obligation
    form_class = forms.ObligationForm
    create_service = services.obligation_create


class ObligationUpdateView(UserFormMixin, ObjectUpdateView):
    model = Obligation
    form_class = forms.ObligationForm
    update_service = services.obligation_update


class ObligationDeleteView(ObjectDeleteView):
    model = Obligation
    delete_service = services.obligation_delete


class ObligationHistoryView(ObjectHistoryView):
    model = Obligation


# --- Change requests ----------------------------------------------------------------


class ChangeRequestListView(ObjectListView):
    model = ChangeRequest
    filterset_class = filters.ChangeRequestFilterSet
    table_class = tables.ChangeRequestTable

    def base_queryset(self):
        return selectors.change_request_list(user=self.request.user)


class ChangeRequestDetailView(ObjectDetailView):
    """A change request with its workflow buttons (for those who may change it)."""

    model = ChangeRequest
    template_name = "contracts/changerequest_detail.html"

    def base_queryset(self):
        return selectors.change_request_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        labels = dict(ChangeRequestStatus.choices)
        ctx["next_statuses"] = [
            (s, labels[s])
            for s in services.change_request_next_statuses(change_request=self.object)
        ]
        return ctx


class ChangeRequestCreateView(UserFormMixin, ObjectCreateView):
    model = ChangeRequest
    form_class = forms.ChangeRequestForm
    create_service = services.change_request_create


class ChangeRequestUpdateView(UserFormMixin, ObjectUpdateView):
    model = ChangeRequest
    form_class = forms.ChangeRequestForm
    update_service = services.change_request_update


class ChangeRequestDeleteView(ObjectDeleteView):
    model = ChangeRequest
    delete_service = services.change_request_delete


class ChangeRequestHistoryView(ObjectHistoryView):
    model = ChangeRequest


class ChangeRequestTransitionView(View):
    """POST one workflow step (``status``, optional ``note``); back to where it came from."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        visible = selectors.change_request_list(user=request.user)
        change_request = get_object_or_404(visible, pk=pk)
        if not permissions.may_change(user=request.user, obj=change_request):
            raise PermissionDenied
        form = forms.ChangeRequestTransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose the status to move the change request to.")
        else:
            try:
                services.change_request_transition(
                    change_request=change_request,
                    to_status=form.cleaned_data["status"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                for text in exc.message_dict.get("status", exc.messages):
                    messages.error(request, text)
            else:
                change_request.refresh_from_db()
                messages.success(
                    request, f"{change_request} is now {change_request.get_status_display()}."
                )
        target = request.POST.get("next") or ""
        if not target.startswith("/") or target.startswith("//"):
            target = change_request.get_absolute_url()  # never redirect off-site
        return HttpResponseRedirect(target)


# --- Exit plans and steps -----------------------------------------------------------


class ExitPlanListView(ObjectListView):
    model = ExitPlan
    filterset_class = filters.ExitPlanFilterSet
    table_class = tables.ExitPlanTable

    def base_queryset(self):
        return selectors.exit_plan_list(user=self.request.user)


class ExitPlanDetailView(ObjectDetailView):
    """An exit plan with its ordered steps."""

    model = ExitPlan
    template_name = "contracts/exitplan_detail.html"
    detail_fields = ["contract", "summary", "ip_transfer", "data_return", "last_tested_on"]

    def base_queryset(self):
        return selectors.exit_plan_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["steps"] = sorted(self.object.steps.all(), key=lambda s: (s.order, s.pk))
        return ctx


class ExitPlanCreateView(UserFormMixin, ObjectCreateView):
    model = ExitPlan
    form_class = forms.ExitPlanForm
    create_service = services.exit_plan_create


class ExitPlanUpdateView(UserFormMixin, ObjectUpdateView):
    model = ExitPlan
    form_class = forms.ExitPlanForm
    update_service = services.exit_plan_update


class ExitPlanDeleteView(ObjectDeleteView):
    model = ExitPlan
    delete_service = services.exit_plan_delete


class ExitPlanHistoryView(ObjectHistoryView):
    model = ExitPlan


class ExitStepListView(ObjectListView):
    model = ExitStep
    filterset_class = filters.ExitStepFilterSet
    table_class = tables.ExitStepTable

    def base_queryset(self):
        return selectors.exit_step_list(user=self.request.user)


class ExitStepDetailView(ObjectDetailView):
    model = ExitStep

    def base_queryset(self):
        return selectors.exit_step_list(user=self.request.user)


class ExitStepCreateView(UserFormMixin, ObjectCreateView):
    model = ExitStep
    form_class = forms.ExitStepForm
    create_service = services.exit_step_create
    return_to = "plan"


class ExitStepUpdateView(UserFormMixin, ObjectUpdateView):
    model = ExitStep
    form_class = forms.ExitStepForm
    update_service = services.exit_step_update
    return_to = "plan"


class ExitStepDeleteView(ObjectDeleteView):
    model = ExitStep
    delete_service = services.exit_step_delete


class ExitStepHistoryView(ObjectHistoryView):
    model = ExitStep


# --- Spend --------------------------------------------------------------------------


class SpendRecordListView(ObjectListView):
    model = SpendRecord
    filterset_class = filters.SpendRecordFilterSet
    table_class = tables.SpendRecordTable

    def base_queryset(self):
        return selectors.spend_record_list(user=self.request.user)


class SpendRecordDetailView(ObjectDetailView):
    model = SpendRecord

    def base_queryset(self):
        return selectors.spend_record_list(user=self.request.user)


class SpendRecordCreateView(UserFormMixin, ObjectCreateView):
    model = SpendRecord
    form_class = forms.SpendRecordForm
    create_service = services.spend_record_create


class SpendRecordUpdateView(UserFormMixin, ObjectUpdateView):
    model = SpendRecord
    form_class = forms.SpendRecordForm
    update_service = services.spend_record_update


class SpendRecordDeleteView(ObjectDeleteView):
    model = SpendRecord
    delete_service = services.spend_record_delete


class SpendRecordHistoryView(ObjectHistoryView):
    model = SpendRecord
