"""Tiny server-side SVG charts: a sparkline and a line chart with the target line.

No JavaScript and no chart library: the markup is plain SVG with inline
styles, so the same function serves web pages and PDF reports (WeasyPrint
renders inline SVG). Points are coloured by the period's status (met /
at_risk / breached); the target is a dashed line and the warning level a
dotted one. Values are ``Decimal`` or numbers; an empty series draws an
empty frame with "no data".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

COLOURS = {"met": "#1f8a4c", "at_risk": "#b7791f", "breached": "#c53030", None: "#2457c5"}
LINE = "#2457c5"
TARGET = "#c53030"
WARNING = "#b7791f"
AXIS = "#6b7480"


@dataclass(frozen=True)
class Point:
    """One period on a chart: its label (e.g. ``2026-03``), value and status."""

    label: str
    value: Decimal | float
    status: str | None = None


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


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
) -> SafeString:
    """An SVG line chart of ``points`` with optional target and warning lines.

    ``axes=False`` gives a sparkline: no labels, no margins, small dots.
    The SVG carries ``role="img"`` and a ``<title>`` for screen readers.
    """
    left, right, top, bottom = (48, 12, 12, 28) if axes else (3, 3, 3, 3)
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

    def x(i: int) -> float:
        return left + (inner_w * i / (len(values) - 1) if len(values) > 1 else inner_w / 2)

    def y(v: float) -> float:
        return top + inner_h * (1 - (v - low) / (high - low))

    if axes:
        for v in (low, (low + high) / 2, high):
            parts.append(
                f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                f'stroke="#e2e6eb" stroke-width="1"/>'
                f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="10" '
                f'fill="{AXIS}">{_fmt(v)}</text>'
            )
        step = max(1, len(points) // 6)
        for i, p in enumerate(points):
            if i % step == 0 or i == len(points) - 1:
                parts.append(
                    f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" font-size="10" '
                    f'fill="{AXIS}">{escape(p.label)}</text>'
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
            f"<title>{escape(p.label)}: {escape(str(p.value))}"
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
    """Chart points from Results (oldest first), labelled by period start."""
    return [
        Point(label=r.period_start.isoformat(), value=r.actual, status=r.status) for r in results
    ]
