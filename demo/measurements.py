"""Demo measurements: 18 months of believable values ending yesterday.

Monthly and quarterly SLAs get one value per month, dated on the 1st (a monthly
figure arrives once the month has closed, so the last one is last month's);
quarterly ones only for whole quarters that have ended;
daily and weekly SLAs get a value for every day from the first day of the month
18 months ago up to yesterday. Noise is seeded by (contract, SLA, date), so a
value never changes between runs, and everything is written with one set-based
upsert on (sla, date).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from core.seeding import MONTHS_OF_HISTORY, Seeder, month_offset, rng
from demo.sla_specs import H, SlaSpec
from slas.models import SLA, Measurement

DAY_LEVEL = {"daily", "weekly"}


def seed_measurements(seeder: Seeder, *, pairs: list[tuple[SLA, SlaSpec]]) -> int:
    """Upsert every demo measurement in one statement; returns how many rows were sent."""
    rows = [m for sla, spec in pairs for m in _measurements(seeder, sla, spec)]
    Measurement.objects.bulk_create(
        rows,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["sla", "date"],
        update_fields=["value", "source", "note"],
    )
    return len(rows)


def _measurements(seeder: Seeder, sla: SLA, spec: SlaSpec) -> list[Measurement]:
    first = month_offset(seeder.today, -MONTHS_OF_HISTORY)
    if spec.period in DAY_LEVEL:
        days = (seeder.yesterday - first).days + 1
        dates = [first + timedelta(days=n) for n in range(days)]
        source = "api"  # pushed daily by the vendor's monitoring / ticketing system
    else:
        dates = [month_offset(seeder.today, k) for k in range(-MONTHS_OF_HISTORY, 0)]
        source = "import"  # the vendor's monthly service report, imported
        if spec.period == "quarterly":
            # A quarter summed from monthly counts is only fair once all three are in.
            dates = [
                d for d in dates if _quarter_start(d) >= first and _quarter_end(d) < seeder.today
            ]
    events = dict(spec.events)
    day_events = {(offset, day): value for offset, day, value in spec.day_events}
    out = []
    for day in dates:
        if day < sla.effective_from or (sla.effective_to and day > sla.effective_to):
            continue
        offset = _month_index(day) - _month_index(seeder.today)
        value = day_events.get((offset, day.day), events.get(offset))
        note = "Exception reported in the vendor's service report." if value is not None else ""
        if value is None:
            value = _ordinary(spec, day, offset)
        out.append(
            Measurement(
                sla=sla,
                date=day,
                value=Decimal(str(round(value, spec.decimals))),
                source=source,
                note=note,
            )
        )
    return out


def _ordinary(spec: SlaSpec, day: date, offset: int) -> float:
    """Typical value (moving along the trend) plus seeded noise, kept on the good side."""
    base = spec.typical
    if spec.trend_to is not None:
        progress = (offset + MONTHS_OF_HISTORY) / (MONTHS_OF_HISTORY - 1)
        base += (spec.trend_to - spec.typical) * min(progress, 1.0)
    value = base + rng(spec.contract, spec.name, day).gauss(0, spec.noise)
    if spec.clamp:
        target = float(spec.target)
        value = max(value, target) if spec.direction == H else min(value, target)
    if spec.floor is not None:
        value = max(value, spec.floor)
    if spec.ceiling is not None:
        value = min(value, spec.ceiling)
    return value


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _quarter_end(day: date) -> date:
    start = _quarter_start(day)
    return month_offset(start, 3) - timedelta(days=1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1
