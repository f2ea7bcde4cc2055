"""Reads of the slas app: scoped querysets, scorecards, credits, the "why" of a period.

Every function starts from ``core.permissions.restrict`` so a row outside
the user's scope is absent everywhere, and uses a fixed number of queries
whatever the number of rows (select_related, window functions, one
aggregate query per page).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse

from contracts.models import Contract
from core import permissions
from core.formatting import plain_number, rounded_like
from slas import choices, credits
from slas.evaluation.periods import period_bounds
from slas.models import SLA, Breach, BreachTransition, Measurement, Result

ZERO = Decimal("0.00")
SCORECARD_PERIODS = 12
SCORECARD_MONTHS = 12
ACTIVE_BREACH = (
    choices.BreachStatus.OPEN,
    choices.BreachStatus.ACKNOWLEDGED,
    choices.BreachStatus.REMEDIATING,
)


# --- lists ------------------------------------------------------------------------


def sla_queryset() -> QuerySet[SLA]:
    """All SLAs with contract, vendor and the last result's status and period (unscoped)."""
    last = Result.objects.filter(sla=OuterRef("pk")).order_by("-period_start")
    return SLA.objects.select_related("contract", "contract__vendor").annotate(
        last_status=Subquery(last.values("status")[:1]),
        last_period_start=Subquery(last.values("period_start")[:1]),
    )


def sla_list(*, user) -> QuerySet[SLA]:
    """The SLAs ``user`` may see, with contract, vendor and the last result's status."""
    return permissions.restrict(sla_queryset(), user=user)


def measurement_list(*, user) -> QuerySet[Measurement]:
    """The measurements ``user`` may see, newest first."""
    return permissions.restrict(
        Measurement.objects.select_related(
            "sla", "sla__contract", "sla__contract__vendor", "recorded_by"
        ),
        user=user,
    ).order_by("-date", "sla_id")


def result_list(*, user) -> QuerySet[Result]:
    """The results ``user`` may see."""
    return permissions.restrict(
        Result.objects.select_related("sla", "sla__contract", "sla__contract__vendor"), user=user
    )


def breach_list(*, user) -> QuerySet[Breach]:
    """The breaches ``user`` may see, newest period first."""
    return permissions.restrict(
        Breach.objects.select_related("sla", "sla__contract", "sla__contract__vendor"), user=user
    )


def breach_transitions(*, breach: Breach) -> list[BreachTransition]:
    """The workflow steps of one breach, oldest first, with actors."""
    return list(breach.transitions.select_related("actor").order_by("at", "id"))


def allocation_totals(*, contract_ids) -> dict[int, Decimal]:
    """Sum of the SLAs' allocation percents per contract (over 100 deserves a warning)."""
    rows = (
        SLA.objects.filter(contract_id__in=list(contract_ids), kind=choices.Kind.SLA)
        .values("contract_id")
        .annotate(total=Sum("allocation_percent"))
    )
    return {r["contract_id"]: r["total"] or ZERO for r in rows}


# --- the "why" of one period --------------------------------------------------------


@dataclass
class PeriodExplanation:
    """One period of an SLA: its bounds, the measurements in it and the rule values used."""

    start: date
    end: date
    result: Result | None
    measurements: list[Measurement]
    breach: Breach | None


def period_explanation(*, sla: SLA, day: date) -> PeriodExplanation:
    """Why the period holding ``day`` has the status it has (three queries)."""
    start, end = period_bounds(sla.period, day)
    result = Result.objects.filter(sla=sla, period_start=start).first()
    measurements = list(sla.measurements.filter(date__range=(start, end)).order_by("date"))
    breach = Breach.objects.filter(sla=sla, period_start=start).first()
    return PeriodExplanation(start, end, result, measurements, breach)


def sla_credits_by_month(*, sla: SLA) -> list[dict]:
    """The credits of one SLA's breaches per month (``slas.credits.month_rows``).

    Withdrawn breaches are not counted; a waived breach's credit shows as
    waived, not as uncapped or due.
    """
    return list(credits.month_rows(sla.breaches.all()))


# --- scorecards ------------------------------------------------------------------


@dataclass
class ScorecardRow:
    """One SLA on a scorecard: its definition, last periods (oldest first) and trend."""

    sla: SLA
    results: list[Result]
    trend: object = None
    cells: list[Result | None] = field(default_factory=list)


@dataclass
class ScorecardSection:
    """One contract on a scorecard: its SLA rows and the allocation total."""

    contract: Contract
    rows: list[ScorecardRow]
    allocation_total: Decimal
    # The contract's credit statements of the last SCORECARD_MONTHS months, newest first.
    credits: list[dict] = field(default_factory=list)

    @property
    def over_allocated(self) -> bool:
        return self.allocation_total > 100


def scorecard(
    *, user, contract_ids=None, vendor_id=None, today: date | None = None
) -> list[ScorecardSection]:
    """SLAs of the given contracts (or of a vendor) with their last 12 periods and trend.

    Five queries whatever the size: the SLAs, the last 12 results of each
    (a window function), the allocation totals, the trends and the credit
    statements of the last 12 months (``slas.credits``, as on the credits page).
    """
    from slas.evaluation import sla_trends

    slas = sla_list(user=user)
    if contract_ids is not None:
        slas = slas.filter(contract_id__in=list(contract_ids))
    if vendor_id is not None:
        slas = slas.filter(contract__vendor_id=vendor_id)
    slas = list(slas.order_by("contract__reference", "kind", "name"))
    ids = [s.pk for s in slas]
    recent = (
        Result.objects.filter(sla_id__in=ids)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("sla_id")], order_by=F("period_start").desc())
        )
        .filter(rank__lte=SCORECARD_PERIODS)
        .order_by("sla_id", "period_start")
    )
    by_sla: dict[int, list[Result]] = defaultdict(list)
    for result in recent:
        by_sla[result.sla_id].append(result)
    trends = sla_trends(sla_ids=ids) if ids else {}
    totals = allocation_totals(contract_ids={s.contract_id for s in slas})
    sections: dict[int, ScorecardSection] = {}
    for sla in slas:
        section = sections.get(sla.contract_id)
        if section is None:
            section = sections[sla.contract_id] = ScorecardSection(
                contract=sla.contract, rows=[], allocation_total=totals.get(sla.contract_id, ZERO)
            )
        results = by_sla.get(sla.pk, [])
        padding: list[Result | None] = [None] * (SCORECARD_PERIODS - len(results))
        section.rows.append(
            ScorecardRow(
                sla=sla, results=results, trend=trends.get(sla.pk), cells=padding + results
            )
        )
    if sections:
        today = date.today() if today is None else today
        first = today.replace(day=1)
        for _ in range(SCORECARD_MONTHS - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        statements = credit_statements(
            user=user,
            breaches=breach_list(user=user).filter(sla__contract_id__in=list(sections)),
            month_from=first,
            month_to=today,
        )
        for row in statements:
            sections[row["contract"]].credits.append(row)
    return list(sections.values())


# --- service credits per contract and month ----------------------------------------


def credit_statements(
    *,
    user,
    vendor=None,
    contract=None,
    month_from: date | None = None,
    month_to: date | None = None,
    breaches: QuerySet[Breach] | None = None,
) -> QuerySet:
    """Credit statements the user may see: one row per contract and month (``slas.credits``).

    ``vendor`` and ``contract`` are instances or ids; ``month_from`` and
    ``month_to`` are dates, inclusive, taken by their month (any day of a
    month selects it). ``breaches`` (already scoped, e.g. the credits page's
    FilterSet) narrows the rows further. Rows are dicts with the figures of
    ``slas.credits.STATEMENT_FIELDS`` plus ``reference``, ``vendor``,
    ``vendor_id``, ``currency``, ``breaches``, ``credits_waived`` and
    ``capped``; one query, newest month first.
    """
    base = breach_list(user=user) if breaches is None else breaches
    if vendor is not None:
        base = base.filter(sla__contract__vendor_id=getattr(vendor, "pk", vendor))
    if contract is not None:
        base = base.filter(sla__contract_id=getattr(contract, "pk", contract))
    if month_from is not None:
        base = base.filter(credit_month__gte=credits.month_floor(month_from))
    if month_to is not None:
        base = base.filter(credit_month__lte=credits.month_floor(month_to))
    return credits.statement_rows(base)


# --- dashboard -------------------------------------------------------------------


def projection_note(*, sla: SLA, projected: Decimal) -> str:
    """The projection in the SLA's unit beside the target it is judged against.

    E.g. "projected 87.1 % vs target ≥ 90 %"; rounded to one place more than the
    target has (``core.formatting.rounded_like``).
    """
    unit = f" {sla.unit}" if sla.unit else ""
    sign = "≥" if sla.higher_is_better else "≤"
    return (
        f"projected {rounded_like(projected, reference=sla.target)}{unit} "
        f"vs target {sign} {plain_number(sla.target)}{unit}"
    )


TRENDING_CACHE_SECONDS = 24 * 3600


def _evaluation_stamp() -> tuple:
    """How many rows of results and SLAs were ever written: changes with every evaluation.

    PostgreSQL's own row counters (inserted + updated + deleted) of the two
    tables the trends depend on (results; an SLA's target and direction):
    read in microseconds, where summing the results themselves reads 500,000
    rows. Other sessions' counts arrive once they commit (PostgreSQL reports
    them within seconds of a transaction's end); this session's own writes,
    not yet reported, are added from the ``xact`` counters, so a correction
    evaluated earlier in the same transaction is seen at once.
    """
    tables = [Result._meta.db_table, SLA._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_stat_get_tuples_inserted(c.oid)"
            " + pg_stat_get_tuples_updated(c.oid) + pg_stat_get_tuples_deleted(c.oid)"
            " + pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)"
            " + pg_stat_get_xact_tuples_deleted(c.oid)"
            " FROM pg_class c WHERE c.oid = ANY(%s::regclass[]) ORDER BY c.relname",
            [tables],
        )
        return tuple(cursor.fetchall())


def ids_array(ids) -> RawSQL:
    """``pk__in=ids_array(ids)``: thousands of ids as one array parameter.

    A plain ``pk__in=[...]`` compiles one placeholder per id (25 ms for the
    benchmark's 4,500 trending SLAs, twice per dashboard view).
    """
    return RawSQL("SELECT unnest(%s::bigint[])", [sorted(ids)])


def trending_to_breach() -> frozenset[int]:
    """The ids of every SLA in the portfolio trending to breach (unscoped).

    Fitting 20,000 SLAs' lines takes a second or more, and the answer only
    changes when an evaluation does: it is computed once per evaluation
    (keyed by ``_evaluation_stamp``) and kept in the cache. Another process's
    evaluation shows once PostgreSQL has reported its counts (seconds). The
    verdict is ``slas.evaluation.sla_trends``'s, as on the SLA pages; callers
    scope the ids with ``restrict`` and read the figures of the few SLAs they
    show from ``sla_trends`` itself. Only ids are cached: thousands of them
    unpickle in a millisecond, thousands of ``Trend``s would not.
    """
    from slas.evaluation import sla_trends

    key = "slas:trending:" + hashlib.sha1(repr(_evaluation_stamp()).encode()).hexdigest()
    trending = cache.get(key)
    if trending is None:
        trends = sla_trends(sla_ids=SLA.objects.values_list("pk", flat=True))
        trending = frozenset(i for i, t in trends.items() if t.trending_to_breach)
        cache.set(key, trending, TRENDING_CACHE_SECONDS)
    return trending


def dashboard_panels(*, user) -> list[dict]:
    """Three panels: open breaches, SLAs trending to breach, credits this month."""
    from slas.evaluation import sla_trends

    if not user.is_authenticated:
        return []
    breaches = breach_list(user=user).filter(status__in=ACTIVE_BREACH)
    open_count = breaches.count()
    open_rows = [
        (f"{b.sla} · {b.period_start:%Y-%m-%d}", b.get_absolute_url(), b.get_status_display())
        for b in breaches.order_by("-period_start", "sla_id")[:5]
    ]
    visible = permissions.restrict(SLA.objects.all(), user=user).filter(
        pk__in=ids_array(trending_to_breach())
    )
    trending_count = visible.count()
    trending = list(
        visible.only("id", "name", "contract_id", "target", "unit", "direction").order_by("pk")[:5]
    )
    trends = sla_trends(sla_ids=[s.pk for s in trending])  # the figures shown, as on the SLA page
    month = date.today().replace(day=1)
    credit_rows = list(credit_statements(user=user, month_from=month, month_to=month))
    total = sum((r["net_credit"] for r in credit_rows), ZERO)
    return [
        {
            "title": "Open breaches",
            "count": open_count,
            "url": reverse("slas:breach_list") + "?status=open&status=acknowledged"
            "&status=remediating",
            "tone": "bad" if open_count else "ok",
            "rows": open_rows,
        },
        {
            "title": "SLAs trending to breach",
            "count": trending_count,
            "url": reverse("slas:sla_list") + "?trending=true",
            "tone": "warn" if trending_count else "ok",
            "rows": [
                (
                    s.name,
                    s.get_absolute_url(),
                    projection_note(sla=s, projected=trends[s.pk].projected),
                )
                for s in trending
            ],
        },
        {
            "title": f"Service credits {month:%B %Y}",
            "count": len(credit_rows),
            "url": reverse("slas:credit_list") + f"?month={month:%Y-%m}",
            "tone": "warn" if total else "ok",
            "rows": [
                (
                    r["reference"],
                    reverse("slas:contract_scorecard", args=[r["contract"]]),
                    f"{r['net_credit']:,.2f} {r['currency']} net",
                )
                for r in credit_rows[:5]
            ],
        },
    ]
