"""The slas app's dashboard panels: its lists (``slas.selectors.dashboard_panels``) and charts.

Three chart panels come before the lists, each one aggregate query, whatever
the portfolio's size, each linking to the list behind it:

* **SLA attainment**: the share of evaluated periods not breached (met or at
  risk), this month and this quarter (by the period's end), with the last 12
  months as a line (``core.charts.line_chart``).
* **Open breaches by severity**: open, acknowledged and remediating breaches.
* **Service credits by month**: the credits of the last 12 months per
  currency (after the cap; waived and withdrawn breaches carry none).

Bars are an HTML table (``bars``: label, value, url, width %) so a screen
reader reads the numbers, and the page's colours apply.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from core import charts, formatting, permissions
from slas import choices, selectors
from slas.models import Breach, Result

MONTHS = 12


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _percent(good: int, total: int) -> Decimal | None:
    return (Decimal(good) * 100 / total).quantize(Decimal("0.1")) if total else None


def attainment_panel(*, user, today: date) -> dict:
    """Attainment this month and quarter, and the 12-month trend: one query."""
    first = _month_start(today, MONTHS - 1)
    results = permissions.restrict(Result.objects.all(), user=user).filter(period_end__gte=first)
    months = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row
        for row in results.annotate(month=TruncMonth("period_end"))
        .values("month")
        .annotate(
            total=Count("pk"),
            good=Count("pk", filter=~Q(status=choices.ResultStatus.BREACHED)),
        )
    }
    this_month = _month_start(today)
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    in_quarter = [m for m in months if m >= quarter_start]
    quarter = _percent(
        sum(months[m]["good"] for m in in_quarter), sum(months[m]["total"] for m in in_quarter)
    )
    month_row = months.get(this_month, {"good": 0, "total": 0})
    month = _percent(month_row["good"], month_row["total"])
    last = months.get(_month_start(today, 1), {"good": 0, "total": 0})
    previous = _percent(last["good"], last["total"])
    points = [
        charts.Point(label=f"{m:%Y-%m}", value=_percent(months[m]["good"], months[m]["total"]))
        for m in sorted(months)
    ]
    trend = ""
    if month is not None and previous is not None:
        delta = month - previous
        trend = f"{'+' if delta >= 0 else ''}{formatting.number(delta)} points on last month"
    return {
        "title": "SLA attainment",
        "count": f"{formatting.number(month)} %" if month is not None else "—",
        "url": reverse("slas:sla_list"),
        "tone": "ok" if month is None or month >= 95 else ("warn" if month >= 85 else "bad"),
        "chart": charts.line_chart(
            points, target=95, title="Periods met or at risk, % per month", height=180
        )
        if points
        else "",
        "chart_caption": "Share of evaluated periods not breached, by the month they end.",
        "rows": [
            ("This month", reverse("slas:sla_list"), _text(month, trend)),
            ("This quarter", reverse("slas:sla_list"), _text(quarter, "")),
        ],
    }


def _text(value: Decimal | None, note: str) -> str:
    if value is None:
        return "no evaluated period yet"
    return f"{formatting.number(value)} %" + (f" ({note})" if note else "")


def severity_panel(*, user) -> dict:
    """Open breaches by severity: one query."""
    open_breaches = selectors.breach_list(user=user).filter(status__in=selectors.ACTIVE_BREACH)
    counts = dict(
        open_breaches.order_by()
        .values_list("severity")
        .annotate(n=Count("pk"))
        .values_list("severity", "n")
    )
    base = reverse("slas:breach_list") + "?status=open&status=acknowledged&status=remediating"
    top = max(counts.values(), default=0)
    bars = [
        {
            "label": str(label),
            "value": counts.get(value, 0),
            "text": formatting.number(counts.get(value, 0), 0),
            "url": f"{base}&severity={value}",
            "width": round(100 * counts.get(value, 0) / top) if top else 0,
            "tone": "bad" if value == choices.Severity.CRITICAL else "warn",
        }
        for value, label in choices.Severity.choices
    ]
    total = sum(counts.values())
    return {
        "title": "Open breaches by severity",
        "count": total,
        "url": base,
        "tone": "bad" if counts.get(choices.Severity.CRITICAL) else ("warn" if total else "ok"),
        "bars": bars,
        "rows": [],
    }


def credits_panel(*, user, today: date) -> dict:
    """Credits per month and currency over the last 12 months: one query."""
    first = _month_start(today, MONTHS - 1)
    rows = (
        permissions.restrict(Breach.objects.all(), user=user)
        .filter(credit_month__gte=first, credit_month__lte=today)
        .values("credit_month", "sla__contract__currency")
        .annotate(total=Sum("credit"))
        .order_by("credit_month", "sla__contract__currency")
    )
    rows = [r for r in rows if r["total"]]
    top = max((r["total"] for r in rows), default=Decimal(0))
    bars = [
        {
            "label": f"{r['credit_month']:%Y-%m}",
            "value": r["total"],
            "text": formatting.money(r["total"], r["sla__contract__currency"]),
            "url": reverse("slas:credit_list") + f"?month={r['credit_month']:%Y-%m}",
            "width": round(100 * r["total"] / top) if top else 0,
            "tone": "",
        }
        for r in rows
    ]
    return {
        "title": "Service credits by month",
        "count": len({r["credit_month"] for r in rows}),
        "url": reverse("slas:credit_list"),
        "tone": "warn" if rows else "ok",
        "bars": bars,
        "bars_empty": "No credits in the last 12 months.",
        "rows": [],
    }


def dashboard_panels(*, user) -> list[dict]:
    """The charts, then the lists of ``slas.selectors.dashboard_panels``."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    return [
        attainment_panel(user=user, today=today),
        severity_panel(user=user),
        credits_panel(user=user, today=today),
        *selectors.dashboard_panels(user=user),
    ]
