"""The demo portfolio behind ``manage.py seed_demo``.

``seed(today=...)`` builds, in order: the demo users (one per role), a dozen
vendors with certifications and contacts, contracts with obligations, change
requests, exit plans and spend, SLAs/KPIs with 18 months of measurements — and
then runs the SLA evaluation so results, breaches and service credits exist.
Everything is keyed on natural keys, so running it again changes nothing.
Dates are relative to ``today`` so the portfolio always looks current: notice
deadlines and certification expiries fall in the coming weeks, the history
ends yesterday.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from core.audit import actor_context
from core.seeding import Seeder
from demo.contracts import seed_contracts
from demo.measurements import seed_measurements
from demo.slas import seed_slas
from demo.users import seed_staff, seed_vendor_user
from demo.vendors import seed_vendors


@dataclass
class SeedReport:
    """What one run did: rows created/updated per model, measurements sent, evaluation."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    measurements: int = 0
    evaluation: str = ""


def seed(*, today: date | None = None) -> SeedReport:
    """Create or refresh the demo portfolio as of ``today`` and evaluate its SLAs."""
    seeder = Seeder(today=today or date.today())
    report = SeedReport()
    with actor_context(source="seed_demo"):
        with transaction.atomic():
            seed_staff(seeder)
            vendors = seed_vendors(seeder)
            seed_vendor_user(seeder, vendors=vendors)
            contracts = seed_contracts(seeder, vendors=vendors)
            pairs = seed_slas(seeder, contracts=contracts)
            report.measurements = seed_measurements(seeder, pairs=pairs)
        # Evaluated after the commit: the engine runs its own transactions.
        report.evaluation = _evaluate(today=seeder.today)
    # Outside the seed's audit context on purpose: pghistory merges nested contexts
    # into one, so each workflow move (its own context: actor + "breach:<action>")
    # would otherwise relabel every event of the seed.
    _seed_breach_workflow(seeder)
    _seed_registered_apps(seeder)
    report.created, report.updated = seeder.created, seeder.updated
    return report


def _evaluate(*, today: date) -> str:
    """Run the evaluation synchronously, as of the seed's today (pending earn-backs)."""
    try:
        from slas.evaluation import evaluate
    except ImportError:
        return "skipped: the SLA evaluation engine (slas.evaluation.evaluate) is not available"
    summary = evaluate(today=today)
    return f"{summary.periods} periods evaluated, {summary.breaches} breaches"


def _seed_registered_apps(seeder: Seeder) -> None:
    """Each later app's own part of the demo (``registry.register_app(demo=...)``).

    They run after the evaluation, so governance, risks, sourcing and reports
    can build on breaches and credits. Each is idempotent by natural keys and
    runs in its own transaction and audit context.
    """
    from core import registry

    for app in registry.apps():
        if app.demo:
            with actor_context(source="seed_demo"), transaction.atomic():
                registry.resolve(app.demo)(seeder)


def _seed_breach_workflow(seeder: Seeder) -> None:
    """Move some breaches along their workflow (see ``demo.breaches``)."""
    from demo.breaches import seed_breach_workflow

    seed_breach_workflow(seeder)
