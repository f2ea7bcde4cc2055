"""How the SLA pages look, measured in the browser: nothing cut off, cells that fill
their rows, one colour language for breaches, numbers without storage padding.

Geometry is read with getBoundingClientRect / getBBox from the rendered page;
expected colours are the stylesheet's own custom properties, so a test fails
when a badge is left uncoloured, not when the palette changes.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import SpendRecord
from slas.evaluation import sla_trends
from slas.models import SLA, Breach, Measurement, Result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _rgb(page, custom_property: str) -> str:
    """A ``--name`` colour of app.css as the browser computes it: ``rgb(r, g, b)``."""
    hex_colour = page.evaluate(
        f"getComputedStyle(document.documentElement).getPropertyValue('{custom_property}')"
    ).strip()
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _colours(locator) -> tuple[str, str]:
    return tuple(
        locator.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
    )


# --- service credits: fits at 1440 px, scrolls inside its wrapper when narrow -----------


_OVERFLOW = """() => {
  const wrap = document.querySelector('.credits-scroll');
  const waived = [...wrap.querySelectorAll('thead th')].pop();
  const w = wrap.getBoundingClientRect(), th = waived.getBoundingClientRect();
  return {page: document.documentElement.scrollWidth - window.innerWidth,
          table: wrap.scrollWidth - wrap.clientWidth,
          waivedText: waived.textContent.trim(),
          waivedInside: th.left >= w.left - 1 && th.right <= w.right + 1};
}"""


def test_credits_table_fits_at_1440_and_scrolls_inside_its_wrapper_when_narrow(
    demo, login, page, shot
):
    login("demo-governance")
    page.goto(reverse("slas:credit_list"))
    rows = page.locator("table.credits tbody tr")
    assert rows.count() > 5
    sizes = page.evaluate(_OVERFLOW)
    assert sizes == {"page": 0, "table": 0, "waivedText": "Waived", "waivedInside": True}
    # Amounts are right-aligned and never wrap.
    amounts = page.locator("table.credits tbody td.num")
    styles = set(
        amounts.evaluate_all(
            "tds => tds.map(td => getComputedStyle(td).textAlign + ' ' "
            "+ getComputedStyle(td).whiteSpace)"
        )
    )
    assert styles == {"right nowrap"}
    shot("slas-credits-all")

    # On a narrow screen the page itself does not scroll sideways: the table does.
    page.set_viewport_size({"width": 760, "height": 900})
    page.reload()
    sizes = page.evaluate(_OVERFLOW)
    assert sizes["page"] == 0
    assert sizes["table"] > 0
    assert sizes["waivedInside"] is False
    page.locator(".credits-scroll").evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    assert page.evaluate(_OVERFLOW)["waivedInside"] is True
    # The contract column stays pinned while the amounts scroll under it.
    first = page.locator("table.credits tbody td.contract").first
    wrap_left = page.locator(".credits-scroll").evaluate("w => w.getBoundingClientRect().left")
    assert first.evaluate("td => td.getBoundingClientRect().left") == pytest.approx(
        wrap_left, abs=1.5
    )
    shot("slas-credits-narrow")


# --- the SLA page's chart and the scorecard cells ---------------------------------------


def test_sla_chart_labels_stay_inside_and_scorecard_cells_fill_their_rows(demo, login, page):
    sla = SLA.objects.get(contract__reference="MER-MSA-2023", name="Service availability")
    last = Result.objects.filter(sla=sla).order_by("-period_start").first()
    login("demo-governance")
    page.goto(sla.get_absolute_url())
    chart = page.locator("section.card svg.chart").first
    labels = chart.locator("text.x-label").evaluate_all(
        "ts => ts.map(t => { const b = t.getBBox(); "
        "return [t.textContent, b.x, b.x + b.width, t.ownerSVGElement.viewBox.baseVal.width]; })"
    )
    assert labels[-1][0] == f"{last.period_start:%Y-%m}"
    for text, left, right, width in labels:
        assert left >= 0 and right <= width, (text, left, right, width)
    inside = chart.evaluate(
        "svg => { const s = svg.getBoundingClientRect(), "
        "c = svg.closest('.card').getBoundingClientRect(); "
        "return s.left >= c.left && s.right <= c.right; }"
    )
    assert inside

    # The BHP tickets SLA is trending to breach: its badge makes its row taller.
    contract = SLA.objects.get(
        contract__reference="BHP-MSA-2023", name="Tickets resolved within SLA"
    ).contract
    page.goto(reverse("slas:contract_scorecard", args=[contract.pk]))
    expect(page.locator("[data-trending]")).to_have_count(1)
    for row in page.locator("tr[data-sla]").all():
        cells = row.locator("td.cell").evaluate_all(
            """tds => tds.map(td => {
              const t = td.getBoundingClientRect();
              const s = td.querySelector('span').getBoundingClientRect();
              const cs = getComputedStyle(td);
              return {top: s.top - t.top, bottom: t.bottom - s.bottom, height: s.height,
                      rowHeight: td.closest('tr').getBoundingClientRect().height,
                      borderLeft: cs.borderLeftWidth, borderBottom: cs.borderBottomColor};
            })"""
        )
        first_td_border = row.locator("td").first.evaluate(
            "td => getComputedStyle(td).borderBottomColor"
        )
        assert len(cells) == 12
        heights = {round(c["height"]) for c in cells}
        assert len(heights) == 1, heights  # evenly
        for c in cells:
            # Pinned to the cell's edges: a few pixels of white inset, top and bottom alike.
            assert 0 < c["top"] <= 5 and 0 < c["bottom"] <= 6, c
            assert c["height"] >= c["rowHeight"] - 10, c
            # No white separators over the row line: the cell's bottom border is the row's.
            assert (c["borderLeft"], c["borderBottom"]) == ("0px", first_td_border), c
    trending_row = page.locator("tr[data-sla]").filter(has=page.locator("[data-trending]"))
    other_row = page.locator("tr[data-sla]").filter(has_not=page.locator("[data-trending]"))
    tall = trending_row.locator("td.cell span").first.evaluate("s => s.offsetHeight")
    short = other_row.first.locator("td.cell span").first.evaluate("s => s.offsetHeight")
    assert tall > short  # the taller row's cells grew with it


# --- the breach page: coloured badges, spacing, credit month; plain decimals --------------

TONES = {
    "critical": "bad",
    "major": "warn",
    "open": "bad",
    "acknowledged": "warn",
    "remediating": "warn",
    "resolved": "ok",
}


def test_breach_badges_share_the_lists_colours_and_detail_cards_read_plainly(
    demo, login, page, shot
):
    login("demo-governance")
    statuses = list(
        Breach.objects.order_by().values_list("status", flat=True).distinct().order_by("status")
    )
    assert {"open", "resolved"} <= set(statuses), statuses
    severities = set(Breach.objects.values_list("severity", flat=True))
    assert severities == {"major", "critical"}
    for status in statuses:
        breach = Breach.objects.filter(status=status).order_by("-severity", "pk").first()
        page.goto(breach.get_absolute_url())
        badges = page.locator("main .badge")
        severity_badge, status_badge = badges.nth(0), badges.nth(1)
        expect(severity_badge).to_have_text(breach.get_severity_display())
        expect(status_badge).to_have_text(breach.get_status_display())
        if status in TONES:
            tone = TONES[status]
            assert _colours(status_badge) == (
                _rgb(page, f"--{tone}-bg"),
                _rgb(page, f"--{tone}"),
            ), status
        else:  # waived, withdrawn: grey, the plain badge with muted text
            assert _colours(status_badge) == ("rgb(238, 241, 245)", _rgb(page, "--muted")), status
        tone = TONES[breach.severity]
        assert _colours(severity_badge) == (_rgb(page, f"--{tone}-bg"), _rgb(page, f"--{tone}"))
        detail = _colours(status_badge)
        expect(page.locator("dt:text-is('Credit month') + dd")).to_have_text(
            f"{breach.credit_month:%Y-%m}"
        )
        expect(page.locator("dt:text-is('Credit uncapped') + dd")).to_have_text(
            f"{breach.credit_uncapped:,.2f}"
        )
        # The list shows the same status in the same colours.
        page.goto(f"{reverse('slas:breach_list')}?status={status}")
        listed = page.locator("table tbody tr td:nth-child(8) .badge").first
        expect(listed).to_have_text(breach.get_status_display())
        assert _colours(listed) == detail, status

    # The workflow's last button and the Log heading do not touch.
    breach = Breach.objects.filter(status="open").order_by("pk").first()
    page.goto(breach.get_absolute_url())
    gap = page.evaluate(
        "() => { const forms = document.querySelectorAll('.workflow form'); "
        "const button = forms[forms.length - 1].querySelector('button').getBoundingClientRect(); "
        "const log = [...document.querySelectorAll('.workflow h2')].pop().getBoundingClientRect(); "
        "return log.top - button.bottom; }"
    )
    assert gap >= 24, gap
    shot("slas-breach-open")

    # Other detail cards: no six-decimal padding, money keeps its cents.
    measurement = next(
        m for m in Measurement.objects.order_by("pk") if m.value != m.value.to_integral()
    )
    page.goto(reverse("slas:measurement_detail", args=[measurement.pk]))
    expect(page.locator("dt:text-is('Value') + dd")).to_have_text(plain(measurement.value))
    spend = SpendRecord.objects.order_by("pk").first()
    page.goto(reverse("contracts:spendrecord_detail", args=[spend.pk]))
    expect(page.locator("dt:text-is('Amount') + dd")).to_have_text(f"{spend.amount:,.2f}")
    assert not re.search(r"\d\.\d*0000\b", page.locator("dl.fields").inner_text())


# --- the dashboard: the projection like the SLA's target ---------------------------------


def test_dashboard_shows_the_projection_in_the_slas_unit_beside_its_target(demo, login, page):
    slas = {s.pk: s for s in SLA.objects.all()}
    trends = sla_trends(sla_ids=list(slas))
    trending = [slas[i] for i, t in sorted(trends.items()) if t.trending_to_breach]
    assert trending, "the demo has an SLA trending to breach"
    login("demo-governance")
    panel = page.locator("section.panel").filter(
        has=page.get_by_role("heading", name=re.compile("^SLAs trending to breach"))
    )
    for sla in trending[:5]:
        target_places = max(0, -sla.target.normalize().as_tuple().exponent)
        projected = trends[sla.pk].projected.quantize(Decimal(1).scaleb(-(target_places + 1)))
        sign = "≥" if sla.higher_is_better else "≤"
        note = panel.locator("li").filter(has_text=sla.name).locator(".muted")
        expect(note).to_have_text(
            f"projected {plain(projected)} {sla.unit} vs target {sign} {plain(sla.target)} "
            f"{sla.unit}"
        )
    bhp = next(s for s in trending if s.name == "Tickets resolved within SLA")
    expect(panel.locator("li").filter(has_text=bhp.name).locator(".muted")).to_have_text(
        re.compile(r"^projected \d+\.\d % vs target ≥ 90 %$")
    )
