"""Reads of the improvement programme, scoped by ``core.permissions.restrict``.

Two selectors are a contract with the QBR report (keep them stable):
``health_summary(*, vendor, quarter)`` and ``goals_for(*, vendor)``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse

from core import permissions
from improvement import choices, health
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)

TREND_QUARTERS = 4


def assessment_list(*, user, action: str = permissions.VIEW) -> QuerySet[SituationAssessment]:
    qs = SituationAssessment.objects.select_related("vendor", "assessed_by")
    return permissions.restrict(qs, user=user, action=action)


def key_issue_list(*, user, action: str = permissions.VIEW) -> QuerySet[KeyIssue]:
    qs = KeyIssue.objects.select_related("assessment__vendor")
    return permissions.restrict(qs, user=user, action=action)


def goal_list(*, user, action: str = permissions.VIEW) -> QuerySet[Goal]:
    qs = Goal.objects.select_related(
        "vendor", "contract", "owner", "client_agreed_by", "vendor_agreed_by"
    ).prefetch_related("slas")
    return permissions.restrict(qs, user=user, action=action)


def publication_list(*, user, action: str = permissions.VIEW) -> QuerySet[IssueListPublication]:
    qs = IssueListPublication.objects.select_related("vendor", "approved_by", "published_by")
    return permissions.restrict(qs, user=user, action=action)


def health_survey_list(*, user, action: str = permissions.VIEW) -> QuerySet[HealthSurvey]:
    qs = HealthSurvey.objects.select_related("vendor", "answered_by")
    return permissions.restrict(qs, user=user, action=action)


def idea_list(*, user, action: str = permissions.VIEW) -> QuerySet[Idea]:
    qs = Idea.objects.select_related("vendor", "proposer")
    return permissions.restrict(qs, user=user, action=action)


# --- Goals and their progress ---------------------------------------------------------


def latest_results(*, sla_ids: list[int]) -> dict[int, object]:
    """The latest Result of each SLA (one query: DISTINCT ON the SLA)."""
    from slas.models import Result

    if not sla_ids:
        return {}
    rows = (
        Result.objects.filter(sla_id__in=sla_ids)
        .order_by("sla_id", "-period_start")
        .distinct("sla_id")
    )
    return {r.sla_id: r for r in rows}


def goal_progress(goal: Goal, results: dict[int, object]) -> Decimal | None:
    """How far from baseline to target the latest result of a linked SLA has come, in %.

    progress = (actual − baseline) / (target − baseline) × 100, rounded to 1
    decimal half-up, not clamped (past the target reads over 100; worse than
    the baseline reads negative). Taken from the linked SLA in the goal's
    unit whose latest period is the most recent (lowest id among equals);
    None without baseline and target, or without such a result.
    """
    if goal.baseline_value is None or goal.target_value is None:
        return None
    if goal.target_value == goal.baseline_value:
        return None
    candidates = [
        results[s.pk]
        for s in sorted(goal.slas.all(), key=lambda s: s.pk)
        if s.pk in results and (not goal.unit or s.unit == goal.unit)
    ]
    if not candidates:
        return None
    latest = max(candidates, key=lambda r: r.period_start)
    share = (latest.actual - goal.baseline_value) / (goal.target_value - goal.baseline_value)
    return (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def goals_for(*, vendor) -> list[Goal]:
    """A vendor's goals, by target date, each with ``latest_results`` (SLA id → Result)
    and ``progress`` (``goal_progress``). Unscoped: for reports already scoped to the vendor."""
    goals = list(
        Goal.objects.filter(vendor=vendor)
        .select_related("contract", "owner", "client_agreed_by", "vendor_agreed_by")
        .prefetch_related("slas")
        .order_by("target_date", "id")
    )
    results = latest_results(sla_ids=sorted({s.pk for g in goals for s in g.slas.all()}))
    for goal in goals:
        goal.latest_results = {s.pk: results.get(s.pk) for s in goal.slas.all()}
        goal.progress = goal_progress(goal, results)
    return goals


# --- Relationship health --------------------------------------------------------------


def _side_summary(survey: HealthSurvey | None) -> dict | None:
    if survey is None:
        return None
    scores = survey.scores()
    return {"index": health.health_index(scores), "dimensions": scores, "survey_id": survey.pk}


def health_summary(*, vendor, quarter: str) -> dict:
    """The health of a vendor relationship in ``quarter`` and the quarters before it.

    ``{"vendor": id, "quarter", "client": {"index", "dimensions", "survey_id"} | None,
    "vendor_side": … | None, "gap": {"index", "dimensions": {name: int | None}},
    "previous": [{"quarter", "client_index", "vendor_index", "gap"}, …] (oldest first,
    the ``TREND_QUARTERS`` quarters before)}``. Rules: ``improvement.health``.
    """
    quarters = [*health.previous_quarters(quarter, TREND_QUARTERS), quarter]
    vendor_id = getattr(vendor, "pk", vendor)
    surveys = {
        (s.quarter, s.side): s
        for s in HealthSurvey.objects.filter(vendor_id=vendor_id, quarter__in=quarters)
    }
    client = _side_summary(surveys.get((quarter, choices.Side.CLIENT)))
    vendor_side = _side_summary(surveys.get((quarter, choices.Side.VENDOR)))
    dimensions = {
        name: health.gap(
            client["dimensions"][name] if client else None,
            vendor_side["dimensions"][name] if vendor_side else None,
        )
        for name in choices.DIMENSIONS
    }
    previous = []
    for q in quarters[:-1]:
        c = _side_summary(surveys.get((q, choices.Side.CLIENT)))
        v = _side_summary(surveys.get((q, choices.Side.VENDOR)))
        ci, vi = (c or {}).get("index"), (v or {}).get("index")
        previous.append(
            {"quarter": q, "client_index": ci, "vendor_index": vi, "gap": health.gap(ci, vi)}
        )
    return {
        "vendor": vendor_id,
        "quarter": quarter,
        "client": client,
        "vendor_side": vendor_side,
        "gap": {
            "index": health.gap(
                client["index"] if client else None, vendor_side["index"] if vendor_side else None
            ),
            "dimensions": dimensions,
        },
        "previous": previous,
    }


def health_trend(*, vendor, quarters: int = 8) -> list[dict]:
    """Every answered quarter of a vendor (the last ``quarters``), oldest first:
    ``{"quarter", "client_index", "vendor_index", "gap"}``."""
    rows = HealthSurvey.objects.filter(vendor=vendor).order_by("quarter", "side")
    by_quarter: dict[str, dict] = {}
    for survey in rows:
        entry = by_quarter.setdefault(survey.quarter, {"quarter": survey.quarter})
        entry[f"{survey.side}_index"] = health.health_index(survey.scores())
    trend = sorted(by_quarter.values(), key=lambda e: health.quarter_key(e["quarter"]))[-quarters:]
    for entry in trend:
        entry.setdefault("client_index", None)
        entry.setdefault("vendor_index", None)
        entry["gap"] = health.gap(entry["client_index"], entry["vendor_index"])
    return trend


# --- Dashboard ------------------------------------------------------------------------


def dashboard_panels(*, user) -> list[dict]:
    """Goals awaiting agreement, and the widest health gaps of the latest quarter answered."""
    goals = goal_list(user=user).filter(
        Q(vendor_agreed_at__isnull=True) | Q(client_agreed_at__isnull=True)
    )
    count = goals.count()
    waiting = list(goals.order_by("target_date", "id")[:5])
    query = "?agreement=draft&agreement=awaiting_vendor&agreement=awaiting_client"
    panels = [
        {
            "title": "Goals awaiting agreement",
            "count": count,
            "url": reverse("improvement:goal_list") + query,
            "tone": "warn" if count else "ok",
            "rows": [(str(g), g.get_absolute_url(), g.get_agreement_display()) for g in waiting],
        }
    ]
    surveys = health_survey_list(user=user)
    latest = surveys.order_by("-quarter").values_list("quarter", flat=True).first()
    if latest is None:
        return panels
    pairs: dict[int, dict] = {}
    for survey in surveys.filter(quarter=latest):
        entry = pairs.setdefault(survey.vendor_id, {"obj": survey.vendor})
        entry[survey.side] = health.health_index(survey.scores())
    rows = []
    for entry in pairs.values():
        if choices.Side.CLIENT in entry and choices.Side.VENDOR in entry:
            gap = entry[choices.Side.CLIENT] - entry[choices.Side.VENDOR]
            rows.append((abs(gap), entry["obj"], gap))
    rows.sort(key=lambda r: (-r[0], r[1].name))
    panels.append(
        {
            "title": f"Relationship health gap ({latest})",
            "count": len(rows),
            "url": reverse("improvement:healthsurvey_list") + f"?quarter={latest}",
            "tone": "warn" if any(r[0] >= 1 for r in rows) else "ok",
            "rows": [
                (str(v), reverse("improvement:health", args=[v.pk]), f"client − vendor {g:+}")
                for _, v, g in rows[:5]
            ],
        }
    )
    return panels
