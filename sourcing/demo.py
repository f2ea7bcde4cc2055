"""Demo data of the sourcing app: a finished sourcing event and a contract's value story.

* "Service desk re-sourcing": criteria cost 40 / capability 30 / security 20 /
  fit 10, three candidates (the demo representative's vendor wins), two
  evaluators who have submitted, due diligence cleared, awarded with a
  rationale; its transition plan is complete (the vendor is active now, so
  the vendor page no longer shows it).
* The winner's first active contract: two years of spend (the 18 months the
  contracts seed writes, plus the 6 before), a one-off transition cost paid in
  the first month, and one approved change request adjusting the baseline.

Idempotent by natural keys (titles, vendor names, (contract, month)).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.seeding import Seeder, money, month_offset, rng
from sourcing import services
from sourcing.models import Candidate, Score, SourcingEvent

TITLE = "Service desk re-sourcing"
CRITERIA = [("Cost", "40"), ("Capability", "30"), ("Security", "20"), ("Cultural fit", "10")]
# Scores per candidate (winner first) per evaluator, in criterion order.
SCORES = {
    0: ([4, 5, 4, 4], [5, 4, 4, 3]),
    1: ([3, 4, 3, 4], [3, 3, 4, 4]),
    2: ([5, 2, 3, 3], [4, 3, 2, None]),  # one score missing: shown, never zero
}


def seed_sourcing(seeder: Seeder) -> None:
    """The finished event and the value story (see the module docstring)."""
    from vendors.models import Vendor

    office = seeder.users.get("governance")
    rep = seeder.users.get("vendor")
    if office is None or rep is None or not rep.vendor_id:
        return
    winner = rep.vendor
    others = [
        seeder.upsert(
            Vendor,
            lookup={"name": name},
            data={
                "legal_name": f"{name} Ltd",
                "country": "Ireland",
                "service_type": "ito",
                "tier": 3,
                "tier_reason": "A service desk candidate of the 2026 sourcing event.",
                "status": "evaluating",
            },
            service="vendors.services.vendor_create",
        )
        for name in ("Harbor Service Desk", "Bluefin Support")
    ]
    admin = seeder.users.get("admin")
    if admin is None:
        return
    evaluators = [office, admin]
    event = SourcingEvent.objects.filter(title=TITLE).first()
    if event is None:
        event = _run_event(seeder, office, evaluators, winner, others)
    _seed_value(seeder, winner)
    seeder.upserted["sourcing events"] = SourcingEvent.objects.filter(pk=event.pk).count()


def _run_event(seeder, office, evaluators, winner, others) -> SourcingEvent:
    """Run the event through the services once, as the office would."""
    event = services.event_create(
        actor=office,
        data={
            "title": TITLE,
            "scope": "First- and second-line service desk for 4,000 users, 24×7.",
            "objectives": "Cut cost per ticket by 15 % while lifting first-contact resolution.",
            "decision_date": seeder.today - timedelta(days=400),
        },
    )
    criteria = services.criteria_replace(
        event=event, actor=office, rows=[{"name": n, "weight": Decimal(w)} for n, w in CRITERIA]
    )
    candidates = []
    for index, vendor in enumerate([winner, *others]):
        # The winner is active today; it was a prospect when the event ran.
        candidate = Candidate.objects.create(event=event, vendor=vendor)
        services.proposal_create(
            actor=office,
            data={
                "candidate": candidate,
                "price": money(900000 + index * 45000),
                "notes": "Fixed price per year, volume bands above 5,000 tickets a month.",
            },
        )
        services.due_diligence_create(
            actor=office,
            data={"candidate": candidate, "kind": "financials", "status": "passed"},
        )
        services.due_diligence_create(
            actor=office,
            data={
                "candidate": candidate,
                "kind": "security_questionnaire",
                "status": "passed" if index != 2 else "open",
            },
        )
        candidates.append(candidate)
    for evaluator in evaluators:
        services.evaluator_assign(actor=office, data={"event": event, "evaluator": evaluator})
    services.event_open(event=event, actor=office)
    for index, candidate in enumerate(candidates):
        proposal = candidate.proposal
        for evaluator, scores in zip(evaluators, SCORES[index], strict=True):
            for criterion, score in zip(criteria, scores, strict=True):
                if score is not None:
                    Score.objects.create(
                        evaluator=evaluator, proposal=proposal, criterion=criterion, score=score
                    )
    for evaluator in evaluators:
        services.evaluator_submit(event=event, actor=evaluator)
    # The award's vendor status change is history: the winner is active today.
    # Record the decision on the event directly rather than moving the vendor back.
    event.status = "awarded"
    event.awarded_candidate = candidates[0]
    event.award_rationale = (
        "Highest weighted average (86.00) with no spread between evaluators; security "
        "questionnaire and financials cleared. Bluefin's open security questionnaire "
        "was blocking."
    )
    event.awarded_by = office
    event.save()
    Candidate.objects.filter(pk=candidates[0].pk).update(status="awarded")
    Candidate.objects.filter(pk__in=[c.pk for c in candidates[1:]]).update(status="not_selected")
    from sourcing.models import ReadinessCriterion, TransitionPlan, TransitionStep

    plan = TransitionPlan.objects.create(
        event=event,
        vendor=winner,
        summary=event.award_rationale,
        knowledge_transfer="Shadowing of the incumbent for six weeks; runbooks handed over.",
        go_live_date=seeder.today - timedelta(days=300),
    )
    for order, title in enumerate(
        ("Knowledge transfer", "Tooling and access", "Parallel run", "Go-live"), start=1
    ):
        TransitionStep.objects.create(plan=plan, order=order, title=title, status="done")
    ReadinessCriterion.objects.create(plan=plan, description="Runbooks signed off", met=True)
    return event


def _seed_value(seeder: Seeder, vendor) -> None:
    """Two years of spend, the transition cost and one baseline adjustment on one contract."""
    from contracts.models import ChangeRequest, Contract, SpendRecord

    contract = (
        Contract.objects.filter(vendor=vendor, status="active", monthly_charge__gt=0)
        .order_by("reference")
        .first()
    )
    if contract is None or not contract.monthly_charge:
        return
    first = max(month_offset(seeder.today, -24), contract.start_date.replace(day=1))
    seeder.upsert(
        Contract,
        lookup={"pk": contract.pk},
        data={
            "transition_cost": money(contract.monthly_charge * Decimal("1.5")),
            "transition_cost_month": first,
            "baseline_annual_cost": contract.baseline_annual_cost
            or money(contract.monthly_charge * Decimal("13.5")),
            "target_savings_percent": contract.target_savings_percent or Decimal("10"),
        },
        service="contracts.services.contract_create",
    )
    rows = []
    for offset in range(-24, -18):
        month = month_offset(seeder.today, offset)
        if month < first:
            continue
        factor = Decimal(str(round(rng(contract.reference, month).uniform(0.97, 1.04), 4)))
        rows.append(
            SpendRecord(
                contract=contract,
                month=month,
                amount=money(contract.monthly_charge * factor),
                invoice_reference=f"INV-{contract.reference}-{month:%Y%m}",
            )
        )
    SpendRecord.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["contract", "month"],
        update_fields=["amount", "invoice_reference"],
    )
    seeder.upsert(
        ChangeRequest,
        lookup={"contract": contract, "title": "Second-line scope added"},
        data={
            "impact": "scope",
            "status": "approved",
            "cost_impact": money(contract.monthly_charge * Decimal("0.05")),
            "baseline_adjustment": money(contract.monthly_charge * Decimal("0.6")),
            "baseline_adjustment_date": month_offset(seeder.today, -10),
            "decision_note": "Baseline moves with the scope: savings measured against it.",
        },
        service="contracts.services.change_request_create",
    )
