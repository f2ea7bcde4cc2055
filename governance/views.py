"""Pages of the governance app: thin subclasses of the generic ``core.views`` classes.

Lists and details start from the selectors (scoped by the permission rule);
writes go through ``governance.services``. The escalation page shows the
timeline and the acknowledge / resolve / note forms.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
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
    _add_errors,
)
from governance import filters, forms, selectors, services, tables
from governance.choices import EscalationStatus, MeetingKind
from governance.models import ActionItem, Escalation, EscalationPlan, Forum, Meeting


def _selector_queryset(selector):
    class SelectorQueryset:
        def base_queryset(self):
            return selector(user=self.request.user)

    return SelectorQueryset


# --- Escalation plans -------------------------------------------------------------------

PlanQueryset = _selector_queryset(selectors.escalation_plan_list)


class EscalationPlanListView(PlanQueryset, ObjectListView):
    model = EscalationPlan
    filterset_class = filters.EscalationPlanFilterSet
    table_class = tables.EscalationPlanTable


class EscalationPlanDetailView(PlanQueryset, ObjectDetailView):
    """A plan with its ladder of levels."""

    template_name = "governance/escalationplan_detail.html"
    detail_fields = ["vendor", "contract", "consecutive_breaches"]


class PlanFormMixin(UserFormMixin):
    """The plan's form with the formset of its levels; the service saves both at once."""

    template_name = "governance/escalationplan_form.html"

    def get_formset(self):
        instance = self.object if getattr(self, "object", None) else EscalationPlan()
        data = self.request.POST if self.request.method == "POST" else None
        return forms.LevelFormSet(data, instance=instance, prefix="levels")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["formset"] = kwargs.get("formset") or self.get_formset()
        return ctx

    def form_valid(self, form):
        formset = self.get_formset()
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        self._levels = [
            {name: f.cleaned_data.get(name) for name in services.LEVEL_FIELDS}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        return super().form_valid(form)

    def save_through_service(self, *, form, data):
        return super().save_through_service(form=form, data={**data, "levels": self._levels})


class EscalationPlanCreateView(PlanFormMixin, PlanQueryset, ObjectCreateView):
    model = EscalationPlan
    form_class = forms.EscalationPlanForm

    def save_through_service(self, *, form, data):
        # The generic view would build the plan from ``data`` to find its vendor;
        # ``levels`` is a reverse relation it cannot take, so the check is made here.
        vendor = data.get("vendor")
        if not permissions.may_create(
            user=self.request.user, model=EscalationPlan, vendor_id=getattr(vendor, "pk", None)
        ):
            raise ValidationError("You may not add this record for that vendor.")
        return services.escalation_plan_create(
            actor=self.request.user, data={**data, "levels": self._levels}
        )


class EscalationPlanUpdateView(PlanFormMixin, PlanQueryset, ObjectUpdateView):
    model = EscalationPlan
    form_class = forms.EscalationPlanForm
    update_service = services.escalation_plan_update


class EscalationPlanDeleteView(ObjectDeleteView):
    model = EscalationPlan
    delete_service = services.escalation_plan_delete


class EscalationPlanHistoryView(ObjectHistoryView):
    model = EscalationPlan


# --- Escalations ------------------------------------------------------------------------

EscalationQueryset = _selector_queryset(selectors.escalation_list)
STEP_LABELS = {"acknowledge": "Acknowledge", "resolve": "Resolve", "note": "Add note"}
STEP_DONE = {
    "acknowledge": "Escalation acknowledged: it stops climbing.",
    "resolve": "Escalation resolved.",
    "note": "Note added.",
}


class EscalationListView(EscalationQueryset, ObjectListView):
    model = Escalation
    filterset_class = filters.EscalationFilterSet
    table_class = tables.EscalationTable


def _steps(escalation: Escalation, *, can_change: bool) -> list[str]:
    if not can_change:
        return []
    steps = []
    if escalation.status == EscalationStatus.OPEN:
        steps.append("acknowledge")
    if escalation.status != EscalationStatus.RESOLVED:
        steps.append("resolve")
    return [*steps, "note"]


class EscalationDetailView(EscalationQueryset, ObjectDetailView):
    """An escalation: where it stands, the plan's ladder, its timeline, and the steps."""

    template_name = "governance/escalation_detail.html"
    detail_fields = [
        "vendor",
        "plan",
        "subject_type",
        "subject_id",
        "description",
        "level",
        "opened_at",
        "due_at",
        "acknowledged_at",
        "resolved_at",
        "sla",
        "streak_start",
        "trigger_period",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        bound = kwargs.get("bound")
        ctx["fields"] = [(label, _moment(value)) for label, value in ctx["fields"]]
        ctx["status_badge"] = tables.escalation_status_badge(obj)
        ctx["events"] = selectors.escalation_events(escalation=obj)
        ctx["levels"] = selectors.escalation_level_rows(escalation=obj)
        ctx["steps"] = [
            (
                step,
                STEP_LABELS[step],
                bound[1] if bound and bound[0] == step else forms.EscalationStepForm(prefix=step),
            )
            for step in _steps(obj, can_change=ctx["can_change"])
        ]
        ctx["subject_url"] = _subject_url(obj)
        if bound and bound[0] not in {step for step, _, _ in ctx["steps"]}:
            # The step is no longer open (someone acknowledged first): say why anyway.
            ctx["step_errors"] = [str(m) for ms in bound[1].errors.values() for m in ms]
        return ctx


def _moment(value):
    """Times on the escalation's card as its timeline shows them: to the minute, UTC."""
    if isinstance(value, datetime):
        return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return value


def _subject_url(escalation: Escalation) -> str | None:
    from django.urls import reverse

    if escalation.subject_id is None:
        return None
    names = {"breach": "slas:breach_detail", "action_item": "governance:actionitem_detail"}
    name = names.get(escalation.subject_type)
    return reverse(name, args=[escalation.subject_id]) if name else None


class EscalationStepView(View):
    """POST acknowledge / resolve / note (``/governance/escalations/<pk>/<step>/``)."""

    def post(self, request, pk: int, step: str):
        if step not in STEP_LABELS:
            raise Http404
        escalation = get_object_or_404(selectors.escalation_list(user=request.user), pk=pk)
        if not permissions.restrict(
            Escalation.objects.filter(pk=pk), user=request.user, action=permissions.CHANGE
        ).exists():
            raise PermissionDenied
        form = forms.EscalationStepForm(request.POST, prefix=step)
        if form.is_valid():
            note = form.cleaned_data["note"]
            try:
                if step == "acknowledge":
                    services.escalation_acknowledge(
                        escalation=escalation, actor=request.user, note=note
                    )
                elif step == "resolve":
                    services.escalation_resolve(
                        escalation=escalation, actor=request.user, note=note
                    )
                else:
                    services.escalation_note(escalation=escalation, actor=request.user, note=note)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, STEP_DONE[step])
                return HttpResponseRedirect(escalation.get_absolute_url())
        view = EscalationDetailView()
        view.setup(request, pk=pk)
        view.object = escalation
        ctx = view.get_context_data(object=escalation, bound=(step, form))
        return render(request, view.template_name, ctx, status=400)


class EscalationCreateView(UserFormMixin, EscalationQueryset, ObjectCreateView):
    model = Escalation
    form_class = forms.EscalationForm
    create_service = services.escalation_create


class EscalationUpdateView(EscalationQueryset, ObjectUpdateView):
    model = Escalation
    form_class = forms.EscalationEditForm
    update_service = services.escalation_update


class EscalationDeleteView(ObjectDeleteView):
    model = Escalation
    delete_service = services.escalation_delete


class EscalationHistoryView(ObjectHistoryView):
    model = Escalation


# --- Forums -----------------------------------------------------------------------------

ForumQueryset = _selector_queryset(selectors.forum_list)


class ForumListView(ForumQueryset, ObjectListView):
    model = Forum
    filterset_class = filters.ForumFilterSet
    table_class = tables.ForumTable


class ForumDetailView(ForumQueryset, ObjectDetailView):
    """A forum: members, cadence, when it meets next, its meetings."""

    template_name = "governance/forum_detail.html"
    detail_fields = ["kind", "cadence", "vendor", "description"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx["next_due"] = selectors.next_meeting_due(
            cadence=self.object.cadence, last_meeting=self.object.last_meeting, today=today
        )
        ctx["today"] = today
        ctx["meetings"] = list(
            selectors.meeting_list(user=self.request.user).filter(forum=self.object)[:50]
        )
        return ctx


class ForumCreateView(UserFormMixin, ForumQueryset, ObjectCreateView):
    model = Forum
    form_class = forms.ForumForm
    create_service = services.forum_create


class ForumUpdateView(UserFormMixin, ForumQueryset, ObjectUpdateView):
    model = Forum
    form_class = forms.ForumForm
    update_service = services.forum_update


class ForumDeleteView(ObjectDeleteView):
    model = Forum
    delete_service = services.forum_delete


class ForumHistoryView(ObjectHistoryView):
    model = Forum


# --- Meetings ---------------------------------------------------------------------------

MeetingQueryset = _selector_queryset(selectors.meeting_list)


class MeetingListView(MeetingQueryset, ObjectListView):
    model = Meeting
    filterset_class = filters.MeetingFilterSet
    table_class = tables.MeetingTable


class MeetingDetailView(MeetingQueryset, ObjectDetailView):
    """A meeting: agenda, minutes, decisions and the action items it raised."""

    template_name = "governance/meeting_detail.html"
    detail_fields = ["forum", "vendor", "date", "kind", "agenda", "minutes"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["decisions"] = list(self.object.decisions.all())
        ctx["attendees"] = list(self.object.attendees.all())
        ctx["action_items"] = list(
            selectors.action_item_list(user=self.request.user).filter(meeting=self.object)
        )
        ctx.update(_meeting_reports(meeting=self.object, user=self.request.user))
        return ctx


def _meeting_reports(*, meeting: Meeting, user) -> dict:
    """The QBR reports linked to a QBR meeting, and where to request the quarter's one.

    The link is ``reports.QBRReport.meeting``; reports sits above governance in the
    import order, so this reads its reverse relation and reverses its URL by name,
    and shows nothing when the reports app is not installed or mounted. The
    request button is for those who may change the meeting (the reports page
    checks again who may request).
    """
    if meeting.kind != MeetingKind.QBR or not hasattr(meeting, "qbr_reports"):
        return {}
    reports = permissions.restrict(
        meeting.qbr_reports.select_related("vendor").order_by("-requested_at", "-id"), user=user
    )
    request_url = None
    if meeting.vendor_id and permissions.may_change(user=user, obj=meeting):
        with contextlib.suppress(NoReverseMatch):
            request_url = f"{reverse('reports:qbrreport_add')}?meeting={meeting.pk}"
    return {"qbr_meeting": True, "qbr_reports": list(reports), "qbr_request_url": request_url}


class MeetingFormMixin(UserFormMixin):
    def save_through_service(self, *, form, data):
        return super().save_through_service(
            form=form, data={**data, "decisions": form.cleaned_data["decisions"]}
        )


class MeetingCreateView(MeetingFormMixin, MeetingQueryset, ObjectCreateView):
    model = Meeting
    form_class = forms.MeetingForm
    create_service = services.meeting_create


class MeetingUpdateView(MeetingFormMixin, MeetingQueryset, ObjectUpdateView):
    model = Meeting
    form_class = forms.MeetingForm
    update_service = services.meeting_update


class MeetingDeleteView(ObjectDeleteView):
    model = Meeting
    delete_service = services.meeting_delete


class MeetingHistoryView(ObjectHistoryView):
    model = Meeting


# --- Action items -----------------------------------------------------------------------

ActionItemQueryset = _selector_queryset(selectors.action_item_list)


def _is_vendor_user(user) -> bool:
    return permissions.is_vendor_side(user)


class ActionItemListView(ActionItemQueryset, ObjectListView):
    model = ActionItem
    filterset_class = filters.ActionItemFilterSet
    table_class = tables.ActionItemTable

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if _is_vendor_user(self.request.user):
            ctx["can_add"] = False  # representatives update items; they do not add them
        return ctx


class MyActionsView(ActionItemListView):
    """The signed-in user's own action items (a representative: their vendor's)."""

    def base_queryset(self):
        items = super().base_queryset()
        if _is_vendor_user(self.request.user):
            return items
        return items.filter(owner=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "My actions"
        return ctx


class ActionItemDetailView(ActionItemQueryset, ObjectDetailView):
    template_name = "governance/actionitem_detail.html"
    detail_fields = [
        "description",
        "owner",
        "vendor",
        "due_date",
        "priority",
        "status",
        "note",
        "meeting",
        "breach",
        "escalation",
        "risk",
        "finding",
        "completed_at",
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["status_badge"] = tables.action_status_badge(self.object)
        if _is_vendor_user(self.request.user):
            ctx["fields"] = [row for row in ctx["fields"] if row[0] not in ("Escalation", "Risk")]
            ctx["can_delete"] = False
        else:
            ctx["can_delete"] = ctx["can_change"]
        return ctx


class ActionItemCreateView(UserFormMixin, ActionItemQueryset, ObjectCreateView):
    model = ActionItem
    form_class = forms.ActionItemForm
    create_service = services.action_item_create

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and _is_vendor_user(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ActionItemUpdateView(UserFormMixin, ActionItemQueryset, ObjectUpdateView):
    model = ActionItem
    form_class = forms.ActionItemForm
    update_service = services.action_item_update


class ActionItemDeleteView(ObjectDeleteView):
    model = ActionItem
    delete_service = services.action_item_delete

    def get_object(self, queryset=None):
        if _is_vendor_user(self.request.user):
            raise PermissionDenied
        return super().get_object(queryset)


class ActionItemHistoryView(ObjectHistoryView):
    model = ActionItem
