"""``manage.py seed_demo``: build (or refresh) the demo portfolio and evaluate it.

Idempotent: every row is found again by its natural key, so a second run
neither fails nor duplicates anything. Deterministic: the "random" noise is
seeded by each row's key. Dates are relative to today (or ``--today``).
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from demo.seed import seed


class Command(BaseCommand):
    help = "Create or refresh the demo users, vendors, contracts, SLAs and 18 months of data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Build the portfolio as of this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, **opts):
        today = None
        if opts.get("today"):
            try:
                today = date.fromisoformat(opts["today"])
            except ValueError as exc:
                raise CommandError(f"--today: {exc}") from exc
        report = seed(today=today)
        self._summary(report)

    def _summary(self, report) -> None:
        from contracts.models import Contract
        from slas.models import SLA, Breach, Measurement, Result
        from vendors.models import Certification, Vendor

        out = self.stdout
        out.write(self.style.MIGRATE_HEADING("Demo portfolio"))
        counts = [
            ("vendors", Vendor.objects.count()),
            ("certifications", Certification.objects.count()),
            ("contracts", Contract.objects.count()),
            ("SLAs and KPIs", SLA.objects.count()),
            ("measurements", Measurement.objects.count()),
            ("results", Result.objects.count()),
            ("breaches", Breach.objects.count()),
            ("critical breaches", Breach.objects.filter(severity="critical").count()),
        ]
        by_status = dict(
            Breach.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        )
        for label, count in counts:
            out.write(f"  {label:<18} {count:>7}")
        if by_status:
            out.write("  breach workflow:   " + ", ".join(f"{n} {s}" for s, n in by_status.items()))
        created = sum(report.created.values())
        updated = sum(report.updated.values())
        out.write(
            f"  this run: {created} rows created, {updated} updated, "
            f"{report.measurements} measurements upserted"
        )
        if report.evaluation.startswith("skipped"):
            out.write(self.style.WARNING(f"  evaluation {report.evaluation}"))
        else:
            out.write(f"  evaluation: {report.evaluation}")
