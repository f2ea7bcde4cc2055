"""Small actions shared by the browser tests, phrased as a user would do them."""

from __future__ import annotations

import re


def open_menu(page, section: str, link: str) -> None:
    """Hover the main menu's ``section`` and click ``link`` in its drop-down."""
    menu = page.get_by_role("navigation", name="Main")
    entry = menu.locator(".menu-section").filter(has_text=section).first
    entry.hover()
    entry.get_by_role("link", name=link, exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def table_rows(page):
    return page.locator("table tbody tr")


def field(scope, label: str):
    """The form control labelled ``label`` (Django adds a colon to labels)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))
