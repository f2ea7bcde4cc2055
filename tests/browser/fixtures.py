"""Browser fixtures: Playwright driving the system's Chromium against ``live_server``.

One plugin, loaded once by the root ``tests/conftest.py`` (``pytest_plugins``), so
every package's browser tests share one session-scoped ``sync_playwright``. Do not
import these fixtures into another conftest or test module: a second copy would
start a second Playwright while the first still runs ("Sync API inside the asyncio
loop").

Chromium comes from the OS (``apt-get install chromium``), never from
``playwright install``. Without /usr/bin/chromium the tests are skipped with
the reason — unless the ``CI`` environment variable is set, where a missing
browser is a failure. The skip covers the tests under ``tests/browser`` and any
other test that uses the ``browser`` fixture.

Playwright's sync API runs an event loop in the test thread, so Django would
refuse ORM calls made from the test ("async unsafe"); the tests are plain
synchronous code, hence ``DJANGO_ALLOW_ASYNC_UNSAFE`` while the browser runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path("/tmp/covenant-shots")
PASSWORD = "covenant-demo"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    if CHROMIUM.exists() or os.environ.get("CI"):
        return  # on CI a missing browser fails loudly in the ``browser`` fixture
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install -y chromium")
    for item in items:
        in_here = Path(str(item.fspath)).is_relative_to(here)
        if in_here or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing (CI is set, so browser tests must run)")
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def role_groups(transactional_db):
    """The role groups. A transactional test flushes the tables afterwards, which
    removes the groups the data migration made, so they are made again here."""
    from tests.conftest import role_groups_ensure

    role_groups_ensure()


@pytest.fixture
def demo(role_groups):
    """The demo portfolio (as ``manage.py seed_demo`` builds it), evaluated."""
    from demo.seed import seed

    return seed()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def login(page):
    """login(username) signs in through the login form, as a person would."""

    def _login(username: str, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        return page

    return _login


@pytest.fixture
def shot(page):
    """shot(name) saves a full-page screenshot to /tmp/covenant-shots/<name>.png."""

    def _shot(name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
