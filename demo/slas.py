"""Demo SLAs and KPIs: upserted on (contract, name) from ``demo.sla_specs``."""

from __future__ import annotations

from core.seeding import Seeder
from demo.sla_specs import SLAS, SlaSpec
from slas.models import SLA


def seed_slas(seeder: Seeder, *, contracts: dict) -> list[tuple[SLA, SlaSpec]]:
    """Upsert every SLA/KPI. Its window is its contract's term: an expired contract's
    SLA stops with it, a draft's starts with it."""
    pairs = []
    for spec in SLAS:
        contract = contracts[spec.contract]
        instance = seeder.upsert(
            SLA,
            lookup={"contract": contract, "name": spec.name},
            data={
                "kind": spec.kind,
                "category": spec.category,
                "focus": spec.focus,
                "description": spec.description,
                "unit": spec.unit,
                "direction": spec.direction,
                "target": spec.target,
                "warning_level": spec.warning,
                "critical_level": spec.critical,
                "period": spec.period,
                "aggregation": spec.aggregation,
                "allocation_percent": spec.allocation,
                "effective_from": contract.start_date,
                "effective_to": contract.end_date if contract.status == "expired" else None,
            },
            service="slas.services.sla_create",
        )
        pairs.append((instance, spec))
    return pairs
