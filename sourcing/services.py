"""Writes of the sourcing app: events and their criteria, candidates, proposals, due
diligence, evaluators and scores, the award and the transition in.

Every function is keyword-only, validates through ``full_clean`` (via
``core.services``) and runs in a transaction. The rules:

* **Weights sum to 100**: checked when the set of criteria is saved
  (``criteria_replace``) and when the event is opened for scoring
  (``event_open``); criteria are fixed once scoring opens.
* **Scores** (0–5) are given by an assigned evaluator who has not submitted,
  while the event is open or evaluating; ``evaluator_submit`` ends their blind
  scoring (missing scores stay missing: ``sourcing.scoring``).
* **Award**: refused while a blocking due-diligence item of the winner is open
  on the decision date; the winner's vendor becomes *onboarding*
  (``vendors.services.vendor_update``) and a transition plan is created.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audited
from core.models import User
from core.services import model_create, model_delete, model_update
from sourcing import selectors
from sourcing.choices import CandidateStatus, EventStatus
from sourcing.models import (
    Candidate,
    Criterion,
    DueDiligenceItem,
    EvaluatorAssignment,
    Proposal,
    ReadinessCriterion,
    Score,
    SourcingEvent,
    TransitionPlan,
    TransitionStep,
)

HUNDRED = Decimal(100)
SCORING = (EventStatus.OPEN, EventStatus.EVALUATING)
PROSPECTS = ("prospect", "evaluating")


def _weights_message(total) -> str:
    shown = f"{Decimal(total).normalize():f}"
    return f"The weights must sum to 100; they sum to {shown}."


# --- Events -------------------------------------------------------------------------


@audited("sourcing:event_create")
def event_create(*, actor: User | None = None, data: dict[str, Any]) -> SourcingEvent:
    """Create a sourcing event (as a draft: status moves only through the workflow)."""
    data = {**data, "status": EventStatus.DRAFT}
    for name in ("awarded_candidate", "award_rationale", "awarded_by", "awarded_at"):
        data.pop(name, None)
    return model_create(model=SourcingEvent, data=data)


@audited("sourcing:event_update")
def event_update(
    *, instance: SourcingEvent, actor: User | None = None, data: dict[str, Any]
) -> SourcingEvent:
    """Change an event's title, scope, objectives or decision date (not its status)."""
    data = {k: v for k, v in data.items() if k in ("title", "scope", "objectives", "decision_date")}
    return model_update(instance=instance, data=data)


@audited("sourcing:event_delete")
def event_delete(*, instance: SourcingEvent, actor: User | None = None) -> None:
    """Delete a draft or cancelled event; an awarded one is the record of a decision."""
    if instance.status == EventStatus.AWARDED:
        raise ValidationError(
            {"status": "An awarded event is kept: cancel nothing, delete nothing."}
        )
    model_delete(instance=instance)


@audited("sourcing:event_open")
@transaction.atomic
def event_open(*, event: SourcingEvent, actor: User | None = None) -> SourcingEvent:
    """Open a draft event for proposals and scoring; its weights must sum to 100."""
    event = SourcingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.DRAFT:
        raise ValidationError({"status": "Only a draft event can be opened."})
    total = selectors.weights_total(event=event)
    if total != HUNDRED:
        raise ValidationError({"criteria": _weights_message(total)})
    event.status = EventStatus.OPEN
    event.save(update_fields=["status", "updated_at"])
    event.candidates.filter(status=CandidateStatus.SUBMITTED).update(
        status=CandidateStatus.UNDER_EVALUATION
    )
    return event


@audited("sourcing:event_close_scoring")
def event_close_proposals(*, event: SourcingEvent, actor: User | None = None) -> SourcingEvent:
    """Move an open event to evaluating (no new proposals; scoring goes on)."""
    if event.status != EventStatus.OPEN:
        raise ValidationError({"status": "Only an open event moves to evaluating."})
    event.status = EventStatus.EVALUATING
    event.save(update_fields=["status", "updated_at"])
    return event


@audited("sourcing:event_cancel")
def event_cancel(*, event: SourcingEvent, actor: User | None = None) -> SourcingEvent:
    """Cancel an event that is not awarded."""
    if event.status in (EventStatus.AWARDED, EventStatus.CANCELLED):
        raise ValidationError({"status": f"A {event.get_status_display().lower()} event stays so."})
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    return event


# --- Criteria -----------------------------------------------------------------------


def _editable(event: SourcingEvent) -> None:
    if event.status != EventStatus.DRAFT:
        raise ValidationError({"event": "Criteria are fixed once the event is opened."})


@audited("sourcing:criterion_create")
def criterion_create(*, actor: User | None = None, data: dict[str, Any]) -> Criterion:
    """Add a criterion to a draft event (the sum is checked when the event opens)."""
    event = data.get("event")
    if event is not None:
        # Read the status from the database: the caller's instance may be stale.
        _editable(SourcingEvent.objects.get(pk=getattr(event, "pk", event)))
    return model_create(model=Criterion, data=data)


@audited("sourcing:criterion_update")
def criterion_update(
    *, instance: Criterion, actor: User | None = None, data: dict[str, Any]
) -> Criterion:
    _editable(SourcingEvent.objects.get(pk=instance.event_id))
    data.pop("event", None)
    return model_update(instance=instance, data=data)


@audited("sourcing:criterion_delete")
def criterion_delete(*, instance: Criterion, actor: User | None = None) -> None:
    _editable(instance.event)
    model_delete(instance=instance)


@audited("sourcing:criteria_replace")
@transaction.atomic
def criteria_replace(
    *, event: SourcingEvent, actor: User | None = None, rows: list[dict[str, Any]]
) -> list[Criterion]:
    """Save the whole set of an event's criteria (name, weight); refused unless they sum to 100."""
    _editable(event)
    total = Decimal(0)
    for row in rows:
        try:
            total += Decimal(str(row.get("weight")))
        except (InvalidOperation, TypeError):
            raise ValidationError({"weight": f"{row.get('weight')!r} is not a number."}) from None
    if total != HUNDRED:
        raise ValidationError({"criteria": _weights_message(total)})
    event.criteria.all().delete()
    return [
        model_create(
            model=Criterion,
            data={"event": event, "name": row.get("name", ""), "weight": row["weight"], "order": i},
        )
        for i, row in enumerate(rows, start=1)
    ]


# --- Candidates, proposals, due diligence ----------------------------------------------


@audited("sourcing:candidate_create")
def candidate_create(*, actor: User | None = None, data: dict[str, Any]) -> Candidate:
    """Invite a vendor to an event: a prospect or a vendor being evaluated."""
    from vendors.models import Vendor

    vendor = data.get("vendor")
    if vendor is not None and not isinstance(vendor, Vendor):
        vendor = Vendor.objects.filter(pk=vendor).first()
    if vendor is not None and vendor.status not in PROSPECTS:
        raise ValidationError(
            {"vendor": "A candidate is a vendor with status prospect or evaluating."}
        )
    return model_create(model=Candidate, data={**data, "status": CandidateStatus.INVITED})


@audited("sourcing:candidate_update")
def candidate_update(
    *, instance: Candidate, actor: User | None = None, data: dict[str, Any]
) -> Candidate:
    """Withdraw a candidate or correct it; the award sets awarded / not selected."""
    return model_update(instance=instance, data={k: v for k, v in data.items() if k == "status"})


@audited("sourcing:candidate_delete")
def candidate_delete(*, instance: Candidate, actor: User | None = None) -> None:
    model_delete(instance=instance)


DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".docx", ".xlsx", ".pptx", ".zip", ".txt"})


def _clean_document(data: dict[str, Any]) -> dict[str, Any]:
    """Refuse a proposal document of another type or above 20 MB (naming ``document``)."""
    from core.evidence import clean_upload

    return clean_upload(
        data, field="document", extensions=DOCUMENT_EXTENSIONS, max_bytes=DOCUMENT_MAX_BYTES
    )


@audited("sourcing:proposal_create")
@transaction.atomic
def proposal_create(*, actor: User | None = None, data: dict[str, Any]) -> Proposal:
    """Record a candidate's proposal; the candidate's status becomes submitted."""
    proposal = model_create(model=Proposal, data=_clean_document(data))
    candidate = proposal.candidate
    if candidate.status == CandidateStatus.INVITED:
        candidate.status = (
            CandidateStatus.UNDER_EVALUATION
            if candidate.event.status in SCORING
            else CandidateStatus.SUBMITTED
        )
        candidate.save(update_fields=["status", "updated_at"])
    return proposal


@audited("sourcing:proposal_update")
def proposal_update(
    *, instance: Proposal, actor: User | None = None, data: dict[str, Any]
) -> Proposal:
    data.pop("candidate", None)
    return model_update(instance=instance, data=_clean_document(data))


@audited("sourcing:proposal_delete")
def proposal_delete(*, instance: Proposal, actor: User | None = None) -> None:
    model_delete(instance=instance)


@audited("sourcing:due_diligence_create")
def due_diligence_create(*, actor: User | None = None, data: dict[str, Any]) -> DueDiligenceItem:
    return model_create(model=DueDiligenceItem, data=data)


@audited("sourcing:due_diligence_update")
def due_diligence_update(
    *, instance: DueDiligenceItem, actor: User | None = None, data: dict[str, Any]
) -> DueDiligenceItem:
    return model_update(instance=instance, data=data)


@audited("sourcing:due_diligence_delete")
def due_diligence_delete(*, instance: DueDiligenceItem, actor: User | None = None) -> None:
    model_delete(instance=instance)


# --- Evaluators and scores ------------------------------------------------------------


@audited("sourcing:evaluator_assign")
def evaluator_assign(*, actor: User | None = None, data: dict[str, Any]) -> EvaluatorAssignment:
    """Assign an evaluator to an event."""
    data = {k: v for k, v in data.items() if k in ("event", "evaluator")}
    return model_create(model=EvaluatorAssignment, data=data)


@audited("sourcing:evaluator_remove")
def evaluator_remove(*, instance: EvaluatorAssignment, actor: User | None = None) -> None:
    """Remove an evaluator who has not scored yet."""
    if Score.objects.filter(
        evaluator_id=instance.evaluator_id, proposal__candidate__event_id=instance.event_id
    ).exists():
        raise ValidationError({"evaluator": "This evaluator has scored: their scores are kept."})
    model_delete(instance=instance)


@audited("sourcing:evaluator_submit")
def evaluator_submit(*, event: SourcingEvent, actor: User) -> EvaluatorAssignment:
    """The evaluator ``actor`` submits their scores: they count from now and are fixed."""
    assignment = EvaluatorAssignment.objects.filter(event=event, evaluator=actor).first()
    if assignment is None:
        raise ValidationError({"evaluator": "You are not an evaluator of this event."})
    if assignment.submitted_at is not None:
        raise ValidationError({"evaluator": "You have already submitted your scores."})
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at", "updated_at"])
    return assignment


def _score_check(*, evaluator, proposal: Proposal, criterion: Criterion) -> None:
    event = proposal.candidate.event
    errors = {}
    if criterion.event_id != event.pk:
        errors["criterion"] = "This criterion belongs to another event."
    if event.status not in SCORING:
        errors["proposal"] = "Scores are given while the event is open or evaluating."
    assignment = EvaluatorAssignment.objects.filter(event=event, evaluator=evaluator).first()
    if assignment is None:
        errors["evaluator"] = "Only an evaluator of the event gives scores."
    elif assignment.submitted_at is not None:
        errors["evaluator"] = "Submitted scores are fixed."
    if errors:
        raise ValidationError(errors)


@audited("sourcing:score_set")
@transaction.atomic
def score_set(
    *, actor: User, proposal: Proposal, criterion: Criterion, score: int, comment: str = ""
) -> Score:
    """Give (or change) ``actor``'s score of a proposal on a criterion."""
    _score_check(evaluator=actor, proposal=proposal, criterion=criterion)
    existing = Score.objects.filter(evaluator=actor, proposal=proposal, criterion=criterion).first()
    data = {
        "evaluator": actor,
        "proposal": proposal,
        "criterion": criterion,
        "score": score,
        "comment": comment,
    }
    if existing is not None:
        return model_update(instance=existing, data=data)
    return model_create(model=Score, data=data)


@audited("sourcing:score_create")
def score_create(*, actor: User, data: dict[str, Any]) -> Score:
    """The API's create: the evaluator is the actor."""
    return score_set(
        actor=actor,
        proposal=data["proposal"],
        criterion=data["criterion"],
        score=data["score"],
        comment=data.get("comment", ""),
    )


@audited("sourcing:score_update")
def score_update(*, instance: Score, actor: User, data: dict[str, Any]) -> Score:
    if instance.evaluator_id != actor.pk:
        raise ValidationError({"evaluator": "Only the evaluator changes their score."})
    return score_set(
        actor=actor,
        proposal=instance.proposal,
        criterion=instance.criterion,
        score=data.get("score", instance.score),
        comment=data.get("comment", instance.comment),
    )


@audited("sourcing:score_delete")
def score_delete(*, instance: Score, actor: User) -> None:
    if instance.evaluator_id != actor.pk:
        raise ValidationError({"evaluator": "Only the evaluator removes their score."})
    _score_check(evaluator=actor, proposal=instance.proposal, criterion=instance.criterion)
    model_delete(instance=instance)


# --- Award and transition in ----------------------------------------------------------


@audited("sourcing:event_award")
@transaction.atomic
def event_award(
    *, event: SourcingEvent, candidate: Candidate, rationale: str, actor: User | None = None
) -> TransitionPlan:
    """Award the event to ``candidate`` with a rationale; return the transition plan.

    Refused (``ValidationError`` naming the field) when the event is not open or
    evaluating, the candidate is not the event's, the rationale is empty, or a
    blocking due-diligence item of the candidate is open on the decision date.
    The vendor becomes onboarding; the others are not selected.
    """
    from vendors import services as vendor_services
    from vendors.choices import VendorStatus

    event = SourcingEvent.objects.select_for_update().get(pk=event.pk)
    errors: dict[str, str] = {}
    if event.status not in SCORING:
        errors["status"] = "Only an open or evaluating event can be awarded."
    if candidate.event_id != event.pk:
        errors["candidate"] = "This candidate is not part of the event."
    if not (rationale or "").strip():
        errors["award_rationale"] = "Give the rationale of the award."
    if not errors:
        blocking = selectors.blocking_items_open(candidate=candidate)
        if blocking:
            names = ", ".join(item.get_kind_display() for item in blocking)
            errors["candidate"] = f"Blocking due diligence is open for this candidate: {names}."
    if errors:
        raise ValidationError(errors)
    event.status = EventStatus.AWARDED
    event.awarded_candidate = candidate
    event.award_rationale = rationale.strip()
    event.awarded_by = actor if getattr(actor, "pk", None) else None
    event.awarded_at = timezone.now()
    event.save()
    event.candidates.exclude(pk=candidate.pk).exclude(status=CandidateStatus.WITHDRAWN).update(
        status=CandidateStatus.NOT_SELECTED
    )
    Candidate.objects.filter(pk=candidate.pk).update(status=CandidateStatus.AWARDED)
    vendor = candidate.vendor
    vendor_services.vendor_update(
        instance=vendor, actor=actor, data={"status": VendorStatus.ONBOARDING}
    )
    return model_create(
        model=TransitionPlan,
        data={"event": event, "vendor": vendor, "summary": event.award_rationale},
    )


@audited("sourcing:transition_plan_update")
def transition_plan_update(
    *, instance: TransitionPlan, actor: User | None = None, data: dict[str, Any]
) -> TransitionPlan:
    data = {k: v for k, v in data.items() if k in ("summary", "knowledge_transfer", "go_live_date")}
    return model_update(instance=instance, data=data)


@audited("sourcing:transition_step_create")
def transition_step_create(*, actor: User | None = None, data: dict[str, Any]) -> TransitionStep:
    return model_create(model=TransitionStep, data=data)


@audited("sourcing:transition_step_update")
def transition_step_update(
    *, instance: TransitionStep, actor: User | None = None, data: dict[str, Any]
) -> TransitionStep:
    return model_update(instance=instance, data=data)


@audited("sourcing:transition_step_delete")
def transition_step_delete(*, instance: TransitionStep, actor: User | None = None) -> None:
    model_delete(instance=instance)


@audited("sourcing:readiness_create")
def readiness_create(*, actor: User | None = None, data: dict[str, Any]) -> ReadinessCriterion:
    return model_create(model=ReadinessCriterion, data=data)


@audited("sourcing:readiness_update")
def readiness_update(
    *, instance: ReadinessCriterion, actor: User | None = None, data: dict[str, Any]
) -> ReadinessCriterion:
    return model_update(instance=instance, data=data)


@audited("sourcing:readiness_delete")
def readiness_delete(*, instance: ReadinessCriterion, actor: User | None = None) -> None:
    model_delete(instance=instance)


# --- The printable evaluation summary ---------------------------------------------------

SUMMARY_TASK = "sourcing.tasks.render_evaluation_summary_task"


@audited("sourcing:evaluation_summary_request")
@transaction.atomic
def evaluation_summary_request(*, event: SourcingEvent, actor: User | None = None):
    """Queue the rendering of the event's PDF evaluation summary; return its job run.

    The run is created in this transaction and sent once it commits
    (``core.dispatch``): with the broker down the run waits and is sent later.
    """
    from core.dispatch import dispatch_after_commit
    from core.services import task_run_create

    run = task_run_create(
        kind="evaluation_summary", requested_by=actor, total=1, message=str(event)
    )
    SourcingEvent.objects.filter(pk=event.pk).update(summary_run=run)
    from django.conf import settings

    # A queue of its own when configured (a test's private worker); else the default.
    queue = getattr(settings, "SOURCING_SUMMARY_QUEUE", None)
    dispatch_after_commit(
        run=run,
        task_name=SUMMARY_TASK,
        args=[run.pk, event.pk],
        options={"queue": queue} if queue else {},
    )
    return run


def evaluation_summary_render(*, run_id: int, event_id: int) -> None:
    """Render the summary with ``core.pdf`` (its safe URL fetcher) and store it on the event.

    Safe to run twice: a second run renders and replaces the same file.
    """
    from django.core.files.base import ContentFile
    from django.template.loader import render_to_string

    from core.pdf import render_pdf
    from core.services import task_run_update

    task_run_update(run_id=run_id, status="running")
    event = SourcingEvent.objects.get(pk=event_id)
    html = render_to_string(
        "sourcing/evaluation_summary_pdf.html",
        {
            "event": event,
            "criteria": list(event.criteria.all()),
            "ranking": selectors.event_ranking(event=event),
            "evaluators": list(
                event.evaluators.select_related("evaluator").filter(submitted_at__isnull=False)
            ),
            "generated_at": timezone.now(),
        },
    )
    pdf = render_pdf(html)
    if event.summary_pdf:
        event.summary_pdf.delete(save=False)
    event.summary_pdf.save(f"evaluation-summary-{event.pk}.pdf", ContentFile(pdf), save=False)
    SourcingEvent.objects.filter(pk=event.pk).update(summary_pdf=event.summary_pdf.name)
    task_run_update(run_id=run_id, status="done", done=1, result={"event": event.pk})
