"""The improvement programme's part of the demo seed (``registry.register_app(demo=...)``).

For the tier-1 and tier-2 vendors (at most three): a situation assessment
with its key issues, four quarters of health surveys from both sides, and
ideas in every status. For the demo representative's vendor (Northwind BPO)
also goals linked to its SLAs — two agreed by both sides, one awaiting the
vendor (which notifies the representative) — and version 1 of its issue
list, approved and published. Idempotent: rows are found by natural keys.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.seeding import Seeder, money, rng
from improvement import health, services
from improvement.choices import DIMENSIONS
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)
from slas.models import SLA, Result
from vendors.models import Vendor

KEY_ISSUES = [
    ("Knowledge of the client's processes sits with a few people at the vendor", 45000),
    ("Reporting is manual and arrives ten days after month end", 30000),
    ("No shared view of the backlog between the two service desks", 18000),
]
IDEAS = [
    ("Automate invoice matching with the ERP's API", "vendor", "implemented", 60000, 52000),
    ("Self-service password reset for end users", "vendor", "approved", 25000, None),
    ("Chatbot for first-line order-status questions", "vendor", "proposed", 40000, None),
    ("Move the night shift offshore", "client", "rejected", 80000, None),
    ("Shared knowledge base for both service desks", "client", "proposed", 15000, None),
]


def seed_improvement(seeder: Seeder) -> None:
    """Assessments, goals, surveys, ideas and an issue-list version for the demo portfolio."""
    office, rep = seeder.users.get("governance"), seeder.users.get("vendor")
    if office is None:
        return
    vendors = list(Vendor.objects.filter(tier__in=[1, 2]).order_by("tier", "name")[:3])
    if rep is not None and rep.vendor_id and rep.vendor not in vendors:
        vendors = [rep.vendor, *vendors[:2]]
    quarters = _last_quarters(seeder, 4)
    for vendor in vendors:
        _seed_assessment(seeder, vendor, office)
        _seed_surveys(seeder, vendor, quarters, office, rep)
        _seed_ideas(seeder, vendor)
    if rep is not None and rep.vendor_id:
        _seed_goals(seeder, rep.vendor, office, rep)
        _seed_issue_list(seeder, rep.vendor, office)


def _last_quarters(seeder: Seeder, count: int) -> list[str]:
    """The ``count`` quarters before today's, oldest first (completed quarters only)."""
    today = seeder.today
    current = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    return health.previous_quarters(current, count)


def _seed_assessment(seeder: Seeder, vendor: Vendor, office) -> None:
    assessment = seeder.upsert(
        SituationAssessment,
        lookup={"vendor": vendor, "title": "Relationship situation assessment"},
        data={
            "assessed_on": seeder.today - timedelta(days=200),
            "summary": "Service levels mostly met, but knowledge and reporting depend on people, "
            "and the two service desks do not share a backlog.",
        },
        service="improvement.services.assessment_create",
    )
    for description, investment in KEY_ISSUES:
        seeder.upsert(
            KeyIssue,
            lookup={"assessment": assessment, "description": description},
            data={"investment_needed": money(investment), "currency": "EUR"},
            service="improvement.services.key_issue_create",
        )


def _seed_surveys(seeder: Seeder, vendor: Vendor, quarters: list[str], office, rep) -> None:
    """Both sides, four quarters; the vendor side drifts apart from the client's, then closes."""
    for number, quarter in enumerate(quarters):
        for side in ("client", "vendor"):
            if HealthSurvey.objects.filter(vendor=vendor, quarter=quarter, side=side).exists():
                continue
            noise = rng("health", vendor.name, quarter, side)
            base = 3 + (1 if side == "vendor" else 0) + (1 if number == 3 else 0)
            scores = {
                name: max(1, min(5, base + noise.choice((-1, 0, 0, 1)))) for name in DIMENSIONS
            }
            data = {"vendor": vendor, "quarter": quarter, "side": side, **scores}
            if side == "vendor" and rep is not None and rep.vendor_id == vendor.pk:
                services.health_survey_create(actor=rep, data=data)
            elif side == "client":
                services.health_survey_create(actor=office, data=data)
            else:
                # Vendors without a demo login: their answers as collected by the office.
                from core.services import model_create

                model_create(model=HealthSurvey, data=data)
            seeder.created["health surveys"] = seeder.created.get("health surveys", 0) + 1


def _seed_ideas(seeder: Seeder, vendor: Vendor) -> None:
    for title, side, status, expected, realised in IDEAS:
        if Idea.objects.filter(vendor=vendor, title=title).exists():
            continue
        seeder.upsert(
            Idea,
            lookup={"vendor": vendor, "title": title},
            data={
                "proposed_by": side,
                "status": status,
                "expected_benefit": money(expected),
                "realised_benefit": money(realised) if realised is not None else None,
                "currency": "EUR",
            },
            service="improvement.services.idea_create",
        )


def _seed_goals(seeder: Seeder, vendor: Vendor, office, rep) -> None:
    slas = list(SLA.objects.filter(contract__vendor=vendor).order_by("contract_id", "name")[:12])
    plans = [
        ("Raise first-contact resolution", "satisfaction", True),
        ("Bring P1 resolution inside target every month", "responsiveness", True),
        ("Cut the cost per transaction by a fifth", "cost", False),  # awaiting the vendor
    ]
    for number, (title, category, vendor_agrees) in enumerate(plans):
        if Goal.objects.filter(vendor=vendor, title=title).exists():
            continue
        linked = [s for s in slas if s.category == category][:1] or slas[number : number + 1]
        data = {
            "vendor": vendor,
            "title": title,
            "kind": "improvement",
            "description": "Agreed at the joint steering committee.",
            "target_date": seeder.today + timedelta(days=180 + 60 * number),
            "owner": office,
            "slas": linked,
        }
        if linked:
            sla = linked[0]
            first = Result.objects.filter(sla=sla).order_by("period_start").first()
            baseline = first.actual if first is not None else sla.target
            data.update(unit=sla.unit, baseline_value=baseline, target_value=sla.target)
            if baseline == sla.target:
                data["target_value"] = sla.target + (
                    Decimal("1") if sla.direction == "higher_is_better" else Decimal("-1")
                )
        goal = services.goal_create(actor=office, data=data)
        if vendor_agrees:  # the vendor first: nobody was kept waiting for these
            services.goal_agree(instance=goal, actor=rep)
        services.goal_agree(instance=goal, actor=office)
        seeder.created["goals"] = seeder.created.get("goals", 0) + 1


def _seed_issue_list(seeder: Seeder, vendor: Vendor, office) -> None:
    if IssueListPublication.objects.filter(vendor=vendor).exists():
        return
    version = services.issue_list_approve(
        actor=office, vendor=vendor, note="Agreed at the last joint steering committee."
    )
    services.issue_list_publish(instance=version, actor=office)
    seeder.created["issue list versions"] = seeder.created.get("issue list versions", 0) + 1
