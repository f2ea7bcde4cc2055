"""Render a QBR from its snapshot alone: HTML from a template, then a tagged PDF.

Nothing here reads the database: the snapshot (``reports.gather``) holds
every figure, and the charts are drawn from it with the one chart module
(``core.charts``). The same snapshot always gives the same HTML, hence the
same text in the PDF. User text (root causes, decisions, titles) goes through
the template's autoescaping, and ``core.pdf`` fetches nothing but the app's
static files.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from core import charts
from core.formatting import plain_number
from core.pdf import render_pdf
from risks import rules

SYMBOLS = {"met": "✓", "at_risk": "!", "breached": "✗", None: "·"}
LETTERS = {"met": "M", "at_risk": "R", "breached": "B", None: ""}
STATUS_WORDS = {"met": "met", "at_risk": "at risk", "breached": "breached", None: "no data"}
CSS_PATH = "reports/qbr.css"


def money(value: str | Decimal | None) -> str:
    """12450.5 → ``12,450.50``; None → an em dash."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def number(value: str | Decimal | None) -> str:
    return "—" if value is None else plain_number(Decimal(value))


def day(value: str | None) -> str:
    return date.fromisoformat(value[:10]).isoformat() if value else "—"


def moment(value: str | None) -> str:
    """An ISO timestamp as ``2026-10-02 06:00 UTC``."""
    if not value:
        return "—"
    stamp = datetime.fromisoformat(value)
    return f"{stamp:%Y-%m-%d %H:%M} {stamp.tzname() or ''}".strip()


def _css() -> str:
    path = finders.find(CSS_PATH)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _cell(cell: dict, row: dict) -> dict[str, Any]:
    status = cell["status"]
    if cell["periods"] == 0:
        text = ""
    elif cell["actual"] is not None:
        text = number(cell["actual"])
    else:
        counts = cell["counts"]
        text = " ".join(
            f"{counts[k]}{LETTERS[k]}" for k in ("met", "at_risk", "breached") if counts[k]
        )
    return {
        "text": text,
        "status": status,
        "symbol": SYMBOLS[status] if cell["periods"] else "",
        "letter": LETTERS[status] if cell["periods"] else "",
        "word": STATUS_WORDS[status] if cell["periods"] else "no data",
    }


def _scorecard_groups(rows: list[dict]) -> list[dict[str, Any]]:
    groups = [
        (
            "Contractual SLAs – operational",
            lambda r: r["kind"] == "sla" and r["focus"] != "outcome",
        ),
        (
            "Contractual SLAs – outcome-based",
            lambda r: r["kind"] == "sla" and r["focus"] == "outcome",
        ),
        ("KPIs – operational", lambda r: r["kind"] == "kpi" and r["focus"] != "outcome"),
        ("KPIs – outcome-based", lambda r: r["kind"] == "kpi" and r["focus"] == "outcome"),
    ]
    out = []
    for title, test in groups:
        chosen = [r for r in rows if test(r)]
        if not chosen:
            continue
        out.append(
            {
                "title": title,
                "rows": [
                    {
                        **r,
                        "target_text": (
                            f"{'≥' if r['direction'] == 'higher_is_better' else '≤'} "
                            f"{number(r['target'])} {r['unit']}".strip()
                        ),
                        "cells_view": [_cell(c, r) for c in r["cells"]],
                        "quarter_symbol": SYMBOLS[r["quarter_status"]],
                        "quarter_letter": LETTERS[r["quarter_status"]],
                        "quarter_word": STATUS_WORDS[r["quarter_status"]],
                        "trend_symbol": {"improving": "↗", "worsening": "↘", "steady": "→"}.get(
                            r["trend"], ""
                        ),
                    }
                    for r in chosen
                ],
            }
        )
    return out


def _charts(snapshot: dict[str, Any]) -> dict[str, Any]:
    history = snapshot.get("attainment_history") or []
    points = [
        charts.Point(label=h["quarter"], value=Decimal(h["met_pct"]))
        for h in history
        if h["met_pct"] is not None
    ]
    attainment = charts.line_chart(
        points, width=520, height=180, title="SLAs met, share per quarter (%)"
    )
    credit_charts = []
    for currency, months in (snapshot["credits"].get("per_month") or {}).items():
        credit_points = [
            charts.Point(label=m["month"][:7], value=Decimal(m["due"])) for m in months
        ]
        credit_charts.append(
            {
                "currency": currency,
                "svg": charts.line_chart(
                    credit_points,
                    width=520,
                    height=180,
                    title=f"Service credits due per month ({currency})",
                ),
            }
        )
    grid = (snapshot.get("risks") or {}).get("heatmap")
    heat = (
        charts.heatmap(
            grid,
            tone=lambda y, x: rules.rating(y * x),
            cell=36,
            title="Open risks by residual likelihood and impact",
        )
        if grid
        else None
    )
    return {"attainment": attainment, "credits": credit_charts, "heatmap": heat}


def _money_rows(table: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    return [
        {"currency": cur, **{k: money(v) if k != "currency" else v for k, v in t.items()}}
        for cur, t in table.items()
    ]


def _bar(score) -> str:
    """A 1–5 score as five squares, filled to the score: legible without colour."""
    if score is None:
        return ""
    filled = int(Decimal(str(score)))
    return "■" * filled + "□" * (5 - filled)


def health_rows(health: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Health per dimension for both sides, from the snapshot's ``health.dimensions``."""
    if not health or not health.get("tracked"):
        return []
    return [
        {
            "dimension": str(d.get("dimension") or d.get("label") or ""),
            "client": d.get("client"),
            "vendor": d.get("vendor"),
            "gap": d.get("gap"),
            "client_bar": _bar(d.get("client")),
            "vendor_bar": _bar(d.get("vendor")),
        }
        for d in health.get("dimensions") or []
    ]


def health_chart(health: dict[str, Any] | None) -> str:
    """Health by dimension as grouped bars, client side (C) and vendor side (V), on the 1–5 scale.

    Drawn from the snapshot's ``health`` alone; the index of each side comes last, as
    its own pair of bars, and the title carries the gap (client − vendor). Empty when
    no survey was answered (the section then says so in words).
    """
    if not health or not health.get("tracked") or not health.get("dimensions"):
        return ""
    dimensions = health["dimensions"]
    categories = [str(d.get("dimension") or "") for d in dimensions] + ["Health index"]
    client = [d.get("client") for d in dimensions] + [health.get("client_index")]
    vendor = [d.get("vendor") for d in dimensions] + [health.get("vendor_index")]
    gap = health.get("gap")
    title = "Relationship health by dimension, client and vendor side (1–5)"
    if gap is not None:
        title += f"; index gap client − vendor {number(gap)}"
    return charts.bar_chart(
        categories,
        [charts.Series("Client side", client, "C"), charts.Series("Vendor side", vendor, "V")],
        title=title,
        width=520,
        max_value=5,
        ticks=(1, 2, 3, 4, 5),
    )


def context(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The template's context, worked out from the snapshot alone."""
    credits = snapshot["credits"]
    change = credits.get("change_pct", {})
    credit_rows = []
    for currency in sorted(set(credits["quarter"]) | set(credits["previous_quarter"])):
        now = credits["quarter"].get(currency, {})
        before = credits["previous_quarter"].get(currency, {})
        credit_rows.append(
            {
                "currency": currency,
                "due": money(now.get("due", "0")),
                "earned_back": money(now.get("earned_back", "0")),
                "net": money(now.get("net", "0")),
                "pending": money(now.get("pending", "0")),
                "prev_due": money(before.get("due", "0")),
                "prev_net": money(before.get("net", "0")),
                "change": f"{int(change[currency]):+d} %" if change.get(currency) else "—",
            }
        )
    spend = snapshot.get("spend")  # schema 1 snapshots (before "value")
    vendor = snapshot["vendor"]
    title = f"QBR {snapshot['quarter']} – {vendor['name']}"
    if snapshot["edition"] == "vendor":
        title += " (vendor edition)"
    return {
        "s": snapshot,
        "title": title,
        "internal": snapshot["edition"] == "internal",
        "css": _css(),
        "credit_rows": credit_rows,
        "spend_rows": [
            {
                "currency": cur,
                "spend": money(t["spend"]),
                "baseline": money(t["baseline"]),
                "savings": money(t["savings"]),
                "target": money(t["target"]),
                "savings_pct": t["savings_pct"] or "—",
                "target_pct": t["target_pct"] or "—",
            }
            for cur, t in (spend or {}).items()
        ],
        "value": value_view(snapshot.get("value")),
        "groups": _scorecard_groups(snapshot["scorecard"]["rows"]),
        "charts": _charts(snapshot),
        "symbols": SYMBOLS,
        "health_rows": health_rows(snapshot.get("health")),
        "health_chart": health_chart(snapshot.get("health")),
        "escalations": [
            {
                **e,
                "opened_text": moment(e["opened_at"]),
                "events": [{**ev, "at_text": moment(ev["at"])} for ev in e["events"]],
            }
            for e in (snapshot.get("escalations") or {}).get("items", [])
        ],
        "generated": moment(snapshot["generated_at"]),
        "as_of": moment(snapshot["data_as_of"]),
        "breaches": [
            {**b, "credit_text": money(b["credit"]), "actual_text": number(b["actual"])}
            for b in snapshot["breaches"]
        ],
        "statements": [
            {**r, **{k: money(r[k]) for k in ("at_risk_amount", "due", "earned_back", "net")}}
            for r in credits["statements"]
        ],
    }


def _month_text(iso: str) -> str:
    day_ = date.fromisoformat(iso)
    return f"{day_:%b %Y}"


def value_line(totals: dict[str, Any]) -> str:
    """Page one's line of value, per currency, e.g.

    "EUR: net spend 279,500.00 against a baseline of 360,000.00; savings
    80,500.00 in the quarter (target 72,000.00, met) and 80,500.00 this year to
    date (target 72,000.00); 1 month without a spend record."
    """
    parts = []
    for currency, t in totals.items():
        met = Decimal(t["saving"]) >= Decimal(t["target"])
        text = (
            f"{currency}: net spend {money(t['net_spend'])} against a baseline of "
            f"{money(t['baseline'])}; savings {money(t['saving'])} in the quarter "
            f"(target {money(t['target'])}, {'met' if met else 'not met'}) and "
            f"{money(t['ytd_saving'])} this year to date (target {money(t['ytd_target'])})"
        )
        if t["missing_months"]:
            n = t["missing_months"]
            text += f"; {n} month{'s' if n != 1 else ''} without a spend record"
        parts.append(text + ".")
    return " ".join(parts)


def value_view(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """The value section's rows, formatted; missing months say "missing", never 0.00."""
    if value is None:
        return None

    def period(p: dict[str, Any]) -> dict[str, Any]:
        return {
            **{k: money(p.get(k)) for k in ("spend", "credits", "net_spend", "baseline")},
            "saving": money(p["saving"]),
            "target": money(p["target"]),
            "recorded": p["recorded_months"],
            "missing": p["missing_months"],
            "on_target": p["on_target"],
        }

    contracts = []
    for c in value["contracts"]:
        contracts.append(
            {
                **c,
                "months_view": [
                    {
                        "label": _month_text(m["month"]),
                        "missing": m["missing"],
                        **{
                            k: money(m[k])
                            for k in ("baseline", "spend", "credits", "net_spend", "saving")
                        },
                        "target": money(m["target"]),
                    }
                    for m in c["months"]
                ],
                "quarter_view": period(c["quarter"]),
                "ytd_view": period(c["year_to_date"]),
                "missing_text": ", ".join(_month_text(m) for m in c["missing_months"]),
                "transition_text": money(c["transition_cost"]) if c["transition_cost"] else None,
                "transition_month_text": (
                    _month_text(c["transition_cost_month"]) if c["transition_cost_month"] else None
                ),
                "payback_text": _month_text(c["payback_month"]) if c["payback_month"] else None,
                "cumulative_text": money(c["cumulative_saving"]),
                "adjustments_view": [
                    {"amount": money(a["amount"]), "effective": a["effective"]}
                    for a in c["baseline_adjustments"]
                ],
            }
        )
    return {
        "contracts": contracts,
        "line": value_line(value["totals"]),
        "totals": [
            {
                "currency": cur,
                **{k: money(t[k]) for k in ("net_spend", "baseline", "saving", "target")},
                "ytd_saving": money(t["ytd_saving"]),
                "ytd_target": money(t["ytd_target"]),
                "savings_pct": t["savings_pct"] or "—",
                "target_pct": t["target_pct"] or "—",
            }
            for cur, t in value["totals"].items()
        ],
    }


def render_html(snapshot: dict[str, Any]) -> str:
    """The report as one HTML document (the portfolio pack has its own template)."""
    if snapshot.get("kind") == "portfolio":
        from reports.render_portfolio import portfolio_context

        return render_to_string("reports/portfolio.html", portfolio_context(snapshot))
    return render_to_string("reports/qbr.html", context(snapshot))


def render(snapshot: dict[str, Any]) -> bytes:
    """The report's PDF (PDF/UA-1, A4) from ``snapshot`` alone."""
    return render_pdf(render_html(snapshot))
