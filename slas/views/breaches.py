"""Pages of breaches: the list with filters, the detail page with the workflow forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views import View

from core.tables import BulkAction
from core.views import ObjectDetailView, ObjectHistoryView, ObjectListView, _add_errors
from slas import selectors, services
from slas.filters import BreachFilterSet
from slas.forms import WORKFLOW_FORMS
from slas.models import Breach
from slas.tables import BreachTable, breach_severity_badge, breach_status_badge

ACTION_LABELS = {
    "acknowledge": "Acknowledge",
    "remediate": "Start remediation",
    "resolve": "Mark resolved",
    "waive": "Waive",
    "reopen": "Reopen",
}
DONE_MESSAGES = {
    "acknowledge": "Breach acknowledged.",
    "remediate": "Remediation started.",
    "resolve": "Breach marked resolved.",
    "waive": "Breach waived.",
    "reopen": "Breach reopened.",
}


def _acknowledge(*, instance: Breach, actor) -> Breach:
    return services.breach_acknowledge(breach=instance, actor=actor, note="Acknowledged in bulk.")


class BreachListView(ObjectListView):
    """Breaches by status, severity, vendor, contract and credit month; acknowledge in bulk."""

    model = Breach
    filterset_class = BreachFilterSet
    table_class = BreachTable
    template_name = "slas/breach_list.html"
    bulk_actions = [BulkAction(name="acknowledge", label="Acknowledge", run=_acknowledge)]
    empty_hint = "Breaches appear here when an evaluation finds a breached period."

    def base_queryset(self):
        return selectors.breach_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = False  # breaches come from evaluation, never typed in
        return ctx


class BreachHistoryView(ObjectHistoryView):
    """The audit trail of a breach (computed fields and workflow fields alike)."""

    model = Breach


def _workflow_forms(breach: Breach, user, *, bound=None) -> list[tuple[str, str, object]]:
    """(action, label, form) for each move the user may make now; ``bound`` replaces one."""
    forms = []
    for action in services.allowed_actions(breach=breach, user=user):
        form = bound[1] if bound and bound[0] == action else WORKFLOW_FORMS[action](prefix=action)
        forms.append((action, ACTION_LABELS[action], form))
    return forms


class BreachDetailView(ObjectDetailView):
    """A breach: the period, its credit and earn-back, the workflow and its log."""

    model = Breach
    template_name = "slas/breach_detail.html"
    detail_fields = [
        "sla",
        "period_start",
        "period_end",
        "actual",
        "severity",
        "status",
        "credit_month",
        "credit_uncapped",
        "credit",
        "earn_back",
        "root_cause",
        "corrective_action",
        "remediation_owner",
        "remediation_due",
        "waiver_reason",
    ]

    def base_queryset(self):
        return selectors.breach_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = False  # edits go through the workflow forms only
        ctx["fields"] = [_field_row(label, value) for label, value in ctx["fields"]]
        ctx["severity_badge"] = breach_severity_badge(self.object)
        ctx["status_badge"] = breach_status_badge(self.object)
        ctx["transitions"] = selectors.breach_transitions(breach=self.object)
        bound = kwargs.get("bound")
        ctx["workflow"] = _workflow_forms(self.object, self.request.user, bound=bound)
        if bound and bound[0] not in {action for action, _, _ in ctx["workflow"]}:
            # The move is no longer open (e.g. someone else moved the breach first):
            # its form is not shown, so show its errors above the forms.
            ctx["workflow_errors"] = [str(m) for ms in bound[1].errors.values() for m in ms]
        return ctx


def _field_row(label: str, value):
    """The sla field's label would read "Sla"; the credit month is a month, shown as
    the breach list and the credits page show it (2026-10, not 2026-10-01)."""
    if label == "Sla":
        return "SLA", value
    if label == "Credit month" and value:
        return label, value.strftime("%Y-%m")
    return label, value


class BreachTransitionView(View):
    """POST one workflow move (``/slas/breaches/<pk>/<action>/``); errors re-render the page."""

    def post(self, request, pk: int, action: str):
        if action not in services.WORKFLOW_SERVICES:
            raise Http404
        breach = get_object_or_404(selectors.breach_list(user=request.user), pk=pk)
        form = WORKFLOW_FORMS[action](request.POST, prefix=action)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.WORKFLOW_SERVICES[action](breach=breach, actor=request.user, **data)
            except PermissionDenied:
                raise
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, DONE_MESSAGES[action])
                return HttpResponseRedirect(breach.get_absolute_url())
        view = BreachDetailView()
        view.setup(request, pk=pk)
        view.object = breach
        ctx = view.get_context_data(object=breach, bound=(action, form))
        return render(request, view.template_name, ctx, status=400)
