"""The demo SLAs and KPIs per contract, in the operational → outcome pairs of DESIGN.md.

Each spec also says how its measurements behave (``typical`` value, ``noise``, an
optional ``trend_to`` reached in the last month) and which months are exceptions
(``events``: month offset from today → value; for daily and weekly SLAs the value
applies to every day of that month; ``day_events``: (month offset, day, value)).
The exceptions tell the demo's stories:

* MER-MSA-2023, month −5: availability, every weekly backlog period ending in the
  month and two nightly batches breach — ≥ 135 % of the at-risk pool, so the cap bites.
* NWB-SOW-01 accuracy, month −7, and MER availability, month −11: critical breaches.
* LCS-MSA-2024 CSAT, months −6…−4: three consecutive months at risk.
* LCO-MSA-2024 (earn-back 3) availability, month −10: breached, then met three times —
  earned back. LCS FCR (earn-back 2): −9 earned back, −3 not (−2 breached too),
  −2 pending (the month after −1 has not ended). SMN P1 response (earn-back 2),
  month −8: earned back.
* BHP-MSA-2023 tickets, months −2 and −1: two breached periods in a row.
"""

from __future__ import annotations

from dataclasses import dataclass

H, L = "higher_is_better", "lower_is_better"


@dataclass(frozen=True)
class SlaSpec:
    """One demo SLA or KPI and the shape of its demo measurements."""

    contract: str
    name: str
    kind: str
    category: str
    focus: str
    unit: str
    direction: str
    target: str
    warning: str | None
    critical: str | None
    period: str
    aggregation: str
    allocation: str
    typical: float
    noise: float
    trend_to: float | None = None
    decimals: int = 2
    floor: float | None = 0
    ceiling: float | None = None
    # Keep ordinary noise on the good side of the target, so that breaches are the
    # chosen exceptions; trending KPIs cross their target on purpose.
    clamp: bool = True
    events: tuple[tuple[int, float], ...] = ()
    day_events: tuple[tuple[int, int, float], ...] = ()
    description: str = ""


# fmt: off
def sla(contract, name, category, unit, direction, target, warning, critical, period,
        aggregation, allocation, typical, noise, **extra) -> SlaSpec:
    """A contractual, operational SLA."""
    return SlaSpec(contract, name, "sla", category, "operational", unit, direction, target,
                   warning, critical, period, aggregation, allocation, typical, noise, **extra)


def kpi(contract, name, category, unit, direction, target, warning, period, aggregation,
        typical, noise, focus="outcome", **extra) -> SlaSpec:
    """A tracked KPI (no service credit), outcome-based unless told otherwise."""
    return SlaSpec(contract, name, "kpi", category, focus, unit, direction, target, warning,
                   None, period, aggregation, "0", typical, noise, **extra)


PCT = {"ceiling": 100}

SLAS = [
    # Northwind BPO – order-to-cash: throughput drives the cost per transaction down.
    sla("NWB-SOW-01", "Transactions processed per hour", "efficiency", "tx/h", H, "42", "45",
        "36", "monthly", "mean", "20", 46, 1.0, trend_to=53,
        description="Average transactions per productive FTE hour."),
    kpi("NWB-SOW-01", "Cost per transaction", "cost", "EUR", L, "2.30", "2.10", "monthly",
        "mean", 2.55, 0.03, trend_to=1.85, clamp=False, decimals=3,
        description="Outcome of the productivity gains: about 25 % lower within a year."),
    sla("NWB-SOW-01", "Processing accuracy", "quality", "%", H, "99.5", "99.7", "99.0",
        "monthly", "mean", "30", 99.82, 0.05, events=((-13, 99.38), (-7, 98.62)), **PCT),
    kpi("NWB-SOW-01", "Customer complaints", "quality", "count", L, "25", "20", "monthly",
        "sum", 30, 2, trend_to=12, clamp=False, decimals=0,
        description="Complaints caused by processing errors (the outcome of accuracy)."),
    sla("NWB-SOW-01", "Customer satisfaction (CSAT)", "satisfaction", "%", H, "85", "88", "80",
        "monthly", "mean", "20", 90.5, 1.0, events=((-12, 84.1),), **PCT),
    # Northwind BPO – accounts payable: improvement ideas drive automation.
    sla("NWB-SOW-02", "Invoice processing accuracy", "quality", "%", H, "99.5", "99.7", "99.0",
        "monthly", "mean", "35", 99.8, 0.06, events=((-4, 99.41),), **PCT),
    sla("NWB-SOW-02", "Invoice cycle time", "efficiency", "days", L, "3", "2.5", "5",
        "monthly", "mean", "25", 2.1, 0.2),
    kpi("NWB-SOW-02", "Improvement ideas implemented", "innovation", "ideas", H, "6", "7",
        "quarterly", "sum", 2.6, 1.0, decimals=0, clamp=False, focus="operational",
        description="Ideas implemented per quarter (monthly counts, summed)."),
    kpi("NWB-SOW-02", "Share of processes automated", "innovation", "%", H, "15", "20",
        "monthly", "last", 8, 0.6, trend_to=34, clamp=False),
    # Meridian Infotech – the contract where the monthly cap bites.
    sla("MER-MSA-2023", "Service availability", "availability", "%", H, "99.9", "99.95",
        "99.5", "monthly", "mean", "25", 99.97, 0.012, decimals=3,
        events=((-11, 99.31), (-5, 99.82)), **PCT),
    sla("MER-MSA-2023", "P1 response time", "responsiveness", "hours", L, "0.5", "0.4", "1.0",
        "monthly", "mean", "15", 0.3, 0.03, events=((-14, 0.62),)),
    sla("MER-MSA-2023", "P1 resolution time", "responsiveness", "hours", L, "4", "3.5", "8",
        "monthly", "mean", "15", 2.9, 0.25),
    sla("MER-MSA-2023", "Ticket backlog", "efficiency", "tickets", L, "120", "100", "180",
        "weekly", "last", "20", 82, 7, decimals=0, events=((-5, 165),),
        description="Open incidents and requests at the end of the week."),
    sla("MER-MSA-2023", "Nightly batch completed on time", "availability", "%", H, "98", "99",
        "95", "daily", "last", "15", 99.6, 0.25,
        day_events=((-9, 14, 97.2), (-5, 9, 96.5), (-5, 23, 94.0)), **PCT),
    kpi("MER-MSA-2023", "Change success rate", "quality", "%", H, "95", "97", "monthly",
        "mean", 97.6, 0.6, focus="operational", **PCT),
    # Luzon Contact Solutions – earn-back 2 and the at-risk streak.
    sla("LCS-MSA-2024", "Customer satisfaction (CSAT)", "satisfaction", "%", H, "85", "88",
        "80", "monthly", "mean", "25", 90.2, 0.8,
        events=((-6, 86.1), (-5, 86.8), (-4, 87.4)), **PCT),
    sla("LCS-MSA-2024", "First-contact resolution", "quality", "%", H, "75", "78", "70",
        "monthly", "mean", "25", 80, 0.9, events=((-9, 73.2), (-3, 74.1), (-2, 72.8)), **PCT),
    sla("LCS-MSA-2024", "Calls answered within 20 seconds", "responsiveness", "%", H, "80",
        "83", "70", "monthly", "mean", "20", 84.5, 1.0, **PCT),
    kpi("LCS-MSA-2024", "Complaints per 10,000 contacts", "quality", "count", L, "6.5", "5",
        "monthly", "mean", 7.2, 0.25, trend_to=4.2, clamp=False),
    # Vistula Software Services.
    sla("VSS-SOW-03", "On-time release delivery", "efficiency", "%", H, "90", "93", "75",
        "monthly", "mean", "30", 95, 1.2, events=((-3, 84.0),), **PCT),
    sla("VSS-SOW-03", "Escaped defects per release", "quality", "defects", L, "3", "2", "6",
        "monthly", "mean", "25", 1.4, 0.3),
    sla("VSS-SOW-03", "P1 resolution time", "responsiveness", "hours", L, "8", "6", "16",
        "monthly", "mean", "20", 4.5, 0.6),
    # Liffey Cloud Operations – earn-back 3.
    sla("LCO-MSA-2024", "Service availability", "availability", "%", H, "99.9", "99.95",
        "99.5", "monthly", "mean", "30", 99.975, 0.008, decimals=3, events=((-10, 99.86),),
        **PCT),
    sla("LCO-MSA-2024", "Backup success rate", "availability", "%", H, "99", "99.5", "97",
        "weekly", "mean", "20", 99.8, 0.15,
        day_events=tuple((-2, day, 97.6) for day in range(10, 17)), **PCT),
    sla("LCO-MSA-2024", "P1 response time", "responsiveness", "hours", L, "0.5", "0.4", "1.0",
        "monthly", "mean", "20", 0.28, 0.04),
    kpi("LCO-MSA-2024", "Cloud cost per workload", "cost", "EUR", L, "430", "390", "monthly",
        "mean", 455, 5, trend_to=360, clamp=False),
    # Tagus Finance Operations – accuracy, and its outcome: compliance fines.
    sla("TFO-MSA-2025", "Reconciliation accuracy", "quality", "%", H, "99.5", "99.7", "99",
        "monthly", "mean", "40", 99.8, 0.06, **PCT),
    sla("TFO-MSA-2025", "Month-end close support", "efficiency", "working days", L, "5", "4",
        "7", "monthly", "max", "30", 3.5, 0.3, decimals=1, events=((-9, 5.5),)),
    kpi("TFO-MSA-2025", "Compliance fines", "compliance", "EUR", L, "0", None, "monthly",
        "sum", 0, 0, decimals=0, events=((-11, 12000),)),
    # Sierra Madre Nearshore – earn-back 2.
    sla("SMN-MSA-2024", "First-contact resolution", "quality", "%", H, "70", "73", "60",
        "monthly", "mean", "25", 76, 1.1, **PCT),
    sla("SMN-MSA-2024", "P1 response time", "responsiveness", "hours", L, "1", "0.75", "2",
        "monthly", "mean", "25", 0.55, 0.06, events=((-8, 1.35),)),
    sla("SMN-MSA-2024", "User satisfaction (CSAT)", "satisfaction", "%", H, "85", "88", "80",
        "monthly", "mean", "20", 89.5, 0.8, **PCT),
    sla("SMN-MSA-2024", "HR data accuracy", "quality", "%", H, "99", "99.5", "98", "monthly",
        "mean", "20", 99.6, 0.12, **PCT),
    # Cape Shared Services.
    sla("CSS-MSA-2024", "Collections accuracy", "quality", "%", H, "99", "99.4", "98",
        "monthly", "mean", "40", 99.55, 0.1, **PCT),
    sla("CSS-MSA-2024", "Onboarding check turnaround", "efficiency", "hours", L, "24", "20",
        "36", "monthly", "mean", "35", 16, 1.3, events=((-2, 27.5),)),
    kpi("CSS-MSA-2024", "Amount collected vs. plan", "cost", "%", H, "95", "100", "monthly",
        "mean", 101, 1.8, clamp=False),
    # Baltic Helpdesk Partners – exiting, and slipping: two breached months in a row.
    sla("BHP-MSA-2023", "Tickets resolved within SLA", "responsiveness", "%", H, "90", "92",
        "80", "monthly", "mean", "40", 93, 0.6, events=((-2, 88.5), (-1, 86.9)), **PCT),
    sla("BHP-MSA-2023", "Customer satisfaction (CSAT)", "satisfaction", "%", H, "85", "88",
        "80", "monthly", "mean", "30", 88.6, 0.8, **PCT),
    sla("BHP-SOW-2023", "Devices replaced on schedule", "efficiency", "%", H, "95", "97", "85",
        "monthly", "mean", "50", 97.8, 0.8, **PCT),
    # Carpathia Data Labs – a draft: defined, not measured yet.
    sla("CDL-MSA-2026", "Pipeline run success", "availability", "%", H, "99", "99.5", "97",
        "monthly", "mean", "40", 99.6, 0.2, **PCT),
]
# fmt: on
