"""SLA pages as the governance office uses them, over the demo portfolio.

Scorecards (per contract, per vendor), one SLA with the "why" of a breached
period, the breach list and workflow, an executive who may only look, the
service credits with the cap, and the measurement import. Every value the
tests expect is read from the database the pages were rendered from.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Count, Q, Sum
from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import Contract
from core import charts
from core.models import TaskRun
from slas import imports
from slas.evaluation import sla_trends
from slas.evaluation.periods import period_bounds
from slas.models import SLA, Breach, BreachTransition, Measurement, Result
from slas.selectors import SCORECARD_PERIODS
from tests.browser.helpers import choice, field, open_filters, open_menu, table_rows
from vendors.models import Vendor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOVERNANCE_NAME = "Grace Okafor"  # demo-governance's display name


def plain(value: Decimal) -> str:
    """A number as the SLA pages print it: no trailing zeros, never in exponent form."""
    return f"{value.normalize():f}"


def money(value: Decimal) -> str:
    return f"{value:,.2f}"  # core.formatting.money: grouped thousands, two decimals


def main(page):
    return page.locator("main")


def card(page, heading: str):
    """The ``section.card`` whose h2 starts with ``heading``."""
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", level=2, name=re.compile(rf"^{re.escape(heading)}"))
    )


# --- scorecards ------------------------------------------------------------------


def _last_results(sla: SLA) -> list[Result]:
    """The SLA's last 12 results, oldest first, straight from the results table."""
    newest = Result.objects.filter(sla=sla).order_by("-period_start")[:SCORECARD_PERIODS]
    return list(reversed(newest))


def _check_scorecard_rows(page, slas: list[SLA]) -> set[int]:
    """Each SLA's row: target, last 12 cells by status with their actuals, sparkline, trend
    flag. Returns the SLAs flagged as trending to breach."""
    trends = sla_trends(sla_ids=[s.pk for s in slas])
    flagged = set()
    for sla in slas:
        row = page.locator(f"tr[data-sla='{sla.pk}']")
        expect(row).to_have_count(1)
        expect(row.locator("td").first).to_contain_text(sla.name)
        sign = "≥" if sla.higher_is_better else "≤"
        expect(row.locator("td").nth(2)).to_have_text(f"{sign} {plain(sla.target)} {sla.unit}")
        expect(row.locator("td").last).to_have_text(plain(sla.allocation_percent))

        results = _last_results(sla)
        expect(row.locator("td.cell")).to_have_count(SCORECARD_PERIODS)
        expect(row.locator("td.cell.empty")).to_have_count(SCORECARD_PERIODS - len(results))
        filled = row.locator("td.cell[data-status]")
        assert filled.evaluate_all("tds => tds.map(td => td.dataset.status)") == [
            r.status for r in results
        ], sla.name
        titles = filled.locator("span").evaluate_all("spans => spans.map(s => s.title)")
        assert titles == [
            f"{r.period_start:%Y-%m-%d}: {plain(r.actual)} ({r.get_status_display()})"
            for r in results
        ], sla.name

        # The sparkline: one dot per period, coloured by its status, and the target line.
        chart = row.locator("td.chart svg")
        expect(chart).to_have_count(1)
        fills = chart.locator("circle").evaluate_all("cs => cs.map(c => c.getAttribute('fill'))")
        assert fills == [charts.COLOURS[r.status] for r in results], sla.name
        expect(chart.locator("line.target")).to_have_count(1 if results else 0)

        trend = trends.get(sla.pk)
        trending = bool(trend and trend.trending_to_breach)
        expect(row.locator("[data-trending]")).to_have_count(1 if trending else 0)
        if trending:
            expect(row.locator("[data-trending]")).to_have_text("trending to breach")
            flagged.add(sla.pk)
    return flagged


def _check_cell_colours(page) -> None:
    """Cells of one status share a background; met, at risk and breached differ."""
    pairs = page.locator("td.cell[data-status] span").evaluate_all(
        "spans => spans.map(s => [s.closest('td').dataset.status, "
        "getComputedStyle(s).backgroundColor])"
    )
    colours: dict[str, set[str]] = defaultdict(set)
    for status, colour in pairs:
        colours[status].add(colour)
    assert {"met", "breached"} <= set(colours), colours
    assert all(len(c) == 1 for c in colours.values()), colours
    backgrounds = [next(iter(c)) for c in colours.values()]
    assert len(set(backgrounds)) == len(backgrounds), colours
    assert "rgba(0, 0, 0, 0)" not in backgrounds, colours


def test_contract_and_vendor_scorecards_match_the_results(demo, login, page, shot):
    contract = Contract.objects.select_related("vendor").get(reference="BHP-MSA-2023")
    vendor = contract.vendor
    login("demo-governance")

    # From the contract's page to its scorecard.
    page.goto(contract.get_absolute_url())
    link = main(page).get_by_role("link", name="SLA scorecard")
    expect(link).to_have_attribute("href", reverse("slas:contract_scorecard", args=[contract.pk]))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecard · {contract.reference}")
    slas = list(SLA.objects.filter(contract=contract))
    assert slas
    expect(page.locator("tr[data-sla]")).to_have_count(len(slas))
    flagged = _check_scorecard_rows(page, slas)
    # The demo's BHP tickets SLA slips two months in a row: it must be flagged.
    assert flagged, "the demo should have an SLA trending to breach on this contract"
    _check_cell_colours(page)
    shot("slas-contract-scorecard")

    # From the vendor's page to the vendor scorecard: one section per contract.
    page.goto(vendor.get_absolute_url())
    link = main(page).get_by_role("link", name="SLA scorecard")
    expect(link).to_have_attribute("href", reverse("slas:vendor_scorecard", args=[vendor.pk]))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecard · {vendor.name}")
    vendor_slas = list(SLA.objects.filter(contract__vendor=vendor).select_related("contract"))
    references = sorted({s.contract.reference for s in vendor_slas})
    assert len(references) > 1  # the point of a vendor scorecard: several contracts
    sections = page.locator("section.card h2")
    expect(sections).to_have_count(len(references))
    for heading, reference in zip(sections.all(), references, strict=True):
        expect(heading).to_contain_text(reference)
    expect(page.locator("tr[data-sla]")).to_have_count(len(vendor_slas))
    assert _check_scorecard_rows(page, vendor_slas) == flagged
    _check_cell_colours(page)
    shot("slas-vendor-scorecard")


# --- one SLA ----------------------------------------------------------------------


def test_sla_page_shows_definition_results_breaches_credits_and_why(demo, login, page, shot):
    sla = SLA.objects.select_related("contract").get(
        contract__reference="MER-MSA-2023", name="Service availability"
    )
    breach = Breach.objects.filter(sla=sla, severity="critical").get()
    login("demo-governance")

    # The breached cell on the contract scorecard opens the "why" of that period.
    page.goto(reverse("slas:contract_scorecard", args=[sla.contract_id]))
    row = page.locator(f"tr[data-sla='{sla.pk}']")
    breached_cells = row.locator("td.cell[data-status='breached']")
    expect(breached_cells.first).to_be_visible()
    breached_cells.first.locator("a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sla.name)
    opened = date.fromisoformat(re.search(r"period=([\d-]+)", page.url).group(1))
    assert Result.objects.get(sla=sla, period_start=opened).status == "breached"

    # Then the period of the critical breach, from the results table.
    results = list(Result.objects.filter(sla=sla).order_by("-period_start"))
    results_card = card(page, "Results")
    expect(results_card.get_by_role("heading", level=2)).to_have_text(
        f"Results ({len(results)} periods)"
    )
    expect(results_card.locator("tbody tr")).to_have_count(len(results))
    first = results_card.locator("tbody tr").first.locator("td")
    expect(first.nth(1)).to_have_text(plain(results[0].actual))
    expect(first.nth(2)).to_have_text(results[0].get_status_display())
    index = [r.period_start for r in results].index(breach.period_start)
    breached_row = results_card.locator("tbody tr").nth(index)
    expect(breached_row.locator("td").nth(2)).to_have_text("Breached")
    breached_row.get_by_role("link", name="why?").click()
    assert f"period={breach.period_start:%Y-%m-%d}" in page.url

    # Definition.
    definition = page.locator("dl.fields").first
    expect(definition).to_contain_text(sla.contract.reference)
    for label, value in (
        ("Target", sla.target),
        ("Warning level", sla.warning_level),
        ("Critical level", sla.critical_level),
    ):
        expect(definition.locator("dt", has_text=re.compile(f"^{label}$"))).to_have_count(1)
        expect(definition.locator(f"dt:text-is('{label}') + dd")).to_have_text(plain(value))
    expect(definition.locator("dt:text-is('Period') + dd")).to_have_text(sla.get_period_display())
    expect(card(page, "Trend").locator("svg.chart")).to_be_visible()

    # The "why": the rule values the result was judged with and the measurements used.
    result = Result.objects.get(sla=sla, period_start=breach.period_start)
    start, end = period_bounds(sla.period, breach.period_start)
    why = page.locator("#why")
    expect(why.get_by_role("heading", level=2)).to_contain_text(
        f"Why: period {start:%Y-%m-%d} – {end:%Y-%m-%d}"
    )
    expect(why.locator("h2 .badge")).to_have_text("Breached")
    expect(why.locator("dt:text-is('Aggregation') + dd")).to_have_text(
        f"{sla.get_aggregation_display()} of {result.measurement_count} measurement"
        f"{'s' if result.measurement_count != 1 else ''} = {plain(result.actual)} {sla.unit}"
    )
    expect(why.locator("dt:text-is('Target used') + dd")).to_have_text(plain(result.target))
    expect(why.locator("dt:text-is('Warning level used') + dd")).to_have_text(
        plain(result.warning_level)
    )
    expect(why.locator("dt:text-is('Critical level used') + dd")).to_have_text(
        plain(result.critical_level)
    )
    expect(why.locator("dt:text-is('Breach') + dd")).to_contain_text(
        f"{breach.get_severity_display()}, {breach.get_status_display().lower()}"
    )
    used = list(Measurement.objects.filter(sla=sla, date__range=(start, end)).order_by("date"))
    assert len(used) == result.measurement_count > 0
    expect(why.locator("tbody tr")).to_have_count(len(used))
    assert why.locator("tbody tr td:nth-child(2)").all_inner_texts() == [
        plain(m.value) for m in used
    ]
    assert why.locator("tbody tr td:first-child").all_inner_texts() == [
        f"{m.date:%Y-%m-%d}" for m in used
    ]

    # Breaches of this SLA, newest first, with their credits.
    breaches = list(Breach.objects.filter(sla=sla).order_by("-period_start"))
    breaches_card = card(page, "Breaches")
    expect(breaches_card.locator("tbody tr")).to_have_count(len(breaches))
    assert breaches_card.locator("tbody td:first-child").all_inner_texts() == [
        f"{b.period_start:%Y-%m-%d}" for b in breaches
    ]
    assert breaches_card.locator("tbody td:last-child").all_inner_texts() == [
        money(b.credit) for b in breaches
    ]

    # Credits by month: uncapped and after the cap, summed from the breaches.
    months = (
        Breach.objects.filter(sla=sla)
        .values("credit_month")
        .annotate(n=Count("id"), uncapped=Sum("credit_uncapped"), due=Sum("credit"))
        .order_by("-credit_month")
    )
    credits_card = card(page, "Credits by month")
    expect(credits_card.locator("tbody tr")).to_have_count(len(months))
    for row_, m in zip(credits_card.locator("tbody tr").all(), months, strict=True):
        cells = row_.locator("td")
        expect(cells.nth(0)).to_have_text(f"{m['credit_month']:%Y-%m}")
        expect(cells.nth(1)).to_have_text(str(m["n"]))
        expect(cells.nth(2)).to_have_text(money(m["uncapped"]))
        expect(cells.nth(3)).to_have_text(money(m["due"]))
    # The cap bit in the demo's bad month on this contract: after cap < uncapped there.
    assert any(m["due"] < m["uncapped"] for m in months)

    # Latest measurements, newest first.
    latest = list(Measurement.objects.filter(sla=sla).order_by("-date")[:20])
    measurements_card = card(page, "Latest measurements")
    expect(measurements_card.locator("tbody tr")).to_have_count(len(latest))
    assert measurements_card.locator("tbody td:nth-child(2)").all_inner_texts() == [
        plain(m.value) for m in latest
    ]
    shot("slas-sla-detail-why")


# --- breaches ------------------------------------------------------------------------


def _workflow_form(page, action: str):
    return page.locator(f"form.workflow-{action}")


def test_breach_list_filter_and_workflow_acknowledge_remediate_resolve_and_waive(
    demo, login, page, shot
):
    open_breaches = Breach.objects.filter(status="open")
    target = open_breaches.get(sla__contract__reference="CSS-MSA-2024")
    vendor = target.sla.contract.vendor
    login("demo-governance")
    open_menu(page, "Service levels", "Breaches")
    expect(page.get_by_role("heading", level=1)).to_have_text("Breaches")

    open_filters(page)
    choice(page, "Status", "Open").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".count")).to_have_text(f"{open_breaches.count()} breaches")
    expect(table_rows(page)).to_have_count(open_breaches.count())
    # The first column holds the bulk-action check boxes.
    for status_cell in page.locator("tbody td:nth-child(8)").all():
        expect(status_cell).to_have_text("Open")
    shot("slas-breach-list-open")

    field(page, "Vendor").select_option(label=str(vendor))
    page.get_by_role("button", name="Filter").click()
    expect(table_rows(page)).to_have_count(
        open_breaches.filter(sla__contract__vendor=vendor).count()
    )
    expect(choice(page, "Status", "Open")).to_be_checked()
    row = table_rows(page).filter(has_text=target.sla.name)
    expect(row.locator("td").nth(9)).to_have_text(money(target.credit))
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(target))
    expect(page.locator("dt:text-is('SLA') + dd")).to_have_text(target.sla.name)
    expect(page.locator("dt:text-is('Actual') + dd")).to_have_text(plain(target.actual))

    # open → acknowledged
    form = _workflow_form(page, "acknowledge")
    field(form, "Note").fill("Seen at the weekly ops review.")
    form.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".messages")).to_have_text("Breach acknowledged.")
    expect(page.locator("main .badge").nth(1)).to_have_text("Acknowledged")
    expect(_workflow_form(page, "acknowledge")).to_have_count(0)
    target.refresh_from_db()
    assert target.status == "acknowledged"

    # acknowledged → remediating, with root cause, corrective action, owner and due date
    due = date.today().replace(day=1)
    form = _workflow_form(page, "remediate")
    field(form, "Root cause").fill("Background checks queued behind a registry outage.")
    field(form, "Corrective action").fill("Second registry provider as a fallback.")
    field(form, "Remediation owner").fill("Vendor onboarding lead")
    field(form, "Remediation due").fill(due.isoformat())
    form.get_by_role("button", name="Start remediation").click()
    expect(page.locator(".messages")).to_have_text("Remediation started.")
    expect(page.locator("main .badge").nth(1)).to_have_text("Remediating")
    details = page.locator("dl.fields")
    expect(details).to_contain_text("Background checks queued behind a registry outage.")
    expect(details).to_contain_text("Vendor onboarding lead")
    target.refresh_from_db()
    assert (target.status, target.remediation_owner, target.remediation_due) == (
        "remediating",
        "Vendor onboarding lead",
        due,
    )
    assert target.corrective_action == "Second registry provider as a fallback."

    # remediating → resolved
    _workflow_form(page, "resolve").get_by_role("button", name="Mark resolved").click()
    expect(page.locator(".messages")).to_have_text("Breach marked resolved.")
    expect(page.locator("main .badge").nth(1)).to_have_text("Resolved")
    target.refresh_from_db()
    assert target.status == "resolved"
    moves = list(BreachTransition.objects.filter(breach=target).order_by("at", "id"))
    assert [(m.from_status, m.to_status) for m in moves] == [
        ("open", "acknowledged"),
        ("acknowledged", "remediating"),
        ("remediating", "resolved"),
    ]
    log = card(page, "Workflow").locator("table tbody tr")
    expect(log).to_have_count(len(moves))
    for line, move in zip(log.all(), moves, strict=True):
        expect(line.locator("td").nth(2)).to_have_text(move.to_status)
        expect(line.locator("td").nth(3)).to_have_text(GOVERNANCE_NAME)
    shot("slas-breach-resolved")

    # Waive another: the reason is required.
    other = (
        Breach.objects.filter(status="open", sla__kind="sla", credit__gt=0)
        .exclude(pk=target.pk)
        .order_by("-period_start")
        .first()
    )
    page.goto(other.get_absolute_url())
    _workflow_form(page, "waive").get_by_role("button", name="Waive").click()
    form = _workflow_form(page, "waive")
    expect(form.locator(".errors")).to_have_text("This field is required.")
    expect(form.locator(".field.has-error")).to_have_count(1)
    other.refresh_from_db()
    assert other.status == "open" and other.credit > 0
    shot("slas-breach-waive-error")

    reason = "Client-caused: the release window was moved by the client."
    field(form, "Reason").fill(reason)
    form.get_by_role("button", name="Waive").click()
    expect(page.locator(".messages")).to_have_text("Breach waived.")
    expect(page.locator("main .badge").nth(1)).to_have_text("Waived")
    other.refresh_from_db()
    assert (other.status, other.waiver_reason) == ("waived", reason)
    assert other.credit == 0  # a waived breach gives up its credit
    expect(page.locator("dl.fields")).to_contain_text(reason)
    expect(page.locator("dt:text-is('Credit') + dd")).to_have_text(money(other.credit))


def test_executive_sees_no_workflow_buttons_and_a_post_is_refused(demo, login, page):
    breach = Breach.objects.filter(status="open").order_by("-period_start").first()
    login("demo-executive")
    page.goto(breach.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(str(breach))
    expect(page.locator("form[class*='workflow-']")).to_have_count(0)
    for label in ("Acknowledge", "Start remediation", "Mark resolved", "Waive", "Reopen"):
        expect(page.get_by_role("button", name=label)).to_have_count(0)
    expect(card(page, "Workflow")).to_contain_text("No workflow step is open to you")

    # A hand-made POST, with a valid CSRF token, is refused by the permission check.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    for action, data in (
        ("acknowledge", {"acknowledge-note": "looks fine"}),
        ("waive", {"waive-reason": "executive decision"}),
    ):
        response = page.request.post(
            reverse("slas:breach_transition", args=[breach.pk, action]),
            form={"csrfmiddlewaretoken": token, **data},
            max_redirects=0,
        )
        assert response.status == 403, (action, response.status)
        assert "CSRF" not in response.text()
    breach.refresh_from_db()
    assert breach.status == "open"
    assert not BreachTransition.objects.filter(breach=breach).exists()


# --- service credits ----------------------------------------------------------------------


def test_credits_per_contract_and_month_show_the_cap(demo, login, page, shot):
    # The contract-months whose credits exceed the cap, computed from the breaches.
    carrying = ~Q(status__in=["waived", "withdrawn"])
    months = (
        Breach.objects.filter(sla__kind="sla")
        .exclude(status="withdrawn")
        .values("sla__contract_id", "credit_month")
        .annotate(
            n=Count("id"),
            uncapped=Sum("credit_uncapped", filter=carrying),
            due=Sum("credit", filter=carrying),
        )
    )
    capped = []
    for m in months:
        contract = Contract.objects.get(pk=m["sla__contract_id"])
        cap = (contract.monthly_charge * contract.at_risk_percent / 100).quantize(Decimal("0.01"))
        if m["uncapped"] and m["uncapped"] > cap:
            capped.append((contract, m, cap))
    assert capped, "the demo should have a contract-month where the cap applies"
    contract, month, cap = capped[0]
    assert month["due"] <= cap < month["uncapped"]

    login("demo-governance")
    open_menu(page, "Service levels", "Service credits")
    expect(page.get_by_role("heading", level=1)).to_have_text("Service credits")
    field(page, "Contract").select_option(str(contract.pk))
    field(page, "Month (YYYY-MM)").fill(f"{month['credit_month']:%Y-%m}")
    page.get_by_role("button", name="Filter").click()

    expect(table_rows(page)).to_have_count(1)
    cells = table_rows(page).first.locator("td")
    expect(cells.nth(0)).to_have_text(contract.reference)
    expect(cells.nth(2)).to_have_text(f"{month['credit_month']:%Y-%m}")
    expect(cells.nth(3)).to_have_text(str(month["n"]))
    # Columns as NAME=money's credit statement lays them out: the cap before the credits.
    expect(cells.nth(4)).to_have_text(money(cap))
    expect(cells.nth(5)).to_have_text(money(month["uncapped"]))
    expect(cells.nth(6)).to_have_text(f"{money(month['due'])} capped")
    expect(cells.nth(6).locator(".badge")).to_have_text("capped")
    expect(cells.nth(9)).to_have_text(f"{money(month['due'])} {contract.currency}")
    shot("slas-credits-capped")

    # Without the month filter every month of the contract is listed; only capped ones say so.
    field(page, "Month (YYYY-MM)").fill("")
    page.get_by_role("button", name="Filter").click()
    contract_months = [m for m in months if m["sla__contract_id"] == contract.pk]
    expect(table_rows(page)).to_have_count(len(contract_months))
    expect(page.locator("tbody .badge", has_text="capped")).to_have_count(
        sum(1 for c, m, _ in capped if c.pk == contract.pk)
    )


# --- measurement import ----------------------------------------------------------------


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _upload(page, name: str, data: bytes) -> None:
    upload = {"name": name, "mimeType": "text/csv", "buffer": data}
    field(page, "File").set_input_files(files=[upload])
    page.get_by_role("button", name="Preview").click()


def test_measurement_import_preview_bad_row_confirm_and_template(demo, login, page, shot):
    today = date.today()
    this_month = today.replace(day=1)
    new_sla = SLA.objects.get(contract__reference="CSS-MSA-2024", name="Collections accuracy")
    old_sla = SLA.objects.get(contract__reference="NWB-SOW-02", name="Invoice cycle time")
    replaced = Measurement.objects.filter(sla=old_sla).order_by("-date").first()
    assert not Measurement.objects.filter(sla=new_sla, date=this_month).exists()
    header = ["sla", "sla_name", "contract_reference", "date", "value", "note"]
    good = [
        header,
        [new_sla.pk, "", "", this_month.isoformat(), "99.71", "Browser test"],
        ["", old_sla.name, old_sla.contract.reference, replaced.date.isoformat(), "2.2", ""],
    ]
    bad = [*good, [new_sla.pk, "", "", this_month.isoformat(), "n/a", ""]]
    before = Measurement.objects.count()

    login("demo-governance")
    open_menu(page, "Service levels", "Import measurements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import measurements")

    # The template: the header and one prefilled row per SLA the user may record for.
    with page.expect_download() as download:
        page.get_by_role("link", name="Template (CSV)").click()
    assert download.value.suggested_filename == "measurements-template.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == imports.COLUMNS
    current = SLA.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
    assert len(lines) - 1 == current.count()
    first = current.order_by("contract__reference", "name").first()
    assert lines[1][:4] == [str(first.pk), first.name, first.contract.reference, str(this_month)]

    # A good file: the preview counts new and replacing rows; nothing is written yet.
    _upload(page, "good.csv", _csv(good))
    preview = card(page, "Preview of good.csv")
    expect(preview).to_contain_text("2 rows: 1 new, 1 replacing an existing value.")
    expect(preview.locator("table tbody tr")).to_have_count(2)
    expect(preview.get_by_role("button", name="Import 2 rows")).to_be_visible()
    assert Measurement.objects.count() == before

    # A file with a bad row: the error names the file's row number; nothing is written.
    _upload(page, "bad.csv", _csv(bad))
    preview = card(page, "Preview of bad.csv")
    expect(preview).to_contain_text("1 error in 1 row")
    errors = preview.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator("td").nth(0)).to_have_text("4")  # header is row 1
    expect(errors.locator("td").nth(1)).to_have_text("value")
    expect(preview.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    shot("slas-import-bad-row")
    assert Measurement.objects.count() == before
    assert not TaskRun.objects.filter(kind="measurement_import").exists()

    # The good file again, confirmed: the job page shows its progress and result.
    _upload(page, "good.csv", _csv(good))
    card(page, "Preview of good.csv").get_by_role("button", name="Import 2 rows").click()
    run = TaskRun.objects.get(kind="measurement_import")
    assert page.url.endswith(reverse("taskrun_detail", args=[run.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Measurement import #{run.pk}")
    expect(page.locator("h1 .badge")).to_have_attribute("data-status", "done")
    run.refresh_from_db()
    assert run.status == TaskRun.Status.DONE
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", str(run.percent))
    expect(page.locator("dt:text-is('Message') + dd")).to_have_text(run.message)
    assert "1 new, 1 replaced" in run.message
    result = card(page, "Result")
    expect(result.locator("dt:text-is('File') + dd")).to_have_text("good.csv")
    expect(result.locator("dt:text-is('Created') + dd")).to_have_text(str(run.result["created"]))
    shot("slas-import-job")

    assert Measurement.objects.count() == before + 1
    assert Measurement.objects.get(sla=new_sla, date=this_month).value == Decimal("99.71")
    replaced.refresh_from_db()
    assert (replaced.value, replaced.source) == (Decimal("2.2"), "import")


def test_vendor_and_contract_pages_link_to_their_scorecards(demo, login, page):
    vendor = Vendor.objects.get(name="Meridian Infotech")
    contract = Contract.objects.get(reference="MER-MSA-2023")
    login("demo-executive")  # read-only roles get the links too
    page.goto(vendor.get_absolute_url())
    link = main(page).get_by_role("link", name="SLA scorecard")
    expect(link).to_have_attribute("href", reverse("slas:vendor_scorecard", args=[vendor.pk]))
    page.goto(contract.get_absolute_url())
    main(page).get_by_role("link", name="SLA scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scorecard · {contract.reference}")
