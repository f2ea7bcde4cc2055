"""Signing in and the dashboard, as a governance officer would."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_governance_officer_signs_in_and_lands_on_the_dashboard(
    demo, live_server, login, page, shot
):
    login("demo-governance")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.locator("header .who")).to_contain_text("Governance office")
    shot("dashboard")


def test_wrong_password_is_refused_on_the_form(demo, login, page):
    login("demo-governance", password="not-the-password")
    expect(page.locator(".errors")).to_be_visible()
    assert "/accounts/login/" in page.url
    expect(page.get_by_role("heading", name="Sign in to Covenant")).to_be_visible()
