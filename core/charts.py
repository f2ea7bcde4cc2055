"""Tiny server-side SVG charts every app shares: a sparkline, a line chart, a 5×5 heat map
and a bar chart (one series, or grouped series told apart by pattern and letter).

No JavaScript and no chart library: the markup is plain SVG with inline
styles, so the same function serves web pages and PDF reports (WeasyPrint
renders inline SVG). Points are coloured by the period's status (met /
at_risk / breached); the target is a dashed line and the warning level a
dotted one. Values are ``Decimal`` or numbers; an empty series draws an
empty frame with "no data".
"""

from __future__ import annotations

import hashlib
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
    carries a ``<title>`` and ``data-x`` / ``data-y`` / ``data-count``. A map
    with links is ``role="group"`` (links inside an image would be hidden from
    screen readers), one without is ``role="img"``.
    """
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    left, top, bottom = 30, 6, 30
    width, height = left + cols * cell + 6, top + rows * cell + bottom
    label = escape(title or f"{y_label} × {x_label} heat map")
    # An image's children are presentational, so links inside role="img" are hidden from
    # assistive technology (axe: nested-interactive, serious): a map whose cells link is a
    # named group of links instead, each link named by its cell's tooltip.
    linked = url is not None and any(count for row in grid for count in row)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="{"group" if linked else "img"}" '
        f'aria-label="{label}">',
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
            parts.append(f'<a href="{escape(link)}"><title>{tip}</title>{box}</a>' if link else box)
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


# --- Bar chart ----------------------------------------------------------------------------
# Series are told apart without colour: each has a fill pattern (solid, hatched, dotted,
# cross-hatched) and a letter printed before its values and in the legend, so the chart
# reads the same printed in black and white.
SERIES_COLOURS = ("#2457c5", "#b7791f", "#1f8a4c", "#6b4fbb")
PATTERNS = ("solid", "hatch", "dots", "cross")
EMPTY_TEXT = "—"


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: a name, the letter marking its bars, a value per category.

    A value of ``None`` is "no value" (no bar, a dash), not zero.
    """

    name: str
    values: Sequence[Decimal | float | int | str | None]
    letter: str = ""


def _number(value) -> Decimal | None:
    """A chart value as a Decimal: exact for Decimals, ints and strings (snapshots hold "3.67")."""
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _text_width(text: str, size: int = LABEL_SIZE) -> int:
    """The drawn width of ``text`` at ``size``, erring wide (0.6 em a character)."""
    return math.ceil(len(text) * size * 0.6)


def _fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` units at the label size."""
    most = max(1, int(width / (LABEL_SIZE * 0.6)))
    return text if len(text) <= most else text[: most - 1] + "…"


def _pattern_defs(uid: str, count: int) -> str:
    """SVG patterns of the series after the first (which is solid), in their colours."""
    defs = []
    for i in range(1, count):
        colour, kind = SERIES_COLOURS[i % len(SERIES_COLOURS)], PATTERNS[i % len(PATTERNS)]
        if kind == "hatch":
            mark = f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="3"/>'
            extra = ' patternTransform="rotate(45)"'
        elif kind == "dots":
            mark = f'<circle cx="3" cy="3" r="1.6" fill="{colour}"/>'
            extra = ""
        else:  # cross
            mark = (
                f'<line x1="0" y1="3" x2="6" y2="3" stroke="{colour}" stroke-width="1.5"/>'
                f'<line x1="3" y1="0" x2="3" y2="6" stroke="{colour}" stroke-width="1.5"/>'
            )
            extra = ' patternTransform="rotate(45)"'
        defs.append(
            f'<pattern id="{uid}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse"{extra}>'
            f'<rect width="6" height="6" fill="#ffffff"/>{mark}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 520,
    unit: str = "",
    max_value: Decimal | float | int | None = None,
    ticks: Sequence[int | float] = (),
    value_text: Callable[[Decimal], str] | None = None,
) -> SafeString:
    """A horizontal SVG bar chart: a bar per category and series, each labelled with its value.

    One series gives plain bars; two or more give grouped bars, told apart by
    pattern and by the series' letter (printed before each value and in the
    legend), never by colour alone. ``max_value`` fixes the scale (5 for
    1–5 scores); otherwise the largest value fills the width. ``ticks`` draws
    light grid lines with their values under the bars. ``value_text`` formats a
    value (default: the plain number, then ``unit``).

    The SVG carries ``role="img"``, a ``<title>`` and a ``<desc>`` listing every
    value, so a screen reader reads the figures; labels are escaped. Values are
    printed exactly (Decimal), only the bar lengths are rounded. No category,
    no series or no value at all draws a frame saying "no data".
    """
    values = [[_number(v) for v in s.values] for s in series]
    fmt = value_text or (lambda v: plain_number(v) + (f" {unit}" if unit else ""))
    grouped = len(series) > 1
    letters = [s.letter or (chr(ord("A") + i) if grouped else "") for i, s in enumerate(series)]
    label = escape(title)
    drawn = [v for row in values for v in row if v is not None]
    uid = (
        "bc"
        + hashlib.sha1(  # noqa: S324 -- an id for the patterns, not security
            repr((title, list(categories), [s.name for s in series], values)).encode()
        ).hexdigest()[:10]
    )

    def text_of(i: int, v: Decimal | None) -> str:
        shown = EMPTY_TEXT if v is None else fmt(v)
        return f"{letters[i]} {shown}" if letters[i] else shown

    desc = " ".join(
        f"{category}: "
        + ", ".join(
            f"{s.name} {EMPTY_TEXT if values[i][c] is None else fmt(values[i][c])}"
            if grouped
            else (EMPTY_TEXT if values[i][c] is None else fmt(values[i][c]))
            for i, s in enumerate(series)
        )
        + "."
        for c, category in enumerate(categories)
    )
    if not categories or not drawn:
        height = 60
        return mark_safe(  # noqa: S308 -- built from numbers and escaped text
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
            f"<title>{label}</title><desc>No data.</desc>"
            f'<text x="{width / 2:.1f}" y="{height / 2 + 4:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{AXIS}">no data</text></svg>'
        )
    bar_h = 12 if grouped else 16
    band = bar_h * len(series) + 8
    legend_h = 20 if grouped else 0
    axis_h = 16 if ticks else 4
    left = min(max(_text_width(c) for c in categories) + 10, width * 2 // 5)
    right = max(_text_width(text_of(i, v)) for i, row in enumerate(values) for v in row) + 8
    inner_w = max(20, width - left - right)
    top = 4 + legend_h
    height = top + band * len(categories) + axis_h
    scale = float(max_value) if max_value else max(float(v) for v in drawn) or 1.0

    def length(v: Decimal) -> float:
        return max(0.0, inner_w * min(float(v), scale) / scale)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">',
        f"<title>{label}</title><desc>{escape(desc)}</desc>",
        _pattern_defs(uid, len(series)),
    ]

    def fill(i: int) -> str:
        return SERIES_COLOURS[0] if i == 0 else f"url(#{uid}-p{i})"

    if grouped:
        x = 0
        for i, s in enumerate(series):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            name = f"{letters[i]} = {s.name}"
            parts.append(
                f'<g class="legend"><rect x="{x}" y="4" width="12" height="12" fill="{fill(i)}" '
                f'stroke="{colour}"/><text x="{x + 16}" y="14" font-size="{LABEL_SIZE}" '
                f'fill="#1d2430">{escape(name)}</text></g>'
            )
            x += 16 + _text_width(name) + 14
    for tick in ticks:
        tx = left + length(Decimal(str(tick)))
        parts.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top}" y2="{height - axis_h}" '
            f'stroke="#e2e6eb" stroke-width="1"/><text x="{tx:.1f}" y="{height - 4}" '
            f'text-anchor="middle" font-size="{LABEL_SIZE}" fill="{AXIS}">'
            f"{escape(plain_number(Decimal(str(tick))))}</text>"
        )
    for c, category in enumerate(categories):
        band_top = top + c * band + 4
        middle = band_top + bar_h * len(series) / 2
        fitted = _fit(category, left - 10)
        parts.append(
            f'<text class="category" x="{left - 6}" y="{middle + 3.5:.1f}" text-anchor="end" '
            f'font-size="{LABEL_SIZE}" fill="#1d2430">{escape(fitted)}'
            # A cut label keeps its whole text as a tooltip (and in the <desc>).
            f"{'' if fitted == category else f'<title>{escape(category)}</title>'}</text>"
        )
        for i, s in enumerate(series):
            v = values[i][c]
            y = band_top + i * bar_h
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            shown = "" if v is None else plain_number(v)
            bar = (
                f'<rect x="{left}" y="{y}" width="{length(v):.1f}" height="{bar_h - 2}" '
                f'fill="{fill(i)}" stroke="{colour}" stroke-width="1"/>'
                if v is not None
                else ""
            )
            tx = left + (0 if v is None else length(v)) + 4
            parts.append(
                f'<g class="bar" data-category="{escape(category)}" data-series="{escape(s.name)}" '
                f'data-value="{shown}">{bar}<text class="value" x="{tx:.1f}" '
                f'y="{y + bar_h - 4}" font-size="{LABEL_SIZE}" fill="#1d2430">'
                f"{escape(text_of(i, v))}</text></g>"
            )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{height - axis_h}" '
        f'stroke="{AXIS}" stroke-width="1"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 -- built from numbers and escaped text


def single_bars(
    bars: Sequence[tuple[str, Decimal | float | int | None]], *, title: str, name: str = "", **kw
) -> SafeString:
    """``bar_chart`` of one series from ``(label, value)`` pairs."""
    return bar_chart(
        [label for label, _ in bars],
        [Series(name or title, [value for _, value in bars])],
        title=title,
        **kw,
    )
