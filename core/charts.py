"""Tiny server-side SVG charts every app shares: a sparkline, a line chart, a 5×5 heat map.

No JavaScript and no chart library: the markup is plain SVG with inline
styles, so the same function serves web pages and PDF reports (WeasyPrint
renders inline SVG). Points are coloured by the period's status (met /
at_risk / breached); the target is a dashed line and the warning level a
dotted one. Values are ``Decimal`` or numbers; an empty series draws an
empty frame with "no data".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from core.formatting import plain_number

COLOURS = {"met": "#1f8a4c", "at_risk": "#b7791f", "breached": "#c53030", None: "#2457c5"}
LINE = "#2457c5"
TARGET = "#c53030"
WARNING = "#b7791f"
AXIS = "#6b7480"
LABEL_SIZE = 10  # font size of the axis labels, in SVG units


@dataclass(frozen=True)
class Point:
    """One period on a chart: its label (e.g. ``2026-03``), value and status."""

    label: str
    value: Decimal | float
    status: str | None = None


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _half_width(label: str) -> int:
    """Half the drawn width of an axis label, rounded up.

    System sans-serif digits are about 0.55 em wide; 0.6 em per character errs
    on the wide side, so a label centred on the last point never runs past
    the right edge of the SVG (where it would be clipped).
    """
    return math.ceil(len(label) * LABEL_SIZE * 0.6 / 2)


def _labelled(count: int) -> list[int]:
    """Indexes of the points whose x label is drawn: about six, always the last.

    A regular label closer to the last one than the step is dropped, so the two
    never overlap (12 points: 0, 2, 4, 6, 8, 11 rather than ... 8, 10, 11).
    """
    step = max(1, count // 6)
    last = count - 1
    return [i for i in range(0, last, step) if last - i >= step] + [last]


def _scale(values: list[float], lo_pad: float = 0.08) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        spread = abs(low) * 0.05 or 1.0
        return low - spread, high + spread
    pad = (high - low) * lo_pad
    return low - pad, high + pad


def line_chart(
    points: Sequence[Point],
    *,
    target: Decimal | float | None = None,
    warning: Decimal | float | None = None,
    width: int = 640,
    height: int = 220,
    axes: bool = True,
    title: str = "",
    floor: float | None = None,
) -> SafeString:
    """An SVG line chart of ``points`` with optional target and warning lines.

    ``axes=False`` gives a sparkline: no labels, no margins, small dots.
    ``floor`` is the lowest value the axis may show (0 for scores and counts,
    which are never negative, so the padding never draws a -0.5).
    The SVG carries ``role="img"`` and a ``<title>`` for screen readers.
    """
    left, right, top, bottom = (48, 12, 12, 28) if axes else (3, 3, 3, 3)
    if axes and points:
        # The first and last x labels are centred on their points: leave room for
        # half of each (the last one, e.g. "2026-10", was clipped with 12).
        left = max(left, _half_width(points[0].label) + 4)
        right = max(right, _half_width(points[-1].label) + 4)
    inner_w, inner_h = width - left - right, height - top - bottom
    label = escape(title or "Trend chart")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
    ]
    values = [float(p.value) for p in points]
    levels = [float(v) for v in (target, warning) if v is not None]
    if not values:
        parts.append(
            f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{AXIS}">no data</text></svg>'
        )
        return mark_safe("".join(parts))  # noqa: S308 -- built from numbers and escaped text
    low, high = _scale(values + levels)
    if floor is not None and low < floor <= min(values + levels):
        low = floor

    def x(i: int) -> float:
        return left + (inner_w * i / (len(values) - 1) if len(values) > 1 else inner_w / 2)

    def y(v: float) -> float:
        return top + inner_h * (1 - (v - low) / (high - low))

    if axes:
        for v in (low, (low + high) / 2, high):
            parts.append(
                f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                f'stroke="#e2e6eb" stroke-width="1"/>'
                f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
                f'font-size="{LABEL_SIZE}" '
                f'fill="{AXIS}">{_fmt(v)}</text>'
            )
        for i in _labelled(len(points)):
            parts.append(
                f'<text class="x-label" x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" '
                f'font-size="{LABEL_SIZE}" fill="{AXIS}">{escape(points[i].label)}</text>'
            )
    for level, colour, dash, name in (
        (target, TARGET, "5 3", "target"),
        (warning, WARNING, "2 3", "warning"),
    ):
        if level is not None:
            ly = y(float(level))
            parts.append(
                f'<line class="{name}" x1="{left}" x2="{width - right}" y1="{ly:.1f}" '
                f'y2="{ly:.1f}" stroke="{colour}" stroke-width="1" stroke-dasharray="{dash}"/>'
            )
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(
        f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="{1.5 if axes else 1.2}"/>'
    )
    radius = 3 if axes else 1.8
    for i, p in enumerate(points):
        colour = COLOURS.get(p.status, LINE)
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(values[i]):.1f}" r="{radius}" fill="{colour}">'
            f"<title>{escape(p.label)}: {escape(plain_number(p.value))}"
            f"{' (' + escape(p.status.replace('_', ' ')) + ')' if p.status else ''}</title>"
            "</circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- built from numbers and escaped text


def sparkline(
    points: Sequence[Point],
    *,
    target: Decimal | float | None = None,
    width: int = 120,
    height: int = 28,
    title: str = "",
) -> SafeString:
    """A small inline trend with the target line, for tables and scorecards."""
    return line_chart(points, target=target, width=width, height=height, axes=False, title=title)


def result_points(results) -> list[Point]:
    """Chart points from Results (oldest first), labelled by period start.

    Monthly and quarterly periods (all starting on the 1st) are labelled by
    their month, 2026-10; daily and weekly ones by their first day, 2026-10-05.
    (Two or more daily or weekly periods never all start on a 1st; a lone
    period keeps its full date.)
    """
    monthly = len(results) > 1 and all(r.period_start.day == 1 for r in results)
    return [
        Point(
            label=f"{r.period_start:%Y-%m}" if monthly else r.period_start.isoformat(),
            value=r.actual,
            status=r.status,
        )
        for r in results
    ]


# --- Heat map ---------------------------------------------------------------------------
# Cell fills per tone; the caller decides a cell's tone (risks: the rating band of
# likelihood × impact, ``risks.rules``), this module only draws.
HEAT_COLOURS = {
    "low": "#cdebd6",
    "medium": "#fbe7a6",
    "high": "#f7bf80",
    "critical": "#ec8f8f",
    None: "#eef0f3",
}


def heatmap(
    grid: Sequence[Sequence[int]],
    *,
    tone: Callable[[int, int], str | None],
    url: Callable[[int, int], str | None] | None = None,
    cell: int = 44,
    title: str = "",
    x_label: str = "Impact",
    y_label: str = "Likelihood",
) -> SafeString:
    """An SVG heat map of counts: ``grid[y - 1][x - 1]`` is the count at (x, y), from 1.

    y grows upwards (the top row is the highest), x to the right. ``tone(y, x)``
    names the cell's fill (a key of ``HEAT_COLOURS``); ``url(y, x)``, when
    given, links the cell (e.g. to the list of the risks in it). Each cell
    carries a ``<title>`` and ``data-x`` / ``data-y`` / ``data-count``.
    """
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    left, top, bottom = 30, 6, 30
    width, height = left + cols * cell + 6, top + rows * cell + bottom
    label = escape(title or f"{y_label} × {x_label} heat map")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
    ]
    font = max(9, min(14, cell // 3))
    for y in range(1, rows + 1):
        row_top = top + (rows - y) * cell
        parts.append(
            f'<text x="{left - 8}" y="{row_top + cell / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="{LABEL_SIZE}" fill="{AXIS}">{y}</text>'
        )
        for x in range(1, cols + 1):
            count = grid[y - 1][x - 1]
            fill = HEAT_COLOURS.get(tone(y, x), HEAT_COLOURS[None])
            tip = f"{escape(y_label)} {y} × {escape(x_label).lower()} {x}: {count}"
            box = (
                f'<g class="cell" data-x="{x}" data-y="{y}" data-count="{count}">'
                f"<title>{tip}</title>"
                f'<rect x="{left + (x - 1) * cell}" y="{row_top}" width="{cell - 2}" '
                f'height="{cell - 2}" rx="3" fill="{fill}"/>'
                f'<text x="{left + (x - 1) * cell + (cell - 2) / 2:.1f}" '
                f'y="{row_top + (cell - 2) / 2 + font / 3:.1f}" text-anchor="middle" '
                f'font-size="{font}" font-weight="{700 if count else 400}" '
                f'fill="{"#1d2430" if count else AXIS}">{count if count else "·"}</text></g>'
            )
            link = url(y, x) if url is not None and count else None
            parts.append(f'<a href="{escape(link)}">{box}</a>' if link else box)
    for x in range(1, cols + 1):
        parts.append(
            f'<text x="{left + (x - 1) * cell + (cell - 2) / 2:.1f}" y="{top + rows * cell + 12}" '
            f'text-anchor="middle" font-size="{LABEL_SIZE}" fill="{AXIS}">{x}</text>'
        )
    parts.append(
        f'<text x="{left + cols * cell / 2:.1f}" y="{height - 4}" text-anchor="middle" '
        f'font-size="{LABEL_SIZE}" fill="{AXIS}">{escape(x_label)} →</text>'
        f'<text x="10" y="{top + rows * cell / 2:.1f}" text-anchor="middle" '
        f'font-size="{LABEL_SIZE}" fill="{AXIS}" '
        f'transform="rotate(-90 10 {top + rows * cell / 2:.1f})">{escape(y_label)} →</text>'
        "</svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308 -- built from numbers and escaped text
