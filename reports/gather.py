"""Gather a QBR's figures once, into the plain-JSON snapshot the PDF is rendered from.

Everything the report shows is here, already worked out, as JSON: decimals
as strings (``"12450.00"``), dates and times ISO 8601. ``reports.render``
reads nothing else, so a report renders again identically from its snapshot
and every figure can be checked against the app.

The rules (the report's own; the SLA rules are DESIGN.md section 2's):

* **Which periods belong to the quarter**: a Result whose period *ends*
  inside the quarter, as a breach's credit belongs to the month its period
  ends in.
* **An SLA's quarter status** is its worst period in the quarter: breached
  if any period is, else at risk if any is, else met. SLAs without a Result
  in the quarter are "no data".
* **Attainment** counts contractual SLAs only (``kind=sla``; KPIs are
  tracked, not promised): met / at risk / breached SLAs and each as a share of
  the SLAs with data, to one decimal.
* **Credits** are the credit statements' (one per contract and month) for
  the quarter's three months: due (after the cap), earned back, net = due −
  earned back, per currency; the change is against the previous quarter's
  due, in whole percent.
* **Trend** is ``slas.evaluation.trend``'s rule applied as of the quarter's
  end: a least-squares line through the SLA's last 6 Results ending on or
  before the quarter's last day, projected one period ahead; trending to
  breach when the projection is on the breached side of the target with at
  least 3 Results.
* **Value** (internal edition only): per contract with a business case,
  ``contracts.value``'s figures for the quarter's months and the year to the
  quarter's end — spend, credits applied, net spend against the adjusted
  baseline, realised savings against the target, the months without a spend
  record (missing, not zero), transition cost and payback month
  (``reports.gather_value``). They equal the contract's ``value`` in the API.
* **Looking ahead** covers the two quarters after the report's quarter.

The vendor edition leaves out the internal figures (baseline, savings and
their target, internal notes) and the risk register.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from contracts.models import Contract
from reports import gather_governance, gather_value, quarters
from reports.choices import Edition
from slas import choices as sla_choices
from slas.evaluation import trend as trend_rule
from slas.models import SLA, Breach, Result
from slas.selectors import credit_statements
from vendors.models import Certification, Vendor

SCHEMA = 2  # 2: "value" (contracts.value) replaces 1's "spend"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# The SLA pages' trend rule (slas.evaluation.trend), applied as of the quarter's end.
TREND_WINDOW = trend_rule.WINDOW
TREND_MIN_RESULTS = trend_rule.MIN_RESULTS
STATUS_ORDER = {"met": 0, "at_risk": 1, "breached": 2}
LETTERS = {"met": "M", "at_risk": "R", "breached": "B"}


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(part: int | Decimal, whole: int | Decimal) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def worst(statuses) -> str | None:
    """The worst of some period statuses (breached > at_risk > met), None for none."""
    statuses = [s for s in statuses if s]
    return max(statuses, key=STATUS_ORDER.__getitem__) if statuses else None


# --- the vendor snapshot ------------------------------------------------------------


def vendor_snapshot(
    *, vendor: Vendor, quarter: str, edition: str, now: datetime | None = None
) -> dict[str, Any]:
    """All a vendor's QBR shows for ``quarter`` in ``edition``, as plain JSON.

    The vendor edition holds only what the vendor's representatives may see in
    the app: no baseline, savings, waiver reasons, relationship owner, risks,
    escalations or meeting decisions.
    """
    now = now or timezone.now()
    start, end = quarters.bounds(quarter)
    internal = edition == Edition.INTERNAL
    owner = vendor.relationship_owner
    contracts = list(
        Contract.objects.filter(vendor=vendor).order_by("reference").select_related("vendor")
    )
    scorecard = _scorecard(vendor=vendor, quarter=quarter)
    credits = _credits(vendor=vendor, quarter=quarter)
    snapshot: dict[str, Any] = {
        "schema": SCHEMA,
        "kind": "vendor",
        "edition": edition,
        "quarter": quarter,
        "quarter_label": quarters.label(quarter),
        "quarter_start": start.isoformat(),
        "quarter_end": end.isoformat(),
        "generated_at": now.isoformat(),
        "data_as_of": now.isoformat(),
        "latest_measurement": _iso(scorecard.pop("latest_measurement")),
        "vendor": {
            "id": vendor.pk,
            "name": vendor.name,
            "legal_name": vendor.legal_name,
            "tier": vendor.tier,
            "tier_label": vendor.get_tier_display(),
            "status": vendor.get_status_display(),
            "service_type": vendor.get_service_type_display(),
            # Who owns the relationship is the office's business (the vendor page hides it).
            "relationship_owner": (owner.get_full_name() or owner.username)
            if owner and internal
            else None,
        },
        "contracts": [
            {"id": c.pk, "reference": c.reference, "title": c.title, "currency": c.currency}
            for c in contracts
        ],
        "scorecard": scorecard,
        "attainment": _attainment(scorecard["rows"]),
        "attainment_history": _attainment_history(vendor=vendor, quarter=quarter),
        "credits": credits,
        "breaches": _breaches(vendor=vendor, quarter=quarter, internal=internal),
        # Internal figures: baseline, spend and savings (contracts.value, as the API answers).
        "value": gather_value.vendor_value(contracts=contracts, quarter=quarter, today=now.date())
        if internal
        else None,
        "looking_ahead": _looking_ahead(vendor=vendor, contracts=contracts, quarter=quarter),
    }
    snapshot.update(
        gather_governance.sections(vendor=vendor, quarter=quarter, internal=internal, now=now)
    )
    snapshot["looking_ahead"].update(
        gather_governance.looking_ahead(vendor=vendor, quarter=quarter, internal=internal)
    )
    snapshot["summary"] = _summary(snapshot)
    return snapshot


def _scorecard(*, vendor: Vendor, quarter: str) -> dict[str, Any]:
    """Every SLA and KPI of the vendor in force during the quarter, with its periods there."""
    start, end = quarters.bounds(quarter)
    months = quarters.months(quarter)
    slas = list(
        SLA.objects.filter(contract__vendor=vendor, effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
        .select_related("contract")
        .order_by("contract__reference", "kind", "name")
    )
    ids = [s.pk for s in slas]
    history: dict[int, list[Result]] = defaultdict(list)
    # The quarter's periods plus enough before it for the trend (6 monthly ones at most
    # reach back two quarters; daily and weekly SLAs need far less).
    since = quarters.bounds(quarters.shift(quarter, -2))[0]
    for r in (
        Result.objects.filter(sla_id__in=ids, period_end__gte=since, period_end__lte=end)
        .only("sla_id", "period_start", "period_end", "actual", "status")
        .order_by("sla_id", "period_start")
    ):
        history[r.sla_id].append(r)
    rows, latest = [], None
    for sla in slas:
        results = history.get(sla.pk, [])
        in_quarter = [r for r in results if r.period_end >= start]
        cells = []
        for month in months:
            periods = [
                r
                for r in in_quarter
                if (r.period_end.year, r.period_end.month) == (month.year, month.month)
            ]
            counts = {k: sum(1 for r in periods if r.status == k) for k in LETTERS}
            cells.append(
                {
                    "month": month.isoformat(),
                    "label": quarters.MONTH_ABBR[month.month - 1],
                    "periods": len(periods),
                    "actual": _s(periods[0].actual) if len(periods) == 1 else None,
                    "status": worst(r.status for r in periods),
                    "counts": counts,
                }
            )
        for r in in_quarter:
            latest = max(latest or r.period_end, r.period_end)
        trend = _trend(sla, results)
        rows.append(
            {
                "sla_id": sla.pk,
                "contract": sla.contract.reference,
                "name": sla.name,
                "kind": sla.kind,
                "focus": sla.focus,
                "category": sla.get_category_display(),
                "unit": sla.unit,
                "direction": sla.direction,
                "period": sla.period,
                "target": _s(sla.target),
                "warning_level": _s(sla.warning_level),
                "allocation_percent": _s(sla.allocation_percent),
                "cells": cells,
                "periods": [
                    {
                        "start": r.period_start.isoformat(),
                        "end": r.period_end.isoformat(),
                        "actual": _s(r.actual),
                        "status": r.status,
                    }
                    for r in in_quarter
                ],
                "quarter_status": worst(r.status for r in in_quarter),
                "quarter_actual": _s(in_quarter[-1].actual) if len(in_quarter) == 1 else None,
                **trend,
            }
        )
    return {"rows": rows, "latest_measurement": latest}


def _trend(sla: SLA, results: list[Result]) -> dict[str, Any]:
    """``slas.evaluation.trend``'s least-squares rule over the last 6 Results to date."""
    window = results[-TREND_WINDOW:]
    n = len(window)
    if n < 2:
        return {"trend": None, "projected": None, "trending_to_breach": False}
    ys = [float(r.actual) for r in window]
    mean_x, mean_y = (n - 1) / 2, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(ys)) / sxx
    projected = Decimal(repr(mean_y + slope * (n - mean_x))).quantize(Decimal("0.000001"))
    higher = sla.direction == sla_choices.Direction.HIGHER_IS_BETTER
    bad_side = projected < sla.target if higher else projected > sla.target
    better = slope > 0 if higher else slope < 0
    trend = "steady" if abs(slope) < 1e-9 else ("improving" if better else "worsening")
    return {
        "trend": trend,
        "projected": str(projected),
        "trending_to_breach": n >= TREND_MIN_RESULTS and bad_side,
    }


def _attainment(rows: list[dict]) -> dict[str, Any]:
    """Contractual SLAs by quarter status: counts and shares of those with data."""
    statuses = [r["quarter_status"] for r in rows if r["kind"] == sla_choices.Kind.SLA]
    counts = {k: statuses.count(k) for k in LETTERS}
    measured = sum(counts.values())
    return {
        **counts,
        "measured": measured,
        "no_data": len(statuses) - measured,
        "met_pct": _pct(counts["met"], measured),
        "at_risk_pct": _pct(counts["at_risk"], measured),
        "breached_pct": _pct(counts["breached"], measured),
        "trending_to_breach": sum(1 for r in rows if r["trending_to_breach"]),
    }


def _attainment_history(*, vendor: Vendor, quarter: str) -> list[dict[str, Any]]:
    return _attainment_history_for(vendor_ids=[vendor.pk], quarter=quarter)


def _attainment_history_for(*, vendor_ids: list[int], quarter: str) -> list[dict[str, Any]]:
    """Met share of contractual SLAs for the quarter and the three before it (one query)."""
    names = [quarters.shift(quarter, -i) for i in (3, 2, 1, 0)]
    first, _ = quarters.bounds(names[0])
    _, last = quarters.bounds(quarter)
    per: dict[tuple[str, int], list[str]] = defaultdict(list)
    for sla_id, period_end, status in Result.objects.filter(
        sla__contract__vendor_id__in=vendor_ids,
        sla__kind=sla_choices.Kind.SLA,
        period_end__gte=first,
        period_end__lte=last,
    ).values_list("sla_id", "period_end", "status"):
        per[(quarters.quarter_of(period_end), sla_id)].append(status)
    history = []
    for name in names:
        statuses = [worst(v) for (q, _), v in per.items() if q == name]
        met = statuses.count("met")
        history.append(
            {
                "quarter": name,
                "measured": len(statuses),
                "met": met,
                "met_pct": _pct(met, len(statuses)),
            }
        )
    return history


def statement_rows(*, vendor: Vendor | None, month_from: date, month_to: date) -> list[dict]:
    """The credit statements (``slas.selectors.credit_statements``) between two months.

    Every report reads its credits here, from the one reader of credit
    figures, so the report's numbers are the credit-statements API's. Keys
    are renamed for the report: ``due``, ``earned_back``, ``pending``,
    ``net``, ``cap`` (the at-risk amount), ``credit_month``.
    """
    rows = credit_statements(
        user=None,
        vendor=vendor,
        month_from=month_from,
        month_to=month_to,
        breaches=Breach.objects.all(),
    )
    return [
        {
            "contract_id": r["contract"],
            "reference": r["reference"],
            "vendor_id": r["vendor_id"],
            "currency": r["currency"],
            "credit_month": r["month"],
            "cap": r["at_risk_amount"],
            "due": r["credits_due"],
            "earned_back": r["credits_earned_back"],
            "pending": r["credits_pending_earn_back"],
            "net": r["net_credit"],
        }
        for r in rows
    ]


def _credit_totals(rows: list[dict]) -> dict[str, dict[str, str]]:
    totals: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"due": ZERO, "earned_back": ZERO, "net": ZERO, "pending": ZERO}
    )
    for row in rows:
        bucket = totals[row["currency"]]
        for key in ("due", "earned_back", "net", "pending"):
            bucket[key] += row[key]
    return {cur: {k: str(v) for k, v in t.items()} for cur, t in sorted(totals.items())}


def _credits(*, vendor: Vendor, quarter: str) -> dict[str, Any]:
    """Credits of the quarter, the previous quarter, and per month over the last year."""
    months = quarters.months(quarter)
    previous = quarters.months(quarters.shift(quarter, -1))
    year_ago = quarters.months(quarters.shift(quarter, -3))[0]
    rows = statement_rows(vendor=vendor, month_from=year_ago, month_to=months[-1])
    this = [r for r in rows if r["credit_month"] >= months[0]]
    before = [r for r in rows if previous[0] <= r["credit_month"] <= previous[-1]]
    current, prior = _credit_totals(this), _credit_totals(before)
    change = {}
    for currency in sorted(set(current) | set(prior)):
        now_due = Decimal(current.get(currency, {}).get("due", "0"))
        then_due = Decimal(prior.get(currency, {}).get("due", "0"))
        change[currency] = (
            str(((now_due - then_due) * 100 / then_due).quantize(Decimal("1"), ROUND_HALF_UP))
            if then_due
            else None
        )
    by_month: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for r in rows:
        by_month[r["currency"]][r["credit_month"].isoformat()] += r["due"]
    all_months = [quarters.months(quarters.shift(quarter, -i)) for i in (3, 2, 1, 0)]
    flat = [m.isoformat() for group in all_months for m in group]
    return {
        "quarter": current,
        "previous_quarter": prior,
        "change_pct": change,
        "statements": [
            {
                "contract": r["reference"],
                "month": r["credit_month"].isoformat(),
                "currency": r["currency"],
                "at_risk_amount": str(r["cap"]),
                "due": str(r["due"]),
                "earned_back": str(r["earned_back"]),
                "pending": str(r["pending"]),
                "net": str(r["net"]),
            }
            for r in sorted(this, key=lambda r: (r["credit_month"], r["reference"]))
        ],
        "per_month": {
            cur: [{"month": m, "due": str(values.get(m, ZERO))} for m in flat]
            for cur, values in sorted(by_month.items())
        },
    }


def _breaches(*, vendor: Vendor, quarter: str, internal: bool) -> list[dict[str, Any]]:
    start, end = quarters.bounds(quarter)
    rows = (
        Breach.objects.filter(
            sla__contract__vendor=vendor, period_end__gte=start, period_end__lte=end
        )
        .exclude(status=sla_choices.BreachStatus.WITHDRAWN)
        .select_related("sla", "sla__contract")
        .order_by("period_start", "sla__name")
    )
    return [
        {
            "id": b.pk,
            "sla": b.sla.name,
            "contract": b.sla.contract.reference,
            "period_start": b.period_start.isoformat(),
            "period_end": b.period_end.isoformat(),
            "actual": _s(b.actual),
            "unit": b.sla.unit,
            "severity": b.get_severity_display(),
            "status": b.get_status_display(),
            "credit": _s(b.credit),
            "currency": b.sla.contract.currency,
            "earn_back": b.get_earn_back_display(),
            "root_cause": b.root_cause,
            "corrective_action": b.corrective_action,
            "waiver_reason": b.waiver_reason if internal else "",
        }
        for b in rows
    ]


def _looking_ahead(*, vendor: Vendor, contracts: list[Contract], quarter: str) -> dict[str, Any]:
    """Notice deadlines, renewals and certification expiries in the next two quarters."""
    window_start = quarters.bounds(quarters.shift(quarter, 1))[0]
    window_end = quarters.bounds(quarters.shift(quarter, 2))[1]
    live = [c for c in contracts if c.status in ("active", "draft")]
    notices = [
        {
            "contract": c.reference,
            "title": c.title,
            "date": c.notice_deadline.isoformat(),
            "renewal": c.get_renewal_display(),
        }
        for c in live
        if c.notice_deadline and window_start <= c.notice_deadline <= window_end
    ]
    renewals = [
        {
            "contract": c.reference,
            "title": c.title,
            "date": c.end_date.isoformat(),
            "renewal": c.get_renewal_display(),
            "next_renewal": _iso(c.next_renewal_date),
        }
        for c in live
        if window_start <= c.end_date <= window_end
    ]
    certs = [
        {"name": str(c).split(" – ", 1)[-1], "date": c.expires_on.isoformat()}
        for c in Certification.objects.filter(
            vendor=vendor, expires_on__gte=window_start, expires_on__lte=window_end
        )
        .select_related("vendor")
        .order_by("expires_on")
    ]
    return {
        "from": window_start.isoformat(),
        "to": window_end.isoformat(),
        "notice_deadlines": sorted(notices, key=lambda r: r["date"]),
        "renewals": sorted(renewals, key=lambda r: r["date"]),
        "certifications": certs,
    }


# --- the executive summary ------------------------------------------------------------


def _money_text(amount: str, currency: str) -> str:
    return f"{Decimal(amount):,.2f} {currency}"


def status_sentence(snapshot: dict[str, Any]) -> str:
    """The report's one-sentence verdict, chosen by rule (first that applies):

    1. no contractual SLA has data in the quarter → "No SLA results were recorded …";
    2. any SLA breached → "N SLA(s) breached in the quarter; credits X CUR, up/down P %
       (or: none the quarter before)";
    3. any at risk → "All N SLAs met their targets; K at risk.";
    4. else → "All N SLAs met their targets in the quarter."

    Then, when they apply: "E escalation(s) open." and "T trending to breach."
    """
    att = snapshot["attainment"]
    credits = snapshot["credits"]
    if not att["measured"]:
        text = f"No SLA results were recorded in {snapshot['quarter_label']}."
    elif att["breached"]:
        plural = "SLA" if att["breached"] == 1 else "SLAs"
        parts = []
        for currency, totals in credits["quarter"].items():
            change = credits["change_pct"].get(currency)
            money_text = _money_text(totals["due"], currency)
            if change is None:
                tail = "none the quarter before" if Decimal(totals["due"]) else ""
            else:
                pct = int(change)
                tail = f"{'up' if pct >= 0 else 'down'} {abs(pct)} %" if pct else "unchanged"
            parts.append(f"{money_text}, {tail}" if tail else money_text)
        credit_text = "; ".join(parts) if parts else "no credits due"
        text = f"{att['breached']} {plural} breached in the quarter; credits {credit_text}."
    elif att["at_risk"]:
        text = f"All {att['measured']} SLAs met their targets; {att['at_risk']} at risk."
    else:
        text = f"All {att['measured']} SLAs met their targets in the quarter."
    escalations = snapshot.get("escalations") or {}
    if escalations.get("tracked") and escalations.get("open"):
        count = escalations["open"]
        text += f" {count} escalation{'s' if count != 1 else ''} open."
    if att["trending_to_breach"]:
        text += f" {att['trending_to_breach']} trending to breach."
    return text


def _summary(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"sentence": status_sentence(snapshot)}


def credits_year_to_date(*, vendor: Vendor | None, today: date) -> dict[str, str]:
    """Credits due from January of ``today``'s year to its month, per currency."""
    rows = statement_rows(vendor=vendor, month_from=date(today.year, 1, 1), month_to=today)
    return {cur: t["due"] for cur, t in _credit_totals(rows).items()}
