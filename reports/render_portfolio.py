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


def value_texts(value: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Spend against baseline and savings against target (``gather_value.to_date``), as text."""

    def pick(key: str) -> str:
        return money_table({c: t[key] for c, t in value.items()})

    missing = sum(t.get("missing_months", 0) for t in value.values())
    return {
        "spend": pick("spend"),
        "credits_applied": pick("credits"),
        "net_spend": pick("net_spend"),
        "baseline": pick("baseline"),
        "savings": pick("saving"),
        "savings_target": pick("target"),
        "missing_months": missing,
    }


def portfolio_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    summary = snapshot["summary"]
    if "value" in summary:
        value = value_texts(summary["value"])
    else:  # schema 1 snapshots: spend against the unadjusted baseline
        old = summary.get("spend", {})
        value = {
            "spend": money_table({c: t["spend"] for c, t in old.items()}),
            "net_spend": money_table({c: t["spend"] for c, t in old.items()}),
            "credits_applied": "—",
            "baseline": money_table({c: t["baseline"] for c, t in old.items()}),
            "savings": money_table({c: t["savings"] for c, t in old.items()}),
            "savings_target": money_table({c: t["target"] for c, t in old.items()}),
            "missing_months": 0,
        }
    return {
        "s": snapshot,
        "title": f"QBR {snapshot['quarter']} – Portfolio",
        "css": _css(),
        "generated": moment(snapshot["generated_at"]),
        "as_of": moment(snapshot["data_as_of"]),
        "credits_due": money_table({c: t["due"] for c, t in summary["credits"].items()}),
        "credits_net": money_table({c: t["net"] for c, t in summary["credits"].items()}),
        "contract_value": money_table(summary["contract_value"]),
        **value,
        "chart": attainment_chart(
            summary["attainment_history"], title="Portfolio: SLAs met, share per quarter (%)"
        ),
        "vendors": [{**v, "credits_text": money_table(v["credits"])} for v in snapshot["vendors"]],
    }
