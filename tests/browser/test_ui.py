"""The daily UI in a real browser (issue #14): keyboard only, export, import, search, vendor 360,
and axe-core on every main page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, field, table_rows
from vendors.models import Vendor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-12345678"


@pytest.fixture
def office(role_groups, make_user):
    """A small portfolio (three vendors, each a contract, an SLA and a breach) and an officer.

    Small on purpose: the demo seed takes minutes per test on a shared machine,
    and every path below needs only a few rows of each kind.
    """
    from tests.ui.conftest import portfolio

    portfolio(3, prefix="Northwind")
    make_user("governance_office", username="officer")
    return "officer"


MAIN_PAGES = [
    "/",
    "/search/?q=northwind",
    "/vendors/vendors/",
    "/vendors/certifications/",
    "/contracts/contracts/",
    "/contracts/obligations/",
    "/slas/",
    "/slas/measurements/",
    "/slas/breaches/",
    "/slas/credits/",
    "/tasks/",
    "/vendors/vendors/add/",
    "/imports/vendors/",
]


def test_every_section_is_reached_by_keyboard_alone(office, login, page):
    login(office, PASSWORD)
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    sections = page.get_by_role("navigation", name="Main").get_by_role("button")
    names = [sections.nth(i).inner_text().replace("▾", "").strip() for i in range(sections.count())]
    assert names[:4] == ["Overview", "Vendors", "Contracts", "Service levels"]
    for index, name in enumerate(names):
        page.goto("/")
        page.locator(".brand").focus()
        for _ in range(index + 1):
            page.keyboard.press("Tab")  # brand → first section button → next …
        expect(page.locator(":focus")).to_contain_text(name)
        page.keyboard.press("Enter")
        expect(page.locator(":focus")).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Tab")  # into the opened list
        focused = page.locator(":focus")
        href = focused.get_attribute("href")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(href), (name, href, page.url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Escape closes an open section and gives the focus back to its button.
    page.get_by_role("button", name="Vendors", exact=True).click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Vendors", exact=True)).to_have_attribute(
        "aria-expanded", "false"
    )


def test_dashboard_tiles_lead_to_the_lists_behind_them(office, login, page):
    login(office, PASSWORD)
    tiles = page.locator(".tiles a")
    hrefs = [tiles.nth(i).get_attribute("href") for i in range(tiles.count())]
    assert len(hrefs) >= 4
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, href
        expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_slash_searches_everything_grouped(office, login, page):
    login(office, PASSWORD)
    page.locator("body").press("/")
    expect(page.locator("#global-q")).to_be_focused()
    page.keyboard.type("northwind1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("northwind1")
    groups = page.locator(".search-group h2")
    expect(groups).to_have_count(4)  # vendors, contracts, SLAs, breaches
    expect(groups.first).to_contain_text("Vendors")
    page.locator(".search-group").first.get_by_role("link", name="Northwind1 Corp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind1 Corp")


def test_filter_sort_and_export_a_table_then_read_the_file(office, login, page):
    login(office, PASSWORD)
    page.goto("/vendors/vendors/")
    Vendor.objects.filter(name="Northwind0 Corp").update(tier=1)
    Vendor.objects.filter(name="Northwind2 Corp").update(tier=1)
    page.get_by_text("Filters").click()
    page.get_by_role("checkbox", name=re.compile("Critical")).check()
    page.get_by_role("button", name="Filter").click()
    expect(table_rows(page)).to_have_count(2)
    name_header = page.locator("thead th").filter(has_text="Name").get_by_role("link")
    with page.expect_navigation():
        name_header.click()  # sorted by name already: this sorts descending
    names = [n.strip() for n in page.locator("tbody td:nth-child(1)").all_inner_texts()]
    assert names == ["Northwind2 Corp", "Northwind0 Corp"]
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        body = handle.read()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Name" and [r[0] for r in rows[1:]] == names


def test_create_vendor_with_a_form_error_then_a_contract_and_an_sla(office, login, page):
    login(office, PASSWORD)
    page.goto("/vendors/vendors/add/")
    field(page, "Name").fill("Northwind0 Corp")  # taken
    field(page, "Service type").select_option("bpo")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(field(page, "Name")).to_be_focused()
    expect(field(page, "Name")).to_have_attribute("aria-invalid", "true")
    field(page, "Name").fill("Orbit Services")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orbit Services")
    vendor = Vendor.objects.get(name="Orbit Services")

    page.get_by_role("tab", name="Contracts").click()
    page.get_by_role("link", name="Add contract").click()
    expect(field(page, "Vendor")).to_have_value(str(vendor.pk))
    field(page, "Reference").fill("ORB-1")
    field(page, "Title").fill("Orbit MSA")
    field(page, "Start date").fill("2026-01-01")
    field(page, "End date").fill("2027-12-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ORB-1")

    page.get_by_role("link", name="Add SLA").click()
    field(page, "Name").fill("Availability")
    field(page, "Direction").select_option("higher_is_better")
    field(page, "Target").fill("99.5")
    field(page, "Period").select_option("monthly")
    field(page, "Effective from").fill("2026-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Availability")


def test_import_a_vendor_file_with_a_bad_row(office, login, page, tmp_path):
    login(office, PASSWORD)
    page.goto("/vendors/vendors/")
    page.get_by_role("link", name="Import CSV / Excel").click()
    bad = tmp_path / "vendors.csv"
    bad.write_text("name,service_type,tier\nAtlas,bpo,2\nBorealis,rockets,2\n", encoding="utf-8")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").first).to_have_text("3")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert not Vendor.objects.filter(name__in=["Atlas", "Borealis"]).exists()


def test_each_vendor_360_tab_opens_without_a_full_reload(office, login, page):
    login(office, PASSWORD)
    page.goto("/vendors/vendors/")
    page.locator("tbody td:first-child a").first.click()
    page.evaluate("window.__same_page = true")
    tabs = page.get_by_role("tab")
    labels = tabs.all_inner_texts()
    assert labels == [
        "Overview",
        "Contracts",
        "SLAs and scorecard",
        "Breaches and credits",
        "Risks",
        "Governance",
        "Escalations",
        "Reports",
        "History",
    ]
    for label in labels:
        page.get_by_role("tab", name=label).click()
        expect(page.get_by_role("tab", name=label)).to_have_attribute("aria-selected", "true")
        expect(page.locator("#tabpanel")).to_have_attribute("aria-labelledby", re.compile("tab-"))
        page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__same_page === true")  # htmx swapped panels: no reload
    # Arrow keys move between tabs (ARIA tabs pattern).
    page.get_by_role("tab", name="History").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Overview")).to_be_focused()


def test_axe_finds_no_serious_or_critical_violation_on_the_main_pages(office, login, page):
    login(office, PASSWORD)
    found = {}
    for path in MAIN_PAGES:
        assert page.goto(path).status == 200, path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
