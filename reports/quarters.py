"""Calendar quarters as QBRs name them: ``2026Q3`` is July to September 2026."""

from __future__ import annotations

from datetime import date

from reports.models import parse_quarter

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def quarter_of(day: date) -> str:
    """The quarter holding ``day``: 2026-08-15 → ``2026Q3``."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def shift(quarter: str, by: int) -> str:
    """The quarter ``by`` quarters away: shift("2026Q1", -1) → ``2025Q4``."""
    start, _ = parse_quarter(quarter)
    index = start.year * 4 + (start.month - 1) // 3 + by
    return f"{index // 4}Q{index % 4 + 1}"


def bounds(quarter: str) -> tuple[date, date]:
    """First and last day of ``quarter``."""
    return parse_quarter(quarter)


def months(quarter: str) -> list[date]:
    """The first day of each of the quarter's three months."""
    start, _ = parse_quarter(quarter)
    return [date(start.year, start.month + i, 1) for i in range(3)]


def label(quarter: str) -> str:
    """``2026Q3`` → ``Q3 2026 (Jul–Sep)``."""
    start, end = parse_quarter(quarter)
    return (
        f"Q{quarter[-1]} {start.year} ({MONTH_ABBR[start.month - 1]}–{MONTH_ABBR[end.month - 1]})"
    )


def just_ended(today: date) -> str:
    """The last quarter that has ended by ``today`` (the one before today's)."""
    return shift(quarter_of(today), -1)
