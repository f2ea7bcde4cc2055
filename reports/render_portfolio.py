"""The portfolio pack's template context, from its snapshot alone (see ``reports.render``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core import charts
from reports.render import _css, moment, money


def attainment_chart(history: list[dict[str, Any]], *, title: str, width: int = 520):
    """Share of SLAs met per quarter, from a snapshot's ``attainment_history``."""
    points = [
        charts.Point(label=h["quarter"], value=Decimal(h["met_pct"]))
        for h in history
        if h["met_pct"] is not None
    ]
    return charts.line_chart(points, width=width, height=180, title=title)


def money_table(values: dict[str, str]) -> str:
    """``{"EUR": "12450.00"}`` → ``12,450.00 EUR``; several currencies joined by " · "."""
    return " · ".join(f"{money(v)} {cur}" for cur, v in values.items()) or "—"


def portfolio_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    summary = snapshot["summary"]
    return {
        "s": snapshot,
        "title": f"QBR {snapshot['quarter']} – Portfolio",
        "css": _css(),
        "generated": moment(snapshot["generated_at"]),
        "as_of": moment(snapshot["data_as_of"]),
        "credits_due": money_table({c: t["due"] for c, t in summary["credits"].items()}),
        "credits_net": money_table({c: t["net"] for c, t in summary["credits"].items()}),
        "contract_value": money_table(summary["contract_value"]),
        "spend": money_table({c: t["spend"] for c, t in summary["spend"].items()}),
        "baseline": money_table({c: t["baseline"] for c, t in summary["spend"].items()}),
        "savings": money_table({c: t["savings"] for c, t in summary["spend"].items()}),
        "savings_target": money_table({c: t["target"] for c, t in summary["spend"].items()}),
        "chart": attainment_chart(
            summary["attainment_history"], title="Portfolio: SLAs met, share per quarter (%)"
        ),
        "vendors": [{**v, "credits_text": money_table(v["credits"])} for v in snapshot["vendors"]],
    }
