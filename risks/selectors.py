"""Reads of the risks app: scoped lists, the heat map, concentration, reviews due,
continuity standing and a vendor's risk posture.

Every list starts from ``core.permissions.restrict`` (a vendor representative
sees no risk, no assessment, no plan; only their vendor's findings). Counts
and ratings are computed in SQL with ``risks.rules.rating_sql``, so the heat
map, the filters and the dashboard agree with the Python ``rules.rating``.
The QBR calls ``heatmap_counts`` and ``open_high_critical``: keep them stable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from core.permissions import VIEW, restrict
from risks import rules
from risks.choices import (
    OPEN_FINDING_STATUSES,
    OPEN_STATUSES,
    Category,
    ContinuityState,
    Rating,
    ReviewSubject,
)
from risks.models import (
    Assessment,
    ContinuityPlan,
    Finding,
    ReviewCadence,
    Risk,
    RiskReview,
)
from vendors.models import Vendor

HIGH_RATINGS = (Rating.HIGH.value, Rating.CRITICAL.value)
# Vendors in service get reassessed; prospects and exited vendors do not.
REASSESSED_STATUSES = ("onboarding", "active", "exiting")


def with_scores(queryset: QuerySet[Risk]) -> QuerySet[Risk]:
    """Annotate ``score_inherent``, ``score_residual`` and their ``rating_*`` bands (SQL)."""
    return queryset.annotate(
        score_inherent=rules.score_sql(residual=False),
        score_residual=rules.score_sql(residual=True),
    ).annotate(
        rating_inherent=rules.rating_sql(rules.score_sql(residual=False)),
        rating_residual=rules.rating_sql(rules.score_sql(residual=True)),
    )


def risk_list(*, user, action: str = VIEW) -> QuerySet[Risk]:
    """The risks ``user`` may see (or change), with scores, ratings, vendor, contract, owner."""
    return restrict(
        with_scores(Risk.objects.select_related("vendor", "contract", "owner")),
        user=user,
        action=action,
    )


def open_risks(*, user, vendor: Vendor | None = None) -> QuerySet[Risk]:
    """Open (not closed) risks ``user`` may see, optionally of one vendor."""
    risks = risk_list(user=user).filter(status__in=OPEN_STATUSES)
    return risks.filter(vendor=vendor) if vendor is not None else risks


def risk_review_list(*, user, action: str = VIEW) -> QuerySet[RiskReview]:
    """Rows of risk histories ``user`` may see, with their risk and reviewer."""
    return restrict(
        RiskReview.objects.select_related("risk__vendor", "reviewed_by"), user=user, action=action
    )


def assessment_list(*, user, action: str = VIEW) -> QuerySet[Assessment]:
    """Assessments ``user`` may see, with their vendor and how many findings are open."""
    return restrict(
        Assessment.objects.select_related("vendor")
        .annotate(
            open_findings=Count("findings", filter=Q(findings__status__in=OPEN_FINDING_STATUSES))
        )
        # A grouped query drops Meta.ordering: name the order (stable pages).
        .order_by("-date", "vendor__name", "pk"),
        user=user,
        action=action,
    )


def finding_list(*, user, action: str = VIEW) -> QuerySet[Finding]:
    """Findings ``user`` may see (a vendor representative: their vendor's), assessment loaded."""
    return restrict(
        Finding.objects.select_related("assessment__vendor", "owner"), user=user, action=action
    )


def continuity_plan_list(*, user, action: str = VIEW) -> QuerySet[ContinuityPlan]:
    """Continuity plans ``user`` may see, with their vendor."""
    return restrict(ContinuityPlan.objects.select_related("vendor"), user=user, action=action)


def review_cadence_list(*, user) -> QuerySet[ReviewCadence]:
    """The cadence per tier (internal: none for vendor representatives)."""
    return restrict(ReviewCadence.objects.all(), user=user)


def cadence_months(*, tier: int) -> int:
    """Months between reviews for a vendor of ``tier`` (the default when no row exists)."""
    months = ReviewCadence.objects.filter(tier=tier).values_list("months", flat=True).first()
    return months or rules.DEFAULT_CADENCE_MONTHS.get(tier, 12)


# --- Heat map and concentration ------------------------------------------------------


def heatmap_counts(*, user, vendor: Vendor | None = None, residual: bool = True) -> list[list[int]]:
    """Open risks per cell of the 5×5 map: ``grid[likelihood - 1][impact - 1]`` = count.

    ``residual=True`` places each risk by its residual factors, else by its
    inherent ones. One query. Stable: the QBR calls it.
    """
    prefix = "residual_" if residual else ""
    rows = (
        open_risks(user=user, vendor=vendor)
        .order_by()
        .values_list(f"{prefix}likelihood", f"{prefix}impact")
        .annotate(n=Count("id"))
    )
    grid = [[0] * 5 for _ in rules.SCALE]
    for likelihood, impact, n in rows:
        grid[likelihood - 1][impact - 1] = n
    return grid


def open_high_critical(*, user, vendor: Vendor | None = None) -> QuerySet[Risk]:
    """Open risks whose *residual* rating is high or critical, worst first. Stable (QBR)."""
    return (
        open_risks(user=user, vendor=vendor)
        .filter(rating_residual__in=HIGH_RATINGS)
        .order_by("-score_residual", "-score_inherent", "vendor__name", "title")
    )


@dataclass
class Concentration:
    """Open high and critical (residual) risks counted per vendor and per category."""

    by_vendor: list[tuple[Vendor, int, int]]  # (vendor, high, critical), most first
    by_category: list[tuple[str, int, int]]  # (category label, high, critical)


def concentration(*, user) -> Concentration:
    """Where the serious open risks gather: per vendor and per category (two queries)."""
    base = open_high_critical(user=user).order_by()
    counts = {
        "high": Count("id", filter=Q(rating_residual=Rating.HIGH)),
        "critical": Count("id", filter=Q(rating_residual=Rating.CRITICAL)),
    }
    per_vendor = base.values("vendor").annotate(**counts)
    vendors = {v.pk: v for v in Vendor.objects.filter(pk__in=[r["vendor"] for r in per_vendor])}
    by_vendor = sorted(
        ((vendors[r["vendor"]], r["high"], r["critical"]) for r in per_vendor),
        key=lambda t: (-(t[1] + t[2]), -t[2], t[0].name),
    )
    per_category = base.values("category").annotate(**counts)
    labels = dict(Category.choices)
    by_category = sorted(
        ((labels[r["category"]], r["high"], r["critical"]) for r in per_category),
        key=lambda t: (-(t[1] + t[2]), -t[2], t[0]),
    )
    return Concentration(by_vendor=by_vendor, by_category=by_category)


def ratings_count(risks: QuerySet[Risk], *, residual: bool = True) -> dict[str, int]:
    """How many of ``risks`` fall in each band, every band present (one query)."""
    key = "rating_residual" if residual else "rating_inherent"
    found = dict(risks.order_by().values_list(key).annotate(n=Count("id")))
    return {band.value: found.get(band.value, 0) for band in Rating}


# --- Reviews that come due -----------------------------------------------------------


@dataclass
class DueItem:
    """A risk review or vendor reassessment due or overdue on a given day."""

    subject: str
    object_id: int
    vendor_id: int
    vendor_name: str
    label: str
    due_on: date
    url: str
    state: str  # "due" or "overdue"
    recipients: list = field(default_factory=list)


def risks_due(*, today: date, user=None) -> QuerySet[Risk]:
    """Open risks whose next review falls on or before today + 14 days (all, or in scope)."""
    base = risk_list(user=user) if user is not None else with_scores(Risk.objects.all())
    # The recipients: the risk's owner, else the vendor's relationship owner.
    base = base.select_related("vendor__relationship_owner", "owner")
    return base.filter(
        status__in=OPEN_STATUSES, next_review__lte=rules.due_horizon(today)
    ).order_by("next_review", "pk")


def vendors_reassessment(*, today: date, user=None) -> list[Vendor]:
    """Vendors in service with ``reassessment_due`` (date) and ``reassessment_state`` set.

    A vendor is reassessed its tier's cadence after its latest assessment; one
    never assessed is due since it was registered. Two queries.
    """
    vendors = Vendor.objects.select_related("relationship_owner")
    if user is not None:
        vendors = restrict(vendors, user=user)
    vendors = vendors.filter(status__in=REASSESSED_STATUSES).annotate(
        last_assessed=Max("assessments__date"),
        cadence=Subquery(ReviewCadence.objects.filter(tier=OuterRef("tier")).values("months")[:1]),
    )
    out = []
    for vendor in vendors.order_by("name"):
        months = vendor.cadence or rules.DEFAULT_CADENCE_MONTHS.get(vendor.tier, 12)
        if vendor.last_assessed is None:
            vendor.reassessment_due = timezone.localdate(vendor.created_at)
        else:
            vendor.reassessment_due = rules.next_review_after(vendor.last_assessed, months=months)
        vendor.reassessment_state = rules.review_state(vendor.reassessment_due, today)
        out.append(vendor)
    return out


def reviews_due(*, today: date, user=None) -> list[DueItem]:
    """Risk reviews and vendor reassessments due or overdue on ``today``, soonest first.

    With ``user``, only what they may see; without, everything (the daily job).
    """
    items: list[DueItem] = []
    for risk in risks_due(today=today, user=user):
        owner = risk.owner or risk.vendor.relationship_owner
        items.append(
            DueItem(
                subject=ReviewSubject.RISK,
                object_id=risk.pk,
                vendor_id=risk.vendor_id,
                vendor_name=risk.vendor.name,
                label=f"Review of risk “{risk.title}”",
                due_on=risk.next_review,
                url=risk.get_absolute_url(),
                state=rules.review_state(risk.next_review, today),
                recipients=[owner],
            )
        )
    for vendor in vendors_reassessment(today=today, user=user):
        if vendor.reassessment_state not in ("due", "overdue"):
            continue
        items.append(
            DueItem(
                subject=ReviewSubject.REASSESSMENT,
                object_id=vendor.pk,
                vendor_id=vendor.pk,
                vendor_name=vendor.name,
                label=f"Reassessment of {vendor.name}",
                due_on=vendor.reassessment_due,
                url=vendor.get_absolute_url(),
                state=vendor.reassessment_state,
                recipients=[vendor.relationship_owner],
            )
        )
    return sorted(items, key=lambda i: (i.due_on, i.subject, i.object_id))


def my_reviews(*, user, today: date) -> list[DueItem]:
    """The reviews due or overdue that are ``user``'s: risks they own, vendors they own."""
    return [
        item
        for item in reviews_due(today=today, user=user)
        if any(getattr(r, "pk", None) == user.pk for r in item.recipients)
    ]


# --- Continuity ----------------------------------------------------------------------


def continuity_by_vendor(*, vendors: QuerySet[Vendor], today: date) -> dict[int, str]:
    """Each vendor's continuity state (``rules.continuity_state``), one query."""
    latest = ContinuityPlan.objects.filter(
        vendor=OuterRef("pk"), last_test_date__isnull=False
    ).order_by("-last_test_date", "-pk")
    rows = (
        vendors.order_by()
        .annotate(
            plan_count=Count("continuity_plans"),
            last_test=Max("continuity_plans__last_test_date"),
            last_result=Subquery(latest.values("last_test_result")[:1]),
        )
        .values_list("pk", "tier", "plan_count", "last_test", "last_result")
    )
    return {
        pk: rules.continuity_state(
            tier=tier, plan_count=n, last_test=last, last_result=result, today=today
        )
        for pk, tier, n, last, result in rows
    }


def continuity_flagged(*, user, today: date) -> list[tuple[Vendor, str, str]]:
    """Tier-1 vendors (not exited) without a plan tested in the last 12 months:
    ``(vendor, state, label)``, by name."""
    vendors = restrict(Vendor.objects.filter(tier=1).exclude(status="exited"), user=user)
    states = continuity_by_vendor(vendors=vendors, today=today)
    flagged = [pk for pk, s in states.items() if s in rules.FLAGGED_CONTINUITY]
    return [
        (v, states[v.pk], ContinuityState(states[v.pk]).label)
        for v in vendors.filter(pk__in=flagged).order_by("name")
    ]


# --- A vendor's posture --------------------------------------------------------------


def residual_trend(*, risks: QuerySet[Risk], today: date, quarters: int = 4) -> list[tuple]:
    """The summed residual score of ``risks`` at each quarter's end, from their histories.

    At a quarter's end each risk counts with the scores of its latest history
    row dated on or before that day, unless that row says it was closed; a
    risk with no row yet does not count. The current quarter is taken as of
    today. Returns ``[(label "2026Q3", total), …]``, oldest first; one query.
    """
    reviews = (
        RiskReview.objects.filter(risk__in=risks.order_by().values("pk"))
        .order_by("risk_id", "reviewed_on", "id")
        .values_list("risk_id", "reviewed_on", "residual_likelihood", "residual_impact", "status")
    )
    by_risk: dict[int, list] = defaultdict(list)
    for risk_id, day, rl, ri, status in reviews:
        by_risk[risk_id].append((day, rl * ri, status))
    out = []
    for year, quarter in rules.quarters_back(today, quarters):
        end = min(rules.quarter_end(year, quarter), today)
        total = 0
        for rows in by_risk.values():
            current = None
            for day, score, status in rows:
                if day > end:
                    break
                current = (score, status)
            if current is not None and current[1] in OPEN_STATUSES:
                total += current[0]
        out.append((f"{year}Q{quarter}", total))
    return out


def vendor_risk_posture(*, vendor: Vendor, user) -> dict | None:
    """A vendor's risk posture for its page, or None for a user who may not see risks.

    ``open_by_rating`` (residual, every band), ``trend`` (summed residual score
    per quarter, ``residual_trend``), ``open_findings`` (count and the overdue
    among them), ``expired_certifications`` and ``continuity`` (state).
    """
    from vendors.selectors import certification_list

    risks = restrict(Risk.objects.filter(vendor=vendor), user=user)
    if risks.query.is_empty():
        return None  # vendor representatives: no register, no posture
    today = timezone.localdate()
    open_ = open_risks(user=user, vendor=vendor)
    findings = finding_list(user=user).filter(
        assessment__vendor=vendor, status__in=OPEN_FINDING_STATUSES
    )
    finding_counts = findings.aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))
    )
    continuity = continuity_by_vendor(vendors=Vendor.objects.filter(pk=vendor.pk), today=today)
    state = continuity.get(vendor.pk, ContinuityState.NOT_REQUIRED.value)
    return {
        "vendor": vendor,
        "open_by_rating": ratings_count(open_),
        "open_total": open_.count(),
        # Five quarters: a year ago's quarter and every one since, today's included.
        "trend": residual_trend(risks=risks, today=today, quarters=5),
        "open_findings": finding_counts["total"],
        "overdue_findings": finding_counts["overdue"],
        "expired_certifications": list(
            certification_list(user=user).filter(vendor=vendor, expires_on__lt=today)
        ),
        "continuity": state,
        "continuity_label": ContinuityState(state).label,
        "continuity_flagged": state in rules.FLAGGED_CONTINUITY,
    }


# --- Dashboard -----------------------------------------------------------------------

DASHBOARD_ROWS = 8


def dashboard_panels(*, user) -> list[dict]:
    """The risk panels: the residual heat map, reviews due, untested continuity plans."""
    if restrict(Risk.objects.all(), user=user).query.is_empty():
        return []  # vendor representatives see no register
    from risks.heatmaps import heatmap_svg

    today = timezone.localdate()
    open_ = open_risks(user=user)
    by_rating = ratings_count(open_)
    grid = heatmap_counts(user=user)
    list_url = reverse("risks:risk_list")
    tone = "bad" if by_rating["critical"] else ("warn" if by_rating["high"] else "ok")
    heat = {
        "title": "Open risks (residual heat map)",
        "count": sum(by_rating.values()),
        "url": reverse("risks:heatmap"),
        "tone": tone,
        "rows": [
            (f"{Rating(band).label}: {n}", f"{list_url}?open=true&residual_rating={band}", "")
            for band, n in reversed(by_rating.items())
        ],
        "chart": heatmap_svg(grid, residual=True, cell=28),
        "chart_caption": "Likelihood up, impact across; a cell opens its risks.",
    }
    due = reviews_due(today=today, user=user)
    reviews = {
        "title": "Reviews due or overdue",
        "count": len(due),
        "url": reverse("risks:my_reviews") + "?all=true",
        "tone": "bad" if any(i.state == "overdue" for i in due) else ("warn" if due else "ok"),
        "rows": [(i.label, i.url, f"{i.state} {i.due_on:%Y-%m-%d}") for i in due[:DASHBOARD_ROWS]],
    }
    flagged = continuity_flagged(user=user, today=today)
    continuity = {
        "title": "Tier-1 vendors without a continuity plan tested in 12 months",
        "count": len(flagged),
        "url": reverse("risks:continuityplan_list"),
        "tone": "bad" if flagged else "ok",
        "rows": [
            (v.name, v.get_absolute_url(), label.lower())
            for v, _, label in flagged[:DASHBOARD_ROWS]
        ],
    }
    return [heat, reviews, continuity]


def open_findings_by_vendor(*, user, today: date) -> list[tuple[Vendor, int, int]]:
    """Open findings per vendor with how many are overdue: ``(vendor, open, overdue)``,
    most first. Two queries."""
    rows = (
        finding_list(user=user)
        .filter(status__in=OPEN_FINDING_STATUSES)
        .order_by()
        .values("assessment__vendor")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    )
    vendors = Vendor.objects.in_bulk([r["assessment__vendor"] for r in rows])
    return sorted(
        ((vendors[r["assessment__vendor"]], r["open"], r["overdue"]) for r in rows),
        key=lambda t: (-t[1], -t[2], t[0].name),
    )
