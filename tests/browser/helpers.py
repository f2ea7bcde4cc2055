"""Small actions shared by the browser tests, phrased as a user would do them."""

from __future__ import annotations

import re
from pathlib import Path


def open_menu(page, section: str, link: str) -> None:
    """Open the main menu's ``section`` (a disclosure button) and click ``link`` in it."""
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("button", name=section, exact=True).click()
    menu.get_by_role("link", name=link, exact=True).click()
    page.wait_for_load_state("domcontentloaded")


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page, *, impacts=("serious", "critical")) -> list[str]:
    """Run the vendored axe-core on the page; the serious and critical violations, described."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def open_filters(page) -> None:
    """Unfold the list's filters (folded unless a filter is in use)."""
    details = page.locator("details.filters")
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def choice(page, group: str, option: str):
    """The check box ``option`` of the multiple-choice filter ``group`` (a fieldset)."""
    return page.get_by_role("group", name=group).get_by_label(option, exact=True)


def table_rows(page):
    return page.locator("table tbody tr")


def field(scope, label: str):
    """The form control labelled ``label`` (Django adds a colon to labels)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))
