"""The risks part of the demo seed: a register spread across the heat map with a year of
quarterly reviews, two assessments with findings, continuity plans and the cadences.

Idempotent by natural keys: a risk is found again by vendor and title (its
history is written only when it is first created), an assessment by vendor,
kind and date offset, a finding by assessment and title, a plan by vendor and
title. Dates are relative to ``seeder.today``.
"""

from __future__ import annotations

from datetime import timedelta

from contracts.dates import add_months
from contracts.models import Contract
from core.seeding import Seeder
from risks import services
from risks.models import Assessment, ContinuityPlan, Finding, ReviewCadence, Risk
from risks.rules import DEFAULT_CADENCE_MONTHS
from vendors.models import Vendor

# vendor, title, category, (L, I) inherent, (L, I) residual now, treatment, status, owner
RISKS = [
    (
        "Northwind BPO",
        "Customer personal data processed offshore",
        "privacy",
        (5, 5),
        (3, 4),
        "mitigate",
        "mitigating",
        "manager",
    ),
    (
        "Northwind BPO",
        "Single delivery centre in Pune",
        "business_continuity",
        (3, 5),
        (2, 5),
        "mitigate",
        "open",
        "manager",
    ),
    (
        "Northwind BPO",
        "Attrition of trained claims agents",
        "operational",
        (4, 3),
        (3, 3),
        "mitigate",
        "mitigating",
        "manager",
    ),
    (
        "Northwind BPO",
        "Revenue-critical order-to-cash with one provider",
        "concentration",
        (4, 4),
        (4, 4),
        "accept",
        "accepted",
        "governance",
    ),
    (
        "Meridian Infotech",
        "Privileged access to the ERP by vendor staff",
        "data_security",
        (4, 5),
        (2, 5),
        "mitigate",
        "mitigating",
        "governance",
    ),
    (
        "Meridian Infotech",
        "Knowledge of the batch chain held by two engineers",
        "exit_lock_in",
        (3, 4),
        (3, 3),
        "mitigate",
        "open",
        "governance",
    ),
    (
        "Meridian Infotech",
        "Unpatched middleware in the web shop",
        "data_security",
        (5, 4),
        (2, 2),
        "mitigate",
        "mitigating",
        "governance",
    ),
    (
        "Meridian Infotech",
        "Rupee cost inflation above the indexation cap",
        "financial",
        (2, 3),
        (2, 2),
        "accept",
        "accepted",
        "governance",
    ),
    (
        "Luzon Contact Solutions",
        "Typhoon season outages at the Manila site",
        "business_continuity",
        (4, 4),
        (3, 2),
        "transfer",
        "mitigating",
        "manager",
    ),
    (
        "Luzon Contact Solutions",
        "Call recordings retained beyond policy",
        "compliance",
        (3, 3),
        (1, 3),
        "mitigate",
        "mitigating",
        "manager",
    ),
    (
        "Luzon Contact Solutions",
        "Spanish-language capacity short at peak",
        "operational",
        (3, 2),
        (2, 2),
        "mitigate",
        "open",
        "manager",
    ),
    (
        "Vistula Software Services",
        "Source code escrow not in place",
        "exit_lock_in",
        (2, 4),
        (2, 4),
        "mitigate",
        "open",
        "governance",
    ),
    (
        "Vistula Software Services",
        "Key developers contracted through a fourth party",
        "operational",
        (2, 2),
        (1, 2),
        "accept",
        "accepted",
        "governance",
    ),
    (
        "Liffey Cloud Operations",
        "Production data outside the EU during failover",
        "privacy",
        (2, 5),
        (1, 5),
        "mitigate",
        "mitigating",
        "manager",
    ),
    (
        "Liffey Cloud Operations",
        "Cloud spend above forecast",
        "financial",
        (4, 2),
        (3, 2),
        "mitigate",
        "open",
        "manager",
    ),
    (
        "Liffey Cloud Operations",
        "Backups never restored end to end",
        "business_continuity",
        (3, 5),
        (3, 5),
        "mitigate",
        "open",
        "manager",
    ),
    (
        "Tagus Finance Operations",
        "Segregation of duties in journal posting",
        "compliance",
        (2, 3),
        (1, 3),
        "mitigate",
        "mitigating",
        "governance",
    ),
    (
        "Sierra Madre Nearshore",
        "Regulatory change to nearshore labour rules",
        "geopolitical",
        (3, 3),
        (3, 3),
        "accept",
        "accepted",
        "governance",
    ),
    (
        "Cape Shared Services",
        "Load-shedding interrupts service",
        "business_continuity",
        (5, 3),
        (2, 3),
        "mitigate",
        "mitigating",
        "governance",
    ),
    (
        "Manila Digital Works",
        "Small supplier's financial stability",
        "financial",
        (2, 2),
        (2, 2),
        "accept",
        "accepted",
        "governance",
    ),
    (
        "Baltic Helpdesk Partners",
        "Knowledge loss during the exit",
        "exit_lock_in",
        (4, 3),
        (2, 3),
        "mitigate",
        "mitigating",
        "governance",
    ),
    (
        "Carpathia Data Labs",
        "Sanctions exposure of a sub-processor",
        "geopolitical",
        (1, 5),
        (1, 4),
        "avoid",
        "open",
        "governance",
    ),
    (
        "Tagus Finance Operations",
        "Month-end close slips past day 5",
        "operational",
        (1, 1),
        (1, 1),
        "accept",
        "closed",
        "governance",
    ),
]
# Reviews a year long, one a quarter; the most recent ones leave some reviews overdue
# (offset in days from today of the last review, per risk index).
LAST_REVIEW_DAYS_AGO = {0: 100, 1: 20, 4: 95, 5: 190, 8: 60, 15: 200}

ASSESSMENTS = [
    (
        "Northwind BPO",
        "soc2_review",
        -60,
        "Big Four audit firm (SOC 2 Type II report, period ending last quarter)",
        "Two exceptions on logical access; one on change management. Bridge letter requested.",
        [
            ("Terminated users kept access for up to 21 days", "high", 30, "in_progress"),
            ("Quarterly access recertification not evidenced", "medium", -10, "open"),
            ("Emergency changes approved after the fact", "medium", 45, "open"),
            ("Visitor log incomplete at the Pune site", "low", -30, "closed"),
        ],
    ),
    (
        "Meridian Infotech",
        "penetration_test",
        -150,
        "Independent CREST-accredited testers",
        "External and authenticated testing of the web shop and the ERP portal.",
        [
            ("SQL injection in the order-status search", "critical", -120, "closed"),
            ("Outdated TLS configuration on the B2B endpoint", "high", -20, "in_progress"),
            ("Verbose error pages disclose stack traces", "low", 30, "accepted"),
        ],
    ),
]

# vendor, title, RTO, RPO, months since the last test (None: never), result
PLANS = [
    ("Northwind BPO", "Order-to-cash site failover to Chennai", 24, 4, 16, "partial"),
    ("Meridian Infotech", "ERP and web shop disaster recovery", 8, 1, None, ""),
    ("Liffey Cloud Operations", "Region failover of production workloads", 4, 1, 3, "pass"),
]

STEPS = (
    "1. Declare the incident with the vendor's crisis manager.\n"
    "2. Move the workload to the standby site or region.\n"
    "3. Confirm data restored to the recovery point; reconcile open transactions.\n"
    "4. Inform the business owners; run at reduced capacity until the primary returns."
)


def seed_risks(seeder: Seeder) -> None:
    """The cadence rows, the register with its history, assessments, findings and plans."""
    for tier, months in DEFAULT_CADENCE_MONTHS.items():
        seeder.upsert(ReviewCadence, lookup={"tier": tier}, data={"months": months})
    vendors = {v.name: v for v in Vendor.objects.filter(name__in={r[0] for r in RISKS})}
    for index, spec in enumerate(RISKS):
        if spec[0] in vendors:
            _seed_risk(seeder, vendors[spec[0]], index, spec)
    for name, kind, offset, assessor, summary, findings in ASSESSMENTS:
        vendor = Vendor.objects.filter(name=name).first()
        if vendor is None:
            continue
        assessment = seeder.upsert(
            Assessment,
            lookup={"vendor": vendor, "kind": kind, "date": seeder.days(offset)},
            data={"assessor": assessor, "summary": summary},
            # Not assessment_create: it refuses dates after the real today, and the
            # seed may be built as of another day (seed_demo --today).
        )
        for title, severity, due, status in findings:
            seeder.upsert(
                Finding,
                lookup={"assessment": assessment, "title": title},
                data={
                    "severity": severity,
                    "due_date": seeder.days(due),
                    "status": status,
                    "owner": seeder.users.get("governance"),
                },
                service="risks.services.finding_create",
            )
    for name, title, rto, rpo, months_ago, result in PLANS:
        vendor = Vendor.objects.filter(name=name).first()
        if vendor is None:
            continue
        tested = add_months(seeder.today, -months_ago) if months_ago is not None else None
        seeder.upsert(
            ContinuityPlan,
            lookup={"vendor": vendor, "title": title},
            data={
                "contingency_steps": STEPS,
                "rto_hours": rto,
                "rpo_hours": rpo,
                "last_test_date": tested,
                "last_test_result": result,
            },
            # Not continuity_plan_create: it refuses test dates after the real today,
            # and the seed may be built as of another day (seed_demo --today).
        )


def _seed_risk(seeder: Seeder, vendor: Vendor, index: int, spec) -> None:
    """One risk identified a year ago and reviewed every quarter since, its residual
    score stepping down from the inherent one to today's."""
    _, title, category, (lk, im), (rl, ri), treatment, status, owner = spec
    if Risk.objects.filter(vendor=vendor, title=title).exists():
        return
    identified = add_months(seeder.today, -12)
    contract = Contract.objects.filter(vendor=vendor).order_by("start_date", "pk").first()
    risk = services.risk_create(
        actor=seeder.actor,
        today=identified,
        data={
            "vendor": vendor,
            "contract": contract if index % 3 == 0 else None,
            "title": title,
            "category": category,
            "likelihood": lk,
            "impact": im,
            "controls": "Contractual clauses, quarterly control testing, named owners.",
            "treatment": treatment,
            "owner": seeder.users.get(owner),
            "status": "open",
        },
    )
    last = seeder.today - timedelta(days=LAST_REVIEW_DAYS_AGO.get(index, 10 + 7 * (index % 9)))
    days = [last - timedelta(days=91 * n) for n in range(3, -1, -1)]
    days = [d for d in days if d > identified]
    for step, day in enumerate(days, start=1):
        fraction = step / len(days)
        final = step == len(days)
        data = {
            "reviewed_on": day,
            "likelihood": lk,
            "impact": im,
            "residual_likelihood": rl if final else max(rl, round(lk - (lk - rl) * fraction)),
            "residual_impact": ri if final else max(ri, round(im - (im - ri) * fraction)),
            "status": status if final else "mitigating" if treatment == "mitigate" else "open",
            "note": "Quarterly review with the vendor." if not final else "Latest review.",
        }
        services.risk_review(risk=risk, actor=seeder.users.get(owner), data=data, today=day)
    seeder.created["risks"] = seeder.created.get("risks", 0) + 1
