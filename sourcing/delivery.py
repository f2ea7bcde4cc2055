"""Did the selection criteria predict the outcome? A winner's scores beside its delivery.

* **Selection**: the awarded event, the winner's average weighted total and
  rank (``sourcing.scoring``) and its average score per criterion (0–5, the
  submitted evaluators' scores, mean rounded half up to 2 places).
* **Delivery** since the award: **attainment** = SLA results not breached /
  all SLA results of the vendor's contracts (a percentage, 1 place);
  **breaches** counted (withdrawn ones left out); **credits** = the sum of the
  net credits of its credit statements (``slas.credits``); open **risks**
  (open or mitigating); **health** = the latest client-side relationship
  health index (``improvement.health``).
* Across vendors (``criterion_weight_vs_delivery``): per criterion name, the
  events that used it, its mean weight, the winners' mean score on it, and
  the mean attainment of those winners — so the next event can weigh what
  predicted delivery.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q

from core.permissions import restrict
from sourcing import selectors
from sourcing.choices import EventStatus
from sourcing.models import Score, SourcingEvent

CENT = Decimal("0.01")


def _q(value, places=CENT):
    return None if value is None else Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def delivery(*, user, vendor, since=None) -> dict:
    """The vendor's delivery figures (module docstring), as ``user`` may see them."""
    from improvement.models import HealthSurvey
    from risks.models import Risk
    from slas.models import Result
    from slas.selectors import breach_list, credit_statements

    results = restrict(Result.objects.all(), user=user).filter(
        sla__contract__vendor=vendor, sla__kind="sla"
    )
    if since is not None:
        results = results.filter(period_start__gte=since)
    counts = results.aggregate(total=Count("id"), breached=Count("id", filter=Q(status="breached")))
    attainment = (
        _q(Decimal(counts["total"] - counts["breached"]) * 100 / counts["total"], Decimal("0.1"))
        if counts["total"]
        else None
    )
    breaches = (
        breach_list(user=user).filter(sla__contract__vendor=vendor).exclude(status="withdrawn")
    )
    statements = credit_statements(user=user, vendor=vendor, month_from=since)
    if since is not None:
        breaches = breaches.filter(period_start__gte=since)
    survey = (
        restrict(HealthSurvey.objects.all(), user=user)
        .filter(vendor=vendor, side="client")
        .order_by("-quarter")
        .first()
    )
    from improvement import health

    return {
        "attainment": attainment,
        "results": counts["total"],
        "breaches": breaches.count(),
        "credits": sum((row["net_credit"] or 0 for row in statements), Decimal("0.00")),
        "risks": restrict(Risk.objects.all(), user=user)
        .filter(vendor=vendor, status__in=("open", "mitigating"))
        .count(),
        "health": health.health_index(survey.scores()) if survey else None,
    }


def selection(*, event: SourcingEvent, candidate) -> dict:
    """The candidate's rank, average and mean score per criterion in ``event``."""
    result = next(
        (r for r in selectors.event_ranking(event=event) if r.candidate.pk == candidate.pk), None
    )
    submitted = event.evaluators.filter(submitted_at__isnull=False).values("evaluator_id")
    means = {
        row["criterion_id"]: row["mean"]
        for row in Score.objects.filter(proposal__candidate=candidate, evaluator_id__in=submitted)
        .values("criterion_id")
        .annotate(mean=Avg("score"))
    }
    return {
        "event": event,
        "rank": result.rank if result else None,
        "average": result.average if result else None,
        "criteria": [(c, _q(means.get(c.pk))) for c in event.criteria.all()],
    }


def vendor_selection_vs_delivery(*, user, vendor) -> dict | None:
    """The vendor's award (the latest) with its selection and delivery since the award."""
    if not restrict(SourcingEvent.objects.all(), user=user).exists():
        return None  # vendor representatives never see selection scores
    event = (
        SourcingEvent.objects.filter(status=EventStatus.AWARDED, awarded_candidate__vendor=vendor)
        .select_related("awarded_candidate")
        .order_by("-awarded_at", "-id")
        .first()
    )
    if event is None:
        return None
    since = event.decision_date
    return {
        **selection(event=event, candidate=event.awarded_candidate),
        "delivery": delivery(user=user, vendor=vendor, since=since),
    }


def criterion_weight_vs_delivery(*, user) -> dict:
    """Per-vendor rows and per-criterion rows across awarded events (module docstring)."""
    events = list(
        selectors.event_list(user=user)
        .filter(status=EventStatus.AWARDED)
        .select_related("awarded_candidate__vendor")
        .prefetch_related("criteria")
    )
    vendors = []
    by_name: dict[str, dict] = defaultdict(
        lambda: {"events": 0, "weights": [], "scores": [], "attainments": []}
    )
    for event in events:
        vendor = event.awarded_candidate.vendor
        picked = selection(event=event, candidate=event.awarded_candidate)
        done = delivery(user=user, vendor=vendor, since=event.decision_date)
        vendors.append({"vendor": vendor, **picked, "delivery": done})
        for criterion, mean in picked["criteria"]:
            row = by_name[criterion.name]
            row["events"] += 1
            row["weights"].append(criterion.weight)
            if mean is not None:
                row["scores"].append(mean)
            if done["attainment"] is not None:
                row["attainments"].append(done["attainment"])

    def mean(values):
        return _q(sum(values, Decimal(0)) / len(values)) if values else None

    criteria = [
        {
            "name": name,
            "events": row["events"],
            "weight": mean(row["weights"]),
            "winner_score": mean(row["scores"]),
            "attainment": mean(row["attainments"]),
        }
        for name, row in sorted(by_name.items())
    ]
    return {"vendors": vendors, "criteria": criteria}
