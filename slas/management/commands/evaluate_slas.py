"""``manage.py evaluate_slas [--sla ID ...] [--since DATE]``: evaluate now, print a summary."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.audit import actor_context
from slas.evaluation import evaluate
from slas.models import SLA


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since: {value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Evaluate SLAs synchronously (all, or --sla ID ...) and print what changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sla",
            type=int,
            action="append",
            dest="sla_ids",
            metavar="ID",
            help="evaluate this SLA (repeatable); default: all SLAs",
        )
        parser.add_argument("--since", help="only periods ending on/after this date (YYYY-MM-DD)")
        parser.add_argument(
            "--today", help="the date earn-back windows are judged on (default: today)"
        )

    def handle(self, *args, **opts):
        sla_ids = opts["sla_ids"]
        since = _date(opts["since"]) if opts["since"] else None
        today = _date(opts["today"]) if opts["today"] else None
        if sla_ids:
            missing = sorted(
                set(sla_ids) - set(SLA.objects.filter(pk__in=sla_ids).values_list("pk", flat=True))
            )
            if missing:
                raise CommandError(f"--sla: no SLA with id {', '.join(map(str, missing))}.")
        with actor_context(user=None, source="evaluate_slas command"):
            summary = evaluate(sla_ids=sla_ids, since=since, today=today)
        out = self.stdout
        out.write(f"Periods evaluated: {summary.periods} (in {summary.batches} batch(es))")
        out.write(f"Results written: {summary.results_written}, deleted: {summary.results_deleted}")
        out.write(
            f"Breaches: {summary.breaches} ({summary.breaches_new} new, "
            f"{summary.breaches_reopened} re-opened); withdrawn: {summary.withdrawn} "
            f"({summary.breaches_withdrawn} in this run)"
        )
        out.write(f"Credits: {summary.credits:.2f}")
        out.write(self.style.SUCCESS("Evaluation done."))
