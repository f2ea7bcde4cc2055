"""The QBR sections whose data lives in governance/, risks/ and improvement/.

Each section says ``{"tracked": False}`` when its app or model is not (yet)
part of the installation, and the report prints "Not tracked yet" for it:
a missing register is not the same as an empty one. The risk section reads
through ``risks.selectors`` (the risk pages' grid and bands); the others query
the owning apps' models read-only.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db.models import Q

from core.formatting import plain_number
from reports import quarters

NOT_TRACKED: dict[str, Any] = {"tracked": False}


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
    # The vendor edition carries only what the vendor's representatives may see in the
    # app (DESIGN.md section 7): no escalations, meeting decisions or risk register.
    return {
        "escalations": _escalations(vendor=vendor, quarter=quarter) if internal else None,
        "decisions": _decisions(vendor=vendor, quarter=quarter) if internal else None,
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
    goal = _model("improvement.Goal")
    if goal is None:
        ahead["goals_due"] = NOT_TRACKED
    else:
        rows = goal.objects.filter(vendor=vendor, target_date__gte=start, target_date__lte=end)
        ahead["goals_due"] = {
            "tracked": True,
            "items": [
                {"title": g.title, "date": g.target_date.isoformat()}
                for g in rows.order_by("target_date", "id")
            ],
        }
    idea = _model("improvement.Idea")
    if idea is None:
        ahead["ideas_pipeline"] = NOT_TRACKED
    else:
        rows = idea.objects.filter(vendor=vendor, status__in=("proposed", "approved"))
        ahead["ideas_pipeline"] = {
            "tracked": True,
            "items": [
                {"title": i.title, "status": i.get_status_display()}
                for i in rows.order_by("-status", "pk")
            ],
        }
    return ahead


def _escalations(*, vendor, quarter: str) -> dict[str, Any]:
    """Escalations live at some time in the quarter, with their timelines; open ones now."""
    model = _model("governance.Escalation")
    if model is None:
        return NOT_TRACKED
    start, end = quarters.bounds(quarter)
    rows = list(
        model.objects.filter(vendor=vendor, opened_at__date__lte=end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__date__gte=start))
        .prefetch_related("timeline", "timeline__by")
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
                    for ev in e.timeline.all()
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
    """Open risks: the high and critical ones (by residual score) and the residual heat map.

    Read through ``risks.selectors`` — the same grid and bands the risk pages
    draw (``heatmap_counts``, ``open_high_critical``) — as the office sees them.
    """
    if _model("risks.Risk") is None:
        return NOT_TRACKED
    from reports.gather_value import office_reader
    from risks import selectors as risk_selectors

    reader = office_reader()
    high = [
        {
            "title": r.title,
            "category": r.get_category_display(),
            "score": r.score_residual,
            "rating": r.rating_residual,
            "treatment": r.get_treatment_display(),
            "owner": _name(r.owner),
            "status": r.get_status_display(),
        }
        for r in risk_selectors.open_high_critical(user=reader, vendor=vendor)
    ]
    return {
        "tracked": True,
        "open": risk_selectors.open_risks(user=reader, vendor=vendor).count(),
        "high_critical": high,
        # [likelihood − 1][impact − 1] = open risks, by their residual factors.
        "heatmap": risk_selectors.heatmap_counts(user=reader, vendor=vendor, residual=True),
    }


def _goals(*, vendor, quarter: str) -> dict[str, Any]:
    """Improvement goals with their agreement (both sides, or who is still to agree)."""
    if _model("improvement.Goal") is None:
        return NOT_TRACKED
    from improvement.selectors import goals_for

    items = []
    for g in goals_for(vendor=vendor):
        progress = getattr(g, "progress", None)
        items.append(
            {
                "title": g.title,
                "kind": g.get_kind_display(),
                "target": (
                    f"{plain_number(g.target_value)} {g.unit}".strip()
                    if g.target_value is not None
                    else ""
                ),
                "due_date": g.target_date.isoformat() if g.target_date else None,
                "client_agreed": g.client_agreed_at is not None,
                "vendor_agreed": g.vendor_agreed_at is not None,
                "status": g.get_agreement_display(),
                "progress": str(progress) if progress is not None else None,
            }
        )
    return {"tracked": True, "items": items}


def _ideas(*, vendor, quarter: str) -> dict[str, Any]:
    """Ideas implemented in the quarter (the status change's date), with realised benefit."""
    model = _model("improvement.Idea")
    if model is None:
        return NOT_TRACKED
    start, end = quarters.bounds(quarter)
    rows = model.objects.filter(
        vendor=vendor,
        status="implemented",
        decided_at__date__gte=start,
        decided_at__date__lte=end,
    ).order_by("decided_at", "pk")
    return {
        "tracked": True,
        "items": [
            {
                "title": i.title,
                "proposed_by": i.get_proposed_by_display(),
                "realised_benefit": (
                    f"{i.realised_benefit:,.2f} {i.currency}" if i.realised_benefit else ""
                )
                or i.benefit_note,
            }
            for i in rows
        ],
    }


def _health(*, vendor, quarter: str) -> dict[str, Any]:
    """Relationship health of the quarter: each side's index, per dimension, and the gaps."""
    if _model("improvement.HealthSurvey") is None:
        return NOT_TRACKED
    from improvement.choices import DIMENSIONS
    from improvement.selectors import health_summary

    summary = health_summary(vendor=vendor, quarter=quarter)
    client, supplier = summary["client"] or {}, summary["vendor_side"] or {}
    gaps = summary["gap"]["dimensions"]
    return _plain(
        {
            "tracked": True,
            "client_index": client.get("index"),
            "vendor_index": supplier.get("index"),
            "gap": summary["gap"]["index"],
            "dimensions": [
                {
                    "dimension": name.capitalize(),
                    "client": (client.get("dimensions") or {}).get(name),
                    "vendor": (supplier.get("dimensions") or {}).get(name),
                    "gap": gaps.get(name),
                }
                for name in DIMENSIONS
            ]
            if client or supplier
            else [],
            "previous": summary["previous"],
        }
    )


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
