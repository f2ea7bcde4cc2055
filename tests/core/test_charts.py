"""The server-side SVG charts: axis labels inside the drawing, month labels, plain values."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from core import charts

SVG = "{http://www.w3.org/2000/svg}"


def _months(count: int) -> list[charts.Point]:
    """``count`` monthly points from 2025-05, e.g. 18 → 2025-05 … 2026-10."""
    points = []
    for i in range(count):
        year, month = divmod(2025 * 12 + 4 + i, 12)
        points.append(charts.Point(f"{year}-{month + 1:02d}", D("99.9") + D(i % 3) / 10, "met"))
    return points


def _x_labels(svg: str) -> list[tuple[float, str]]:
    root = ET.fromstring(svg)
    return [
        (float(t.get("x")), t.text) for t in root.iter(f"{SVG}text") if t.get("class") == "x-label"
    ]


@pytest.mark.parametrize("count", [2, 7, 12, 18, 24])
@pytest.mark.parametrize("label_length", [7, 10])  # 2026-10 and 2026-10-05
def test_x_labels_fit_inside_the_svg_and_sit_under_their_points(count, label_length):
    points = [
        charts.Point(p.label + "-05"[: label_length - 7], p.value, p.status) for p in _months(count)
    ]
    svg = str(charts.line_chart(points, target=D("99.9"), width=640, height=220))
    width = float(ET.fromstring(svg).get("width"))
    labels = _x_labels(svg)
    assert labels[0][1] == points[0].label and labels[-1][1] == points[-1].label
    circles = [float(c.get("cx")) for c in ET.fromstring(svg).iter(f"{SVG}circle")]
    assert labels[-1][0] == pytest.approx(circles[-1], abs=0.05)  # centred on the last point
    # A digit is about 0.55 em of the 10-unit font: the label's right end stays inside.
    for x, text in labels:
        half = len(text) * 10 * 0.55 / 2
        assert x - half >= 0 and x + half <= width, (x, text, width)
    # Neighbouring labels never overlap.
    xs = [x for x, _ in labels]
    assert all(b - a >= label_length * 10 * 0.55 for a, b in zip(xs, xs[1:], strict=False))


def test_the_last_label_was_clipped_with_the_old_fixed_margin():
    # With the old 12-unit right margin the last label's centre sat at 628 of 640,
    # leaving 12 units for half of "2026-10" (about 19): the chart now moves it in.
    labels = _x_labels(str(charts.line_chart(_months(18), width=640, height=220)))
    assert labels[-1] == (pytest.approx(640 - charts._half_width("2026-10") - 4), "2026-10")
    assert labels[-1][0] < 628


def test_labelled_points_are_about_six_and_always_include_the_last():
    assert charts._labelled(1) == [0]
    assert charts._labelled(6) == [0, 1, 2, 3, 4, 5]
    assert charts._labelled(12) == [0, 2, 4, 6, 8, 11]
    assert charts._labelled(18) == [0, 3, 6, 9, 12, 17]
    assert charts._labelled(19) == [0, 3, 6, 9, 12, 15, 18]


def test_result_points_label_months_by_month_and_weeks_by_day():
    def result(day: str, actual: str, status: str = "met"):
        return SimpleNamespace(
            period_start=date.fromisoformat(day), actual=D(actual), status=status
        )

    monthly = charts.result_points([result("2026-09-01", "99.9"), result("2026-10-01", "98.5")])
    assert [p.label for p in monthly] == ["2026-09", "2026-10"]
    weekly = charts.result_points([result("2026-09-28", "99"), result("2026-10-05", "97")])
    assert [p.label for p in weekly] == ["2026-09-28", "2026-10-05"]
    assert [p.label for p in charts.result_points([result("2026-10-01", "1")])] == ["2026-10-01"]


def test_dot_titles_show_plain_values():
    svg = str(charts.line_chart([charts.Point("2026-10", D("99.900000"), "breached")]))
    titles = [t.text for t in ET.fromstring(svg).iter(f"{SVG}title")]
    assert "2026-10: 99.9 (breached)" in titles
    assert not re.search(r"99\.90+\b", svg)


def test_heatmap_draws_every_cell_with_its_tone_count_and_link():
    grid = [[0] * 5 for _ in range(5)]
    grid[4][0] = 3  # likelihood 5, impact 1
    svg = str(
        charts.heatmap(
            grid,
            tone=lambda y, x: "critical" if y * x >= 15 else "low",
            url=lambda y, x: f"/cell/{y}/{x}?a=1&b=2",
            cell=40,
        )
    )
    cells = re.findall(r'data-x="(\d)" data-y="(\d)" data-count="(\d+)"', svg)
    assert len(cells) == 25
    assert ("1", "5", "3") in cells
    # Only the non-empty cell links, its URL escaped inside the SVG.
    assert re.findall(r'<a href="([^"]+)">', svg) == ["/cell/5/1?a=1&amp;b=2"]
    # Likelihood 5 is the top row (y = 6), impact 1 the first column (x = 30).
    assert '<rect x="30" y="6" width="38" height="38" rx="3" fill="#cdebd6"/>' in svg
    assert f'fill="{charts.HEAT_COLOURS["critical"]}"' in svg  # 5 × 5 and its neighbours


def test_floor_keeps_the_axis_at_zero_for_values_never_negative():
    points = [charts.Point("2026Q1", 0), charts.Point("2026Q2", 6)]
    labels = re.findall(r'text-anchor="end" font-size="10" fill="#6b7480">([^<]+)<', str(
        charts.line_chart(points, floor=0)
    ))  # fmt: skip
    assert labels[0] == "0"
    unfloored = str(charts.line_chart(points))
    assert ">-0.5<" in unfloored


# --- Bar chart ---------------------------------------------------------------------------


def _bars(svg: str) -> list[tuple[str, str, str, str]]:
    """(category, series, data-value, printed text) of every bar, in drawing order."""
    root = ET.fromstring(svg)
    return [
        (
            g.get("data-category"),
            g.get("data-series"),
            g.get("data-value"),
            g.find(f"{SVG}text").text,
        )
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "bar"
    ]


def test_single_series_bars_print_exact_values_and_scale_to_the_largest():
    svg = str(
        charts.single_bars(
            [("Level 1", 3), ("Level 2", D("1.50")), ("Level 3", 0)], title="Open escalations"
        )
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Open escalations"
    assert root.find(f"{SVG}title").text == "Open escalations"
    assert root.find(f"{SVG}desc").text == "Level 1: 3. Level 2: 1.5. Level 3: 0."
    assert [(c, v, t) for c, _, v, t in _bars(svg)] == [
        ("Level 1", "3", "3"), ("Level 2", "1.5", "1.5"), ("Level 3", "0", "0"),
    ]  # fmt: skip
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(widths[1] * 2) and widths[2] == 0
    # The longest bar and its value stay inside the drawing.
    longest = next(r for r in root.iter(f"{SVG}rect"))
    assert float(longest.get("x")) + widths[0] + len("3") * 6 < float(root.get("width"))
    assert "<defs>" not in svg and 'class="legend"' not in svg  # one series: no legend


def test_grouped_bars_tell_series_apart_by_pattern_and_letter_not_colour_alone():
    svg = str(
        charts.bar_chart(
            ["Communication", "Trust"],
            [
                charts.Series("Client side", ["3.67", None], "C"),
                charts.Series("Vendor side", [D("4.17"), D("4.000")], "V"),
            ],
            title="Health by dimension",
            max_value=5,
            ticks=[1, 2, 3, 4, 5],
        )
    )
    assert _bars(svg) == [
        ("Communication", "Client side", "3.67", "C 3.67"),
        ("Communication", "Vendor side", "4.17", "V 4.17"),
        ("Trust", "Client side", "", "C —"),  # no answer: a dash, no bar
        ("Trust", "Vendor side", "4", "V 4"),
    ]
    root = ET.fromstring(svg)
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "legend" for t in g]
    assert legend == [None, "C = Client side", None, "V = Vendor side"]  # swatch, then its name
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("height") == "10"]
    assert fills[0] == charts.SERIES_COLOURS[0] and fills[1].startswith("url(#bc")
    pattern_id = fills[1][5:-1]
    assert root.find(f".//{SVG}pattern[@id='{pattern_id}']") is not None
    desc = root.find(f"{SVG}desc").text
    assert (
        desc
        == "Communication: Client side 3.67, Vendor side 4.17. Trust: Client side —, Vendor side 4."
    )
    # The fixed scale: 4 of 5 is four fifths of the 5 tick's distance from the axis.
    ticks = {
        t.text: float(t.get("x"))
        for t in root.iter(f"{SVG}text")
        if t.get("text-anchor") == "middle"
    }
    axis = float(next(r for r in root.iter(f"{SVG}rect") if r.get("height") == "10").get("x"))
    four = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "10"][2]
    assert axis + float(four.get("width")) == pytest.approx(ticks["4"], abs=0.1)
    assert ticks["5"] - axis == pytest.approx((ticks["4"] - axis) * 5 / 4, abs=0.1)


def test_bar_labels_and_titles_are_escaped():
    svg = str(
        charts.single_bars([('<script>alert("x")</script>', 2)], title='Bad & "quoted" <title>')
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == 'Bad & "quoted" <title>'
    assert _bars(svg)[0][0] == '<script>alert("x")</script>'


def test_a_long_label_is_cut_but_kept_whole_in_its_tooltip_and_description():
    name = "A very long dimension name that would push the bars off the chart"
    svg = str(charts.single_bars([(name, 1)], title="Long", width=300))
    root = ET.fromstring(svg)
    label = next(t for t in root.iter(f"{SVG}text") if t.get("class") == "category")
    assert label.text.endswith("…") and len(label.text) < len(name)
    assert label.find(f"{SVG}title").text == name
    assert name in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    "categories, series",
    [([], [charts.Series("Open", [])]), (["Level 1"], [charts.Series("Open", [None])])],
)
def test_bars_without_data_say_no_data(categories, series):
    svg = str(charts.bar_chart(categories, series, title="Open escalations"))
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Open escalations"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["no data"]
    assert not _bars(svg)


def test_value_text_formats_money_and_units():
    svg = str(
        charts.single_bars(
            [("2026-10", D("12450.50"))], title="Credits", value_text=lambda v: f"{v:,.2f} EUR"
        )
    )
    assert _bars(svg)[0][2:] == ("12450.5", "12,450.50 EUR")
    assert _bars(str(charts.single_bars([("Jan", 3)], title="t", unit="%")))[0][3] == "3 %"


def test_the_same_data_draws_the_same_svg_and_other_data_other_pattern_ids():
    one = [charts.Series("A", [1]), charts.Series("B", [2])]
    other = [charts.Series("A", [1]), charts.Series("B", [3])]
    assert str(charts.bar_chart(["x"], one, title="t")) == str(
        charts.bar_chart(["x"], one, title="t")
    )
    ids = {
        re.search(r'pattern id="([^"]+)"', str(charts.bar_chart(["x"], s, title="t")))[1]
        for s in (one, other)
    }
    assert len(ids) == 2


def test_a_heatmap_with_links_is_a_group_of_named_links_not_an_image():
    # Links inside role="img" are hidden from screen readers (axe: nested-interactive).
    grid = [[0] * 5 for _ in range(5)]

    def drawn_with_links():
        return ET.fromstring(
            str(charts.heatmap(grid, tone=lambda y, x: "low", url=lambda y, x: "/x"))
        )

    plain = drawn_with_links()
    assert plain.get("role") == "img"  # nothing to link: an image
    grid[2][3] = 2
    linked = ET.fromstring(
        str(charts.heatmap(grid, tone=lambda y, x: "low", url=lambda y, x: "/x"))
    )
    assert linked.get("role") == "group" and linked.get("aria-label")
    (link,) = linked.iter(f"{SVG}a")
    assert link.find(f"{SVG}title").text == "Likelihood 3 × impact 4: 2"
    drawn = ET.fromstring(str(charts.heatmap(grid, tone=lambda y, x: "low")))  # e.g. in a PDF
    assert drawn.get("role") == "img"
