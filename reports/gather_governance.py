"""The QBR sections whose data lives in governance/, risks/ and improvement/.

Each section says ``{"tracked": False}`` when its app or model is not (yet)
part of the installation, and the report prints "Not tracked yet" for it:
a missing register is not the same as an empty one. The queries are written
here against the owning apps' models (read-only) so the report depends on
nothing but their tables.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db.models import Q

from reports import quarters

NOT_TRACKED: dict[str, Any] = {"tracked": False}
RISK_BANDS_SHOWN = ("high", "critical")


def _model(label: str):
    """The model ``app.Model`` when that app is installed and defines it, else None."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def sections(*, vendor, quarter: str, internal: bool, now: datetime) -> dict[str, Any]:
    """Escalations, decisions, actions, risks, goals, ideas and health for the report."""
    today = now.date()
    return {
        "escalations": _escalations(vendor=vendor, quarter=quarter),
        "decisions": _decisions(vendor=vendor, quarter=quarter),
        "actions": _actions(vendor=vendor, quarter=quarter, today=today),
        "risks": _risks(vendor=vendor) if internal else None,
        "goals": _goals(vendor=vendor, quarter=quarter),
        "ideas": _ideas(vendor=vendor, quarter=quarter),
        "health": _health(vendor=vendor, quarter=quarter),
    }


def looking_ahead(*, vendor, quarter: str, internal: bool) -> dict[str, Any]:
    """Goals due, risk reviews due (internal) and ideas in the pipeline, next two quarters."""
    start = quarters.bounds(quarters.shift(quarter, 1))[0]
    end = quarters.bounds(quarters.shift(quarter, 2))[1]
    ahead: dict[str, Any] = {}
    risk = _model("risks.Risk")
    if internal:
        if risk is None:
            ahead["reviews_due"] = NOT_TRACKED
        else:
            from risks.choices import OPEN_STATUSES

            rows = risk.objects.filter(
                vendor=vendor,
                status__in=OPEN_STATUSES,
                next_review__gte=start,
                next_review__lte=end,
            ).order_by("next_review", "title")
            ahead["reviews_due"] = {
                "tracked": True,
                "items": [{"title": r.title, "date": r.next_review.isoformat()} for r in rows],
            }
    goal = _model("improvement.ImprovementGoal") or _model("improvement.Goal")
    if goal is None or not _has(goal, "due_date"):
        ahead["goals_due"] = NOT_TRACKED
    else:
        rows = goal.objects.filter(vendor=vendor, due_date__gte=start, due_date__lte=end)
        ahead["goals_due"] = {
            "tracked": True,
            "items": [
                {"title": str(g), "date": g.due_date.isoformat()} for g in rows.order_by("due_date")
            ],
        }
    idea = _model("improvement.Idea")
    if idea is None or not _has(idea, "status"):
        ahead["ideas_pipeline"] = NOT_TRACKED
    else:
        rows = idea.objects.filter(vendor=vendor, status__in=("proposed", "approved"))
        ahead["ideas_pipeline"] = {
            "tracked": True,
            "items": [
                {"title": str(i), "status": i.get_status_display()} for i in rows.order_by("pk")
            ],
        }
    return ahead


def _has(model, field: str) -> bool:
    return any(f.name == field for f in model._meta.get_fields())


def _escalations(*, vendor, quarter: str) -> dict[str, Any]:
    """Escalations live at some time in the quarter, with their timelines; open ones now."""
    model = _model("governance.Escalation")
    if model is None:
        return NOT_TRACKED
    start, end = quarters.bounds(quarter)
    rows = list(
        model.objects.filter(vendor=vendor, opened_at__date__lte=end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__date__gte=start))
        .prefetch_related("events", "events__by")
        .order_by("opened_at", "id")
    )
    items = []
    for e in rows:
        items.append(
            {
                "title": e.title,
                "level": e.level,
                "status": e.get_status_display(),
                "status_code": e.status,
                "overdue": e.overdue,
                "opened_at": e.opened_at.isoformat(),
                "due_at": e.due_at.isoformat(),
                "events": [
                    {
                        "at": ev.at.isoformat(),
                        "kind": ev.get_kind_display(),
                        "level": ev.level,
                        "by": _name(ev.by),
                    }
                    for ev in e.events.all()
                ],
            }
        )
    open_rows = [i for i in items if i["status_code"] != "resolved"]
    return {
        "tracked": True,
        "items": items,
        "open": len(open_rows),
        "by_level": dict(sorted(Counter(f"level {i['level']}" for i in open_rows).items())),
        "acknowledged": sum(1 for i in open_rows if i["status_code"] == "acknowledged"),
        "overdue": sum(1 for i in open_rows if i["overdue"]),
    }


def _decisions(*, vendor, quarter: str) -> dict[str, Any]:
    model = _model("governance.Decision")
    if model is None:
        return NOT_TRACKED
    start, end = quarters.bounds(quarter)
    rows = (
        model.objects.filter(
            meeting__vendor=vendor, meeting__date__gte=start, meeting__date__lte=end
        )
        .select_related("meeting", "meeting__forum")
        .order_by("meeting__date", "decided_at", "id")
    )
    return {
        "tracked": True,
        "items": [
            {
                "meeting": str(d.meeting),
                "forum": str(d.meeting.forum),
                "date": d.meeting.date.isoformat(),
                "text": d.text,
            }
            for d in rows
        ],
    }


def _actions(*, vendor, quarter: str, today: date) -> dict[str, Any]:
    """Action items opened and closed in the quarter; overdue ones as of today."""
    model = _model("governance.ActionItem")
    if model is None:
        return NOT_TRACKED
    start, end = quarters.bounds(quarter)
    base = model.objects.filter(vendor=vendor).select_related("owner")

    def row(a) -> dict[str, Any]:
        return {
            "title": a.title,
            "owner": _name(a.owner),
            "due_date": a.due_date.isoformat(),
            "priority": a.get_priority_display(),
            "status": a.get_status_display(),
        }

    opened = base.filter(created_at__date__gte=start, created_at__date__lte=end)
    closed = base.filter(status="done", completed_at__date__gte=start, completed_at__date__lte=end)
    overdue = base.filter(status__in=("open", "in_progress"), due_date__lt=today)
    return {
        "tracked": True,
        "opened": [row(a) for a in opened.order_by("created_at", "id")],
        "closed": [row(a) for a in closed.order_by("completed_at", "id")],
        "overdue": [row(a) for a in overdue.order_by("due_date", "id")],
    }


def _risks(*, vendor) -> dict[str, Any]:
    """Open risks: the high and critical ones (by residual score) and the residual heat map."""
    model = _model("risks.Risk")
    if model is None:
        return NOT_TRACKED
    from risks import rules
    from risks.choices import OPEN_STATUSES

    rows = list(
        model.objects.filter(vendor=vendor, status__in=OPEN_STATUSES)
        .select_related("owner")
        .order_by("title", "id")
    )
    grid = [[0] * 5 for _ in range(5)]  # [likelihood-1][impact-1]
    high = []
    for r in rows:
        lik = r.residual_likelihood or r.likelihood
        imp = r.residual_impact or r.impact
        if lik and imp:
            grid[lik - 1][imp - 1] += 1
        score = lik * imp if lik and imp else None
        band = rules.rating(score)
        if band in RISK_BANDS_SHOWN:
            high.append(
                {
                    "title": r.title,
                    "category": r.get_category_display(),
                    "score": score,
                    "rating": band,
                    "treatment": r.get_treatment_display(),
                    "owner": _name(r.owner),
                    "status": r.get_status_display(),
                }
            )
    high.sort(key=lambda h: (-h["score"], h["title"]))
    return {"tracked": True, "open": len(rows), "high_critical": high, "heatmap": grid}


def _goals(*, vendor, quarter: str) -> dict[str, Any]:
    model = _model("improvement.ImprovementGoal") or _model("improvement.Goal")
    if model is None:
        return NOT_TRACKED
    items = []
    for g in model.objects.filter(vendor=vendor).order_by("pk"):
        items.append(
            {
                "title": str(g),
                "due_date": g.due_date.isoformat() if getattr(g, "due_date", None) else None,
                "client_agreed": bool(getattr(g, "client_agreed_at", None)),
                "vendor_agreed": bool(getattr(g, "vendor_agreed_at", None)),
                "status": g.get_status_display() if hasattr(g, "get_status_display") else "",
            }
        )
    return {"tracked": True, "items": items}


def _ideas(*, vendor, quarter: str) -> dict[str, Any]:
    model = _model("improvement.Idea")
    if model is None:
        return NOT_TRACKED
    start, end = quarters.bounds(quarter)
    rows = model.objects.filter(vendor=vendor, status="implemented")
    if _has(model, "implemented_on"):
        rows = rows.filter(implemented_on__gte=start, implemented_on__lte=end)
    return {
        "tracked": True,
        "items": [
            {
                "title": str(i),
                "realised_benefit": str(getattr(i, "realised_benefit", "") or ""),
            }
            for i in rows.order_by("pk")
        ],
    }


def _health(*, vendor, quarter: str) -> dict[str, Any]:
    """Relationship health per side and dimension; filled in once improvement/ has surveys."""
    try:
        from improvement.selectors import health_summary
    except ImportError:
        return NOT_TRACKED
    return {"tracked": True, **_plain(health_summary(vendor=vendor, quarter=quarter))}


def _plain(value):
    """A selector's answer as plain JSON (decimals and dates as strings)."""
    from decimal import Decimal

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return _plain(asdict(value))
    return value
