"""Vendor pages as people use them: filter, open, edit the tier, see its history;
a duplicate name is refused on the form; read-only and vendor roles see less."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import choice, field, open_filters, open_menu, table_rows
from vendors.models import Vendor, VendorTierChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENDORS_URL = "/vendors/vendors/"


def test_filter_by_tier_open_edit_tier_and_see_its_history(demo, login, page):
    login("demo-governance")
    open_menu(page, "Vendors", "Vendors")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vendors")

    open_filters(page)
    choice(page, "Tier", "1 – Critical").check()
    page.get_by_role("button", name="Filter").click()
    expect(table_rows(page)).to_have_count(2)
    expect(page.locator("table")).to_contain_text("Northwind BPO")
    expect(page.locator("table")).to_contain_text("Meridian Infotech")
    expect(page.locator("table")).not_to_contain_text("Luzon Contact Solutions")

    expect(choice(page, "Tier", "1 – Critical")).to_be_checked()
    page.get_by_role("link", name="Reset").click()
    page.locator("tbody td:first-child").get_by_role(
        "link", name="Luzon Contact Solutions", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Luzon Contact Solutions")

    page.get_by_role("link", name="Edit").click()
    field(page, "Tier").select_option(label="1 – Critical")
    field(page, "Tier reason").fill("Now also runs the Spanish-language complaints desk.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Luzon Contact Solutions")
    expect(page.locator("main")).to_contain_text("1 – Critical")
    expect(page.locator("main")).to_contain_text("Spanish-language complaints desk")
    change = VendorTierChange.objects.filter(vendor__name="Luzon Contact Solutions").first()
    assert (change.from_tier, change.to_tier) == (2, 1)

    page.get_by_role("link", name="History").click()
    expect(page.locator("main")).to_contain_text("update")
    latest = page.locator("tbody tr").first
    expect(latest).to_contain_text("Grace Okafor")  # demo-governance's name
    expect(latest).to_contain_text("2 → 1")


def test_duplicate_vendor_name_is_a_field_error_and_creates_nothing(demo, login, page):
    login("demo-governance")
    before = Vendor.objects.count()
    page.goto(VENDORS_URL)
    page.get_by_role("link", name="Add vendor").click()
    field(page, "Name").fill("Northwind BPO")
    field(page, "Service type").select_option("bpo")
    page.get_by_role("button", name="Save").click()

    error = page.locator(".errors, .errorlist").filter(has_text="already exists")
    expect(error.first).to_be_visible()
    assert "/add/" in page.url
    assert Vendor.objects.count() == before


def test_executive_sees_no_edit_button_and_is_refused_the_edit_page(demo, live_server, login, page):
    vendor = Vendor.objects.get(name="Meridian Infotech")
    login("demo-executive")
    page.goto(f"{VENDORS_URL}{vendor.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meridian Infotech")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("link", name="Add vendor")).to_have_count(0)

    response = page.goto(f"{VENDORS_URL}{vendor.pk}/edit/")
    assert response.status == 403
    assert Vendor.objects.get(pk=vendor.pk).tier == 1


def test_vendor_representative_sees_only_their_vendor(demo, login, page):
    other = Vendor.objects.get(name="Meridian Infotech")
    login("demo-vendor")
    page.goto(VENDORS_URL)
    expect(table_rows(page)).to_have_count(1)
    expect(page.locator("table")).to_contain_text("Northwind BPO")

    response = page.goto(f"{VENDORS_URL}{other.pk}/")
    assert response.status == 404
    page.goto("/contracts/contracts/")
    expect(page.locator("table")).not_to_contain_text("MER-MSA-2023")
    expect(page.locator("table")).to_contain_text("NWB-SOW-01")
