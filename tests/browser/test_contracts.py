"""Contract pages: from the list to a contract and its notice deadline."""

from __future__ import annotations

import pytest
from django.utils import dateformat, formats
from playwright.sync_api import expect

from contracts.models import Contract
from tests.browser.helpers import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def date_texts(day) -> list[str]:
    """The ways a page may print a date: the locale's format, ISO, day-month-year."""
    return [
        formats.date_format(day),
        day.isoformat(),
        dateformat.format(day, "j M Y"),
        dateformat.format(day, "d M Y"),
        dateformat.format(day, "M j, Y"),
    ]


def test_contract_list_to_contract_shows_its_notice_deadline(demo, login, page):
    contract = Contract.objects.get(reference="NWB-MSA-2024")
    assert contract.notice_deadline is not None
    login("demo-governance")
    open_menu(page, "Contracts", "Contracts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contracts")
    page.locator("table").get_by_role("link", name="NWB-MSA-2024").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("NWB-MSA-2024")
    main = page.locator("main")
    expect(main).to_contain_text("Notice deadline")
    text = main.inner_text()
    assert any(t in text for t in date_texts(contract.notice_deadline)), text[:2000]
