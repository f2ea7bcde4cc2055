"""Reads of the sourcing app: scoped lists, the blind score rule, due diligence, the ranking.

Every list starts from ``core.permissions.restrict``. Scores are blind
(``score_list``): an evaluator sees their own scores; anyone else's only once
that evaluator has submitted — and an evaluator of the same event only once
they have submitted themselves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.permissions import VIEW, restrict
from sourcing import choices, scoring
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


def event_list(*, user, action: str = VIEW) -> QuerySet[SourcingEvent]:
    """The sourcing events ``user`` may see (never a vendor representative)."""
    qs = SourcingEvent.objects.select_related("awarded_candidate__vendor", "awarded_by")
    return restrict(qs, user=user, action=action).distinct()


def criterion_list(*, user, action: str = VIEW) -> QuerySet[Criterion]:
    return restrict(Criterion.objects.select_related("event"), user=user, action=action).distinct()


def candidate_list(*, user, action: str = VIEW) -> QuerySet[Candidate]:
    return restrict(Candidate.objects.select_related("event", "vendor"), user=user, action=action)


def proposal_list(*, user, action: str = VIEW) -> QuerySet[Proposal]:
    """Proposals: the office sees all; a vendor representative its own vendor's only."""
    return restrict(
        Proposal.objects.select_related("candidate__event", "candidate__vendor"),
        user=user,
        action=action,
    )


def due_diligence_list(*, user, action: str = VIEW) -> QuerySet[DueDiligenceItem]:
    return restrict(
        DueDiligenceItem.objects.select_related("candidate__event", "candidate__vendor"),
        user=user,
        action=action,
    )


def evaluator_list(*, user, action: str = VIEW) -> QuerySet[EvaluatorAssignment]:
    return restrict(
        EvaluatorAssignment.objects.select_related("event", "evaluator"), user=user, action=action
    ).distinct()


def score_list(*, user, action: str = VIEW) -> QuerySet[Score]:
    """Scores ``user`` may see under the blind rule (module docstring)."""
    qs = restrict(
        Score.objects.select_related(
            "evaluator", "criterion", "proposal__candidate__vendor", "proposal__candidate__event"
        ),
        user=user,
        action=action,
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    event = OuterRef("proposal__candidate__event")
    author_submitted = EvaluatorAssignment.objects.filter(
        event=event, evaluator=OuterRef("evaluator"), submitted_at__isnull=False
    )
    user_is_evaluator = EvaluatorAssignment.objects.filter(event=event, evaluator=user)
    user_submitted = user_is_evaluator.filter(submitted_at__isnull=False)
    return qs.filter(
        Q(evaluator=user)
        | (Exists(author_submitted) & (~Exists(user_is_evaluator) | Exists(user_submitted)))
    )


def transition_plan_list(*, user, action: str = VIEW) -> QuerySet[TransitionPlan]:
    return restrict(
        TransitionPlan.objects.select_related("vendor", "event"), user=user, action=action
    )


def transition_step_list(*, user, action: str = VIEW) -> QuerySet[TransitionStep]:
    return restrict(TransitionStep.objects.select_related("plan__vendor"), user=user, action=action)


def readiness_list(*, user, action: str = VIEW) -> QuerySet[ReadinessCriterion]:
    return restrict(
        ReadinessCriterion.objects.select_related("plan__vendor"), user=user, action=action
    )


# --- Weights, due diligence ---------------------------------------------------------


def weights_total(*, event: SourcingEvent):
    """The sum of the event's criterion weights (100 before scoring may open)."""
    return sum((c.weight for c in event.criteria.all()), 0)


def item_cleared(*, item: DueDiligenceItem, on: date | None) -> bool:
    """Is a due-diligence item cleared?

    Certification kinds: the vendor holds a certification of that kind valid on
    ``on`` (the event's decision date, else today): issued on or before it
    (or no issue date) and expiring on or after it (or no expiry); for CMMI at
    level ≥ ``cmmi_min_level``. A waived item is cleared too. Other kinds:
    passed or waived.
    """
    if item.status == choices.DueDiligenceStatus.WAIVED:
        return True
    kinds = choices.CERTIFICATION_KINDS.get(item.kind)
    if kinds is None:
        return item.status == choices.DueDiligenceStatus.PASSED
    from vendors.models import Certification

    on = on or timezone.localdate()
    held = Certification.objects.filter(
        vendor_id=item.candidate.vendor_id,
        kind__in=kinds,
    ).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=on),
        Q(expires_on__isnull=True) | Q(expires_on__gte=on),
    )
    if item.kind == choices.DueDiligenceKind.CMMI:
        held = held.filter(cmmi_level__gte=item.cmmi_min_level or 1)
    return held.exists()


def blocking_items_open(*, candidate: Candidate) -> list[DueDiligenceItem]:
    """The candidate's blocking due-diligence items not cleared on the decision date."""
    on = candidate.event.decision_date
    items = candidate.due_diligence.select_related("candidate").filter(blocking=True)
    return [item for item in items if not item_cleared(item=item, on=on)]


# --- Ranking ------------------------------------------------------------------------


def event_ranking(*, event: SourcingEvent) -> list[scoring.CandidateResult]:
    """The event's candidates ranked by the rule of ``sourcing.scoring``.

    Counts the scores of evaluators who have submitted; four queries.
    """
    weights = {c.pk: c.weight for c in event.criteria.all()}
    evaluators = {
        a.evaluator_id: a.evaluator.display_name
        for a in event.evaluators.select_related("evaluator").filter(submitted_at__isnull=False)
    }
    scores: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for row in Score.objects.filter(
        proposal__candidate__event=event, evaluator_id__in=list(evaluators)
    ).values("proposal__candidate_id", "evaluator_id", "criterion_id", "score"):
        key = (row["proposal__candidate_id"], row["evaluator_id"])
        scores[key][row["criterion_id"]] = row["score"]
    candidates = list(event.candidates.select_related("vendor", "proposal"))
    return scoring.rank(
        candidates=candidates, weights=weights, evaluators=evaluators, scores=scores
    )


def transition_progress(*, plan: TransitionPlan) -> dict:
    """Steps done of all, readiness criteria met of all, and whether it is go."""
    steps = list(plan.steps.all())
    readiness = list(plan.readiness.all())
    done = sum(1 for s in steps if s.status == choices.StepStatus.DONE)
    met = sum(1 for r in readiness if r.met)
    return {
        "steps": steps,
        "readiness": readiness,
        "steps_done": done,
        "steps_total": len(steps),
        "percent": round(done * 100 / len(steps)) if steps else 0,
        "readiness_met": met,
        "readiness_total": len(readiness),
        "go": bool(readiness) and met == len(readiness),
    }


def vendor_transition(*, user, vendor) -> dict | None:
    """The vendor's transition in while it is onboarding (None once active or without one)."""
    from vendors.choices import VendorStatus

    if vendor.status not in (VendorStatus.ONBOARDING,):
        return None
    plan = (
        transition_plan_list(user=user)
        .filter(vendor=vendor)
        .prefetch_related("steps", "readiness")
        .order_by("-created_at")
        .first()
    )
    if plan is None:
        return None
    return {"plan": plan, **transition_progress(plan=plan)}
