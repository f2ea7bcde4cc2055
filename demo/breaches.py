"""Demo breach workflow: what a governance office would have done with past breaches.

After the evaluation, SLA breaches more than three months old have been
remediated (root cause, corrective action, owner) and resolved; older KPI misses
have been acknowledged; a few recent ones sit at each step (acknowledged,
remediating) and one was waived with a reason. Recent breaches stay open.

Only breaches still ``open`` are moved, so a second run changes nothing. The
moves go through ``slas.services.workflow`` (transitions recorded, waivers
re-share the credit cap) as the governance office demo user.
"""

from __future__ import annotations

from datetime import timedelta

from core.seeding import Seeder, month_offset
from slas.models import Breach

# category -> (root cause, corrective action, owner)
REMEDIATION = {
    "availability": (
        "Storage controller failover did not complete during scheduled patching.",
        "Patching runbook now drains nodes first; failover tested monthly.",
        "Vendor infrastructure lead",
    ),
    "responsiveness": (
        "Night-shift staffing fell below plan after attrition.",
        "Two additional on-call engineers; staffing checked in the weekly ops review.",
        "Vendor delivery manager",
    ),
    "quality": (
        "New joiners were released to production work before calibration.",
        "Calibration sign-off required before go-live; 100 % QA for the first two weeks.",
        "Vendor quality manager",
    ),
    "efficiency": (
        "Volume spike from the year-end campaign was not forecast.",
        "Monthly volume forecast shared with the vendor; flexible pool of 15 FTE agreed.",
        "Client service delivery lead",
    ),
    "satisfaction": (
        "Long hold times during the telephony platform migration.",
        "Migration waves rescheduled outside peak hours; call-back option enabled.",
        "Vendor account director",
    ),
}
DEFAULT = REMEDIATION["quality"]

# (contract, SLA name, month offset of the breached period) -> the step it has reached
SPECIAL = {
    ("BHP-MSA-2023", "Tickets resolved within SLA", -2): "acknowledge",
    ("LCS-MSA-2024", "First-contact resolution", -3): "remediate",
    ("TFO-MSA-2025", "Month-end close support", -9): "waive",
}
WAIVER = "Client-caused: the trial balance reached the vendor two days late."


def seed_breach_workflow(seeder: Seeder) -> None:
    try:
        from slas.services import workflow
    except ImportError:
        return
    actor = seeder.users["governance"]
    old = month_offset(seeder.today, -3)
    breaches = Breach.objects.filter(status="open").select_related("sla__contract")
    for breach in breaches.order_by("period_start", "id"):
        sla = breach.sla
        offset = _months_between(month_offset(seeder.today, 0), breach.period_start)
        special = SPECIAL.get((sla.contract.reference, sla.name, offset))
        if special == "waive":
            workflow.breach_waive(breach=breach, actor=actor, reason=WAIVER)
        elif special == "acknowledge":
            workflow.breach_acknowledge(
                breach=breach, actor=actor, note="Raised at the ops review."
            )
        elif special == "remediate":
            _remediate(workflow, seeder, breach, actor)
        elif breach.period_end < old and sla.kind == "sla":
            _remediate(workflow, seeder, breach, actor)
            workflow.breach_resolve(breach=breach, actor=actor, note="Corrective action verified.")
        elif breach.period_end < old:
            workflow.breach_acknowledge(
                breach=breach, actor=actor, note="Tracked in the KPI improvement plan."
            )
        else:
            continue
        seeder.updated["breaches"] = seeder.updated.get("breaches", 0) + 1


def _remediate(workflow, seeder: Seeder, breach: Breach, actor) -> None:
    cause, action, owner = REMEDIATION.get(breach.sla.category, DEFAULT)
    workflow.breach_remediate(
        breach=breach,
        actor=actor,
        root_cause=cause,
        corrective_action=action,
        remediation_owner=owner,
        remediation_due=breach.period_end + timedelta(days=45),
        note="Root cause agreed with the vendor.",
    )


def _months_between(this_month, period_start) -> int:
    return (period_start.year - this_month.year) * 12 + period_start.month - this_month.month
