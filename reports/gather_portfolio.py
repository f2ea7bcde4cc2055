"""The portfolio pack and the executive's home: every vendor on one line, ranked.

The ranking is set-based: a fixed number of queries whatever the number of
vendors (the quarter's Results, the credit statements, the open risks and
escalations, the SLAs' trends, each read once for all vendors). So is the
value summary: ``contracts.value.contract_values`` reads the spend, the
baseline adjustments, the credits and the volumes once for all contracts,
and savings are worked out nowhere else.

**Ranking** (riskiest first): open critical risks, then open high risks
(by residual score, DESIGN.md's bands), then the share of contractual SLAs
breached in the quarter, then the number of SLAs and KPIs trending to breach
(the SLA pages' early warning), then the share met (lower first), then the name.
A vendor without risk data or SLA results ranks by what it has.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from contracts.models import Contract
from reports import gather_value, quarters
from reports.gather import (
    ZERO,
    _attainment_history_for,
    _credit_totals,
    _pct,
    statement_rows,
    worst,
)
from reports.gather_governance import _model
from slas import choices as sla_choices
from slas.models import SLA, Result
from vendors.models import Vendor


def _risk_counts(vendor_ids: list[int]) -> dict[int, dict[str, int]] | None:
    model = _model("risks.Risk")
    if model is None:
        return None
    from risks import rules
    from risks.choices import OPEN_STATUSES

    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"high": 0, "critical": 0, "open": 0})
    rows = model.objects.filter(vendor_id__in=vendor_ids, status__in=OPEN_STATUSES).values_list(
        "vendor_id", "likelihood", "impact", "residual_likelihood", "residual_impact"
    )
    for vendor_id, lik, imp, rlik, rimp in rows:
        lik, imp = rlik or lik, rimp or imp
        band = rules.rating(lik * imp) if lik and imp else None
        counts[vendor_id]["open"] += 1
        if band in ("high", "critical"):
            counts[vendor_id][band] += 1
    return counts


def _trending_counts(vendor_ids: list[int], *, since: date) -> dict[int, int]:
    """SLAs and KPIs trending to breach per vendor: the SLA pages' early warning.

    ``slas.evaluation.sla_trends`` (what the SLA list and the dashboard show)
    over every SLA of the vendors still in force on ``since``: two queries for
    all vendors. The trend is the one of the data at gathering time, which
    for the quarter-end job is the quarter's end.
    """
    from slas.evaluation import sla_trends

    owner = dict(
        SLA.objects.filter(contract__vendor_id__in=vendor_ids)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=since))
        .values_list("id", "contract__vendor_id")
    )
    counts: dict[int, int] = defaultdict(int)
    for sla_id, trend in sla_trends(sla_ids=list(owner)).items():
        if trend.trending_to_breach:
            counts[owner[sla_id]] += 1
    return counts


def _escalation_counts(vendor_ids: list[int]) -> dict[int, int] | None:
    model = _model("governance.Escalation")
    if model is None:
        return None
    counts: dict[int, int] = defaultdict(int)
    for vendor_id in (
        model.objects.filter(vendor_id__in=vendor_ids)
        .exclude(status="resolved")
        .values_list("vendor_id", flat=True)
    ):
        counts[vendor_id] += 1
    return counts


def vendor_rows(*, vendors: list[Vendor], quarter: str) -> list[dict[str, Any]]:
    """One line per vendor for ``quarter``: attainment, credits, risks, escalations; ranked."""
    start, end = quarters.bounds(quarter)
    ids = [v.pk for v in vendors]
    per_sla: dict[tuple[int, int], list[str]] = defaultdict(list)
    for sla_id, vendor_id, status in Result.objects.filter(
        sla__contract__vendor_id__in=ids,
        sla__kind=sla_choices.Kind.SLA,
        period_end__gte=start,
        period_end__lte=end,
    ).values_list("sla_id", "sla__contract__vendor_id", "status"):
        per_sla[(vendor_id, sla_id)].append(status)
    attainment: dict[int, dict[str, int]] = defaultdict(
        lambda: {"met": 0, "at_risk": 0, "breached": 0}
    )
    for (vendor_id, _), statuses in per_sla.items():
        attainment[vendor_id][worst(statuses)] += 1
    months = quarters.months(quarter)
    credits: dict[int, list[dict]] = defaultdict(list)
    for row in statement_rows(vendor=None, month_from=months[0], month_to=months[-1]):
        credits[row["vendor_id"]].append(row)
    risks = _risk_counts(ids)
    escalations = _escalation_counts(ids)
    trending = _trending_counts(ids, since=start)
    rows = []
    for v in vendors:
        att = attainment[v.pk]
        measured = sum(att.values())
        owner = v.relationship_owner
        risk = risks.get(v.pk, {"high": 0, "critical": 0, "open": 0}) if risks is not None else None
        rows.append(
            {
                "id": v.pk,
                "name": v.name,
                "tier": v.tier,
                "tier_label": v.get_tier_display(),
                "relationship_owner": (owner.get_full_name() or owner.username) if owner else None,
                **att,
                "measured": measured,
                "met_pct": _pct(att["met"], measured),
                "breached_pct": _pct(att["breached"], measured),
                "credits": {cur: t["due"] for cur, t in _credit_totals(credits[v.pk]).items()},
                "risks": risk,
                "trending_to_breach": trending.get(v.pk, 0),
                "escalations_open": escalations.get(v.pk, 0) if escalations is not None else None,
            }
        )
    rows.sort(key=_rank_key)
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def _rank_key(row: dict[str, Any]):
    risk = row["risks"] or {"critical": 0, "high": 0}
    breached = Decimal(row["breached_pct"] or "0")
    met = Decimal(row["met_pct"]) if row["met_pct"] is not None else Decimal("101")
    trending = row.get("trending_to_breach") or 0
    return (-risk["critical"], -risk["high"], -breached, -trending, met, row["name"])


def contract_value(*, vendors: list[Vendor]) -> dict[str, str]:
    """Total value of the active contracts of ``vendors``, per currency."""
    rows = (
        Contract.objects.filter(vendor__in=vendors, status="active")
        .values("currency")
        .annotate(total=Sum("total_value"))
        .order_by("currency")
    )
    return {r["currency"]: str(r["total"] or ZERO) for r in rows}


def portfolio_snapshot(*, quarter: str, now: datetime | None = None) -> dict[str, Any]:
    """The portfolio pack's snapshot: a summary, then every active vendor ranked."""
    now = now or timezone.now()
    vendors = list(
        Vendor.objects.filter(status="active").select_related("relationship_owner").order_by("name")
    )
    rows = vendor_rows(vendors=vendors, quarter=quarter)
    months = quarters.months(quarter)
    statements = statement_rows(vendor=None, month_from=months[0], month_to=months[-1])
    ids = {v.pk for v in vendors}
    totals = {"met": 0, "at_risk": 0, "breached": 0}
    for row in rows:
        for key in totals:
            totals[key] += row[key]
    measured = sum(totals.values())
    contracts = list(Contract.objects.filter(vendor__in=vendors).select_related("vendor"))
    return {
        "schema": 1,
        "kind": "portfolio",
        "edition": "internal",
        "quarter": quarter,
        "quarter_label": quarters.label(quarter),
        "generated_at": now.isoformat(),
        "data_as_of": now.isoformat(),
        "summary": {
            "vendors": len(rows),
            **totals,
            "measured": measured,
            "met_pct": _pct(totals["met"], measured),
            "credits": _credit_totals([s for s in statements if s["vendor_id"] in ids]),
            "contract_value": contract_value(vendors=vendors),
            # Savings to the quarter's end, read from contracts.value like the API.
            "value": gather_value.to_date(
                contracts=contracts,
                user=gather_value.office_reader(),
                today=gather_value.report_as_of(quarter=quarter, today=now.date()),
            ),
            "attainment_history": _attainment_history_for(vendor_ids=list(ids), quarter=quarter),
        },
        "vendors": rows,
    }


def executive_overview(*, vendors: list[Vendor], user, today: date) -> dict[str, Any]:
    """What the executive's home shows, for the vendors the user may see.

    The value to date is ``contracts.value``'s, read as ``user`` (the API's
    figures for them), for all contracts at once: the page's number of
    queries does not grow with the number of contracts.
    """
    quarter = quarters.just_ended(today)
    ids = [v.pk for v in vendors]
    contracts = list(Contract.objects.filter(vendor_id__in=ids).select_related("vendor"))
    ytd = statement_rows(vendor=None, month_from=date(today.year, 1, 1), month_to=today)
    return {
        "quarter": quarter,
        "quarter_label": quarters.label(quarter),
        "contract_value": contract_value(vendors=vendors),
        "value": gather_value.to_date(contracts=contracts, user=user, today=today),
        "credits_ytd": {
            cur: t["due"]
            for cur, t in _credit_totals([r for r in ytd if r["vendor_id"] in ids]).items()
        },
        "attainment_history": _attainment_history_for(
            vendor_ids=ids, quarter=quarters.quarter_of(today)
        ),
        "vendors": vendor_rows(vendors=vendors, quarter=quarter),
    }
