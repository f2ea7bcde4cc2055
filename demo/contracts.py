"""Demo contracts: MSAs with SOWs under them, their money, renewal terms and notice
periods (a few notice deadlines fall within 90 days of today, one contract has expired,
one is a draft), obligations (some overdue), change requests in every workflow state,
exit plans for the tier-1 vendors and 18 months of invoiced spend."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from contracts.models import ChangeRequest, Contract, ExitPlan, ExitStep, Obligation, SpendRecord
from core.seeding import MONTHS_OF_HISTORY, Seeder, add_months, money, month_offset, rng


@dataclass(frozen=True)
class ContractSpec:
    """One demo contract. ``start``/``end`` are month offsets from today's month;
    ``end_days`` instead ends the term at the month end ``end_days`` after today (so
    that the notice deadline lands a known distance ahead)."""

    reference: str
    vendor: str
    title: str
    contract_type: str = "msa"
    parent: str | None = None
    start: int = -24
    end: int | None = 24
    end_days: int | None = None
    renewal: str = "none"
    renewal_months: int = 0
    notice_days: int = 90
    currency: str = "EUR"
    monthly: int = 0
    at_risk: str = "0"
    earn_back: int = 0
    savings: int = 0
    status: str = "active"
    scope_in: str = ""
    scope_out: str = ""


CONTRACTS = [
    ContractSpec(
        "NWB-MSA-2024",
        "Northwind BPO",
        "Master services agreement – business process services",
        start=-30,
        end_days=130,
        renewal="automatic",
        renewal_months=24,
        notice_days=90,
        scope_in="Framework terms for all business process services; SOWs define the work.",
    ),
    ContractSpec(
        "NWB-SOW-01",
        "Northwind BPO",
        "Order-to-cash processing",
        contract_type="sow",
        parent="NWB-MSA-2024",
        start=-29,
        end=19,
        monthly=420_000,
        at_risk="12",
        savings=25,
        scope_in="Order entry, invoicing, cash application, dunning, customer correspondence.",
        scope_out="Credit decisions above EUR 50,000; legal collections.",
    ),
    ContractSpec(
        "NWB-SOW-02",
        "Northwind BPO",
        "Accounts payable and claims intake",
        contract_type="sow",
        parent="NWB-MSA-2024",
        start=-26,
        end=22,
        monthly=180_000,
        at_risk="10",
        savings=22,
        scope_in="Invoice capture and matching, vendor master data, insurance claims intake.",
        scope_out="Payment release (client treasury).",
    ),
    ContractSpec(
        "MER-MSA-2023",
        "Meridian Infotech",
        "Application management and infrastructure operations",
        start=-40,
        end=20,
        renewal="by_agreement",
        renewal_months=12,
        notice_days=180,
        currency="USD",
        monthly=900_000,
        at_risk="12",
        savings=18,
        scope_in="ERP and e-commerce application management, 24x7 infrastructure operations, "
        "nightly batch and integration monitoring.",
        scope_out="New development above 200 person-days per request (separate SOWs).",
    ),
    ContractSpec(
        "LCS-MSA-2024",
        "Luzon Contact Solutions",
        "Omnichannel customer service",
        start=-32,
        end_days=100,
        renewal="automatic",
        renewal_months=12,
        notice_days=75,
        currency="USD",
        monthly=310_000,
        at_risk="10",
        earn_back=2,
        savings=28,
        scope_in="Voice, chat and e-mail customer service in English and Spanish; first-line "
        "complaint handling.",
        scope_out="Outbound sales campaigns.",
    ),
    ContractSpec(
        "VSS-MSA-2022",
        "Vistula Software Services",
        "Master agreement – software services",
        start=-48,
        end=24,
        renewal="automatic",
        renewal_months=24,
        notice_days=120,
    ),
    ContractSpec(
        "VSS-SOW-03",
        "Vistula Software Services",
        "Mobile and loyalty platform squads",
        contract_type="sow",
        parent="VSS-MSA-2022",
        start=-22,
        end=14,
        monthly=240_000,
        at_risk="8",
        savings=12,
        scope_in="Four cross-functional squads, third-line support for the mobile apps.",
    ),
    ContractSpec(
        "LCO-MSA-2024",
        "Liffey Cloud Operations",
        "Cloud operations and disaster recovery",
        start=-28,
        end_days=110,
        renewal="by_agreement",
        renewal_months=12,
        notice_days=100,
        monthly=150_000,
        at_risk="10",
        earn_back=3,
        savings=15,
        scope_in="Landing-zone operations, backups, DR tests, FinOps reporting.",
    ),
    ContractSpec(
        "TFO-MSA-2025",
        "Tagus Finance Operations",
        "Record-to-report services",
        start=-20,
        end=28,
        renewal="automatic",
        renewal_months=12,
        notice_days=90,
        monthly=65_000,
        at_risk="8",
        savings=20,
        scope_in="Reconciliations, intercompany, month-end close support.",
    ),
    ContractSpec(
        "SMN-MSA-2024",
        "Sierra Madre Nearshore",
        "Americas service desk and HR back office",
        start=-25,
        end=23,
        renewal="by_agreement",
        renewal_months=12,
        notice_days=90,
        currency="USD",
        monthly=210_000,
        at_risk="10",
        earn_back=2,
        savings=24,
        scope_in="Service desk (EN/ES) for the Americas; HR data administration.",
    ),
    ContractSpec(
        "CSS-MSA-2024",
        "Cape Shared Services",
        "Collections and onboarding checks",
        start=-27,
        end=9,
        renewal="automatic",
        renewal_months=12,
        notice_days=60,
        currency="USD",
        monthly=95_000,
        at_risk="9",
        savings=30,
        scope_in="Early-stage collections, KYC document review, data entry.",
    ),
    ContractSpec(
        "BHP-SOW-2023",
        "Baltic Helpdesk Partners",
        "Nordic desktop refresh project",
        contract_type="sow",
        start=-40,
        end=-8,
        monthly=48_000,
        at_risk="10",
        savings=10,
        status="expired",
        scope_in="Replacement of 2,400 laptops in the Nordic offices.",
    ),
    ContractSpec(
        "BHP-MSA-2023",
        "Baltic Helpdesk Partners",
        "Nordic second-line desktop support",
        start=-36,
        end_days=60,
        notice_days=30,
        monthly=55_000,
        at_risk="10",
        savings=14,
        scope_in="Second-line desktop support; being transitioned in-house.",
    ),
    ContractSpec(
        "CDL-MSA-2026",
        "Carpathia Data Labs",
        "Data engineering pilot",
        start=1,
        end=13,
        renewal="by_agreement",
        renewal_months=12,
        notice_days=60,
        monthly=40_000,
        at_risk="8",
        savings=10,
        status="draft",
        scope_in="Pilot: three data pipelines and the sales BI model.",
    ),
]


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _term(seeder: Seeder, spec: ContractSpec) -> tuple[date, date]:
    start = month_offset(seeder.today, spec.start)
    if spec.end_days is not None:
        end = _month_end(seeder.days(spec.end_days))
    else:
        end = month_offset(seeder.today, spec.end) - timedelta(days=1)
    return start, end


def seed_contracts(seeder: Seeder, *, vendors: dict) -> dict[str, Contract]:
    """Contracts (parents first), then obligations, change requests, exit plans, spend."""
    contracts: dict[str, Contract] = {}
    for spec in CONTRACTS:
        start, end = _term(seeder, spec)
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        monthly = money(spec.monthly)
        # Baseline: what the work cost in-house, so that the target saving is what
        # the contracted charge delivers.
        baseline = money(spec.monthly * 12 / (1 - spec.savings / 100)) if spec.monthly else 0
        contracts[spec.reference] = seeder.upsert(
            Contract,
            lookup={"reference": spec.reference},
            data={
                "vendor": vendors[spec.vendor],
                "title": spec.title,
                "contract_type": spec.contract_type,
                "parent": contracts[spec.parent] if spec.parent else None,
                "start_date": start,
                "end_date": end,
                "renewal": spec.renewal,
                "renewal_months": spec.renewal_months,
                "notice_days": spec.notice_days,
                "currency": spec.currency,
                "monthly_charge": monthly,
                "total_value": money(monthly * months),
                "at_risk_percent": Decimal(spec.at_risk),
                "earn_back_periods": spec.earn_back,
                "baseline_annual_cost": money(baseline),
                "target_savings_percent": Decimal(spec.savings),
                "scope_in": spec.scope_in,
                "scope_out": spec.scope_out,
                "status": spec.status,
            },
            service="contracts.services.contract_create",
        )
    _seed_obligations(seeder, contracts)
    _seed_change_requests(seeder, contracts)
    _seed_exit_plans(seeder, contracts)
    _seed_spend(seeder, contracts)
    return contracts


# (title, party, recurrence, due in days from today, status) for every active, charged contract
OBLIGATIONS = [
    ("Monthly service performance report", "vendor", "monthly", 10, "open"),
    ("Annual SOC 2 Type II report delivered", "vendor", "annually", -21, "open"),
    ("Business continuity test evidence", "vendor", "annually", 45, "in_progress"),
    ("Approve invoices within 30 days", "client", "monthly", 5, "open"),
    ("Quarterly business review held", "client", "quarterly", -4, "met"),
]
# extra one-off obligations: contract -> (title, party, due in days, status)
EXTRA_OBLIGATIONS = {
    "NWB-SOW-01": ("Provide updated dunning letter templates", "client", -12, "in_progress"),
    "MER-MSA-2023": ("Disaster recovery failover test", "vendor", -35, "open"),
    "LCS-MSA-2024": ("Spanish-language quality calibration", "vendor", -2, "missed"),
    "BHP-MSA-2023": ("Knowledge base handover to internal team", "vendor", 30, "in_progress"),
}


def _seed_obligations(seeder: Seeder, contracts: dict[str, Contract]) -> None:
    owner = seeder.users["governance"]
    for ref, contract in contracts.items():
        if contract.status != "active" or not contract.monthly_charge:
            continue
        rows = list(OBLIGATIONS)
        if ref in EXTRA_OBLIGATIONS:
            title, party, due, status = EXTRA_OBLIGATIONS[ref]
            rows.append((title, party, "none", due, status))
        for title, party, recurrence, due, status in rows:
            seeder.upsert(
                Obligation,
                lookup={"contract": contract, "title": title},
                data={
                    "party": party,
                    "recurrence": recurrence,
                    "due_date": seeder.days(due),
                    "status": status,
                    "owner": owner if party == "client" else None,
                },
                service="contracts.services.obligation_create",
            )


# contract -> [(reference, title, impact, monthly cost impact, status)]
CHANGE_REQUESTS = {
    "NWB-SOW-01": [
        (
            "CR-NWB-007",
            "Add Spanish-language customer correspondence",
            "scope",
            18_500,
            "implemented",
        ),
        (
            "CR-NWB-011",
            "Automate cash application with remittance OCR",
            "cost",
            -24_000,
            "assessed",
        ),
    ],
    "MER-MSA-2023": [
        (
            "CR-MER-031",
            "Move the nightly batch window to 01:00–05:00 CET",
            "schedule",
            None,
            "approved",
        ),
        ("CR-MER-034", "Tighten P1 response target to 20 minutes", "sla", 12_000, "proposed"),
    ],
    "LCS-MSA-2024": [
        ("CR-LCS-004", "Weekend chat coverage", "scope", 22_000, "proposed"),
    ],
    "VSS-SOW-03": [
        ("CR-VSS-015", "Reduce from five to four squads", "cost", -48_000, "implemented"),
        ("CR-VSS-016", "Extend the warranty period to 90 days at no cost", "scope", 0, "rejected"),
    ],
    "LCO-MSA-2024": [
        ("CR-LCO-002", "Monthly FinOps dashboard for business units", "scope", 6_000, "approved"),
    ],
}
DECIDED = {"approved", "rejected", "implemented"}


def _seed_change_requests(seeder: Seeder, contracts: dict[str, Contract]) -> None:
    decider = seeder.users["governance"]
    for ref, rows in CHANGE_REQUESTS.items():
        for index, (cr_ref, title, impact, cost, status) in enumerate(rows):
            decided = status in DECIDED
            decided_at = datetime.combine(seeder.days(-40 - 15 * index), time(10), tzinfo=UTC)
            seeder.upsert(
                ChangeRequest,
                lookup={"contract": contracts[ref], "reference": cr_ref},
                data={
                    "title": title,
                    "impact": impact,
                    "cost_impact": money(cost) if cost is not None else None,
                    "status": status,
                    "requested_by": contracts[ref].vendor.name if cost and cost < 0 else "Client",
                    "decided_by": decider if decided else None,
                    "decided_at": decided_at if decided else None,
                    "decision_note": (
                        "Declined: warranty terms are fixed in the MSA."
                        if status == "rejected"
                        else "Approved at the joint steering committee."
                        if decided
                        else ""
                    ),
                },
                service="contracts.services.change_request_create",
            )


# contract -> (summary, IP transfer, data return, last tested months ago, steps)
EXIT_PLANS = {
    "NWB-SOW-01": (
        "Transition order-to-cash to a successor provider or in-house within 9 months.",
        "Process maps, desk procedures and training material are client IP; two-month "
        "shadowing period with the successor.",
        "All ledgers, correspondence archives and case notes returned in CSV/PDF within 30 "
        "days of exit; certified deletion afterwards.",
        7,
    ),
    "MER-MSA-2023": (
        "Hand over application management and operations within 12 months; dual running "
        "for the ERP month-end close.",
        "Source code, runbooks, monitoring configuration and the CMDB are client property.",
        "Configuration backups and ticket history exported; access revoked on exit day.",
        14,
    ),
}
EXIT_STEPS = [
    ("Notify exit and confirm the transition governance", "Governance office", 0, 1),
    ("Knowledge transfer and shadowing", "Vendor delivery manager", 1, 3),
    ("Parallel run with the successor", "Successor transition lead", 3, 5),
    ("Data return and certified deletion", "Vendor security officer", 5, 6),
    ("Final acceptance and contract close-out", "Vendor relationship manager", 6, 7),
]


def _seed_exit_plans(seeder: Seeder, contracts: dict[str, Contract]) -> None:
    for ref, (summary, ip, data_return, tested_ago) in EXIT_PLANS.items():
        plan = seeder.upsert(
            ExitPlan,
            lookup={"contract": contracts[ref]},
            data={
                "summary": summary,
                "ip_transfer": ip,
                "data_return": data_return,
                "last_tested_on": add_months(seeder.today, -tested_ago),
            },
            service="contracts.services.exit_plan_create",
        )
        # Step dates are relative to a notional exit notice in three months.
        notice = month_offset(seeder.today, 3)
        for order, (title, owner, start, due) in enumerate(EXIT_STEPS, start=1):
            seeder.upsert(
                ExitStep,
                lookup={"plan": plan, "order": order},
                data={
                    "title": title,
                    "owner": owner,
                    "start_date": add_months(notice, start),
                    "due_date": add_months(notice, due) - timedelta(days=1),
                    "status": "planned",
                },
                service="contracts.services.exit_step_create",
            )


def _seed_spend(seeder: Seeder, contracts: dict[str, Contract]) -> None:
    """Invoiced spend for the last 18 months: one set-based upsert on (contract, month)."""
    rows = []
    for ref, contract in contracts.items():
        if not contract.monthly_charge or contract.status == "draft":
            continue
        for offset in range(-MONTHS_OF_HISTORY, 0):
            month = month_offset(seeder.today, offset)
            if not contract.start_date <= month <= contract.end_date:
                continue
            # Invoices vary a little with volumes and approved change requests.
            factor = Decimal(str(round(rng(ref, month).uniform(0.97, 1.04), 4)))
            rows.append(
                SpendRecord(
                    contract=contract,
                    month=month,
                    amount=money(contract.monthly_charge * factor),
                    invoice_reference=f"INV-{ref}-{month:%Y%m}",
                )
            )
    SpendRecord.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["contract", "month"],
        update_fields=["amount", "invoice_reference"],
    )
    seeder.upserted["spend records"] = len(rows)
