"""Every list page's table: export what is shown, remember columns, bulk actions, humane filters."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import export, roles
from slas.choices import BreachStatus
from slas.models import Breach
from tests.factories import ContractFactory, VendorFactory
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-12.5", "-12.5"),  # a plain number is not a formula
        ("Acme", "Acme"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_formula_cells_with_an_apostrophe(text, safe):
    assert export.neutralise(text) == safe


def test_csv_export_has_every_filtered_row_in_the_table_order_and_neutralises_formulas(
    signed_in,
):
    client = signed_in()
    for i, name in enumerate(["Bravo", "=cmd|' /C calc'!A0", "Alpha", "Charlie"]):
        VendorFactory(name=name, country="FR" if i != 3 else "DE")
    url = reverse("vendors:vendor_list")
    query = {"country": "fr", "sort": "-name", "per_page": "1", "_export": "csv"}
    response = client.get(url, query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="vendors-')
    rows = read_csv(response)
    assert rows[0][:3] == ["Name", "Tier", "Status"]
    # All three French vendors (not one page of one), in the page's order (name descending,
    # as the database collates it); Charlie (DE) filtered out.
    expected = Vendor.objects.filter(country__iexact="fr").order_by("-name")
    assert [r[0] for r in rows[1:]] == [export.neutralise(v.name) for v in expected]
    assert "'=cmd|' /C calc'!A0" in [r[0] for r in rows]


def test_xlsx_export_matches_the_page_columns(signed_in):
    client = signed_in()
    vendor = VendorFactory(name="Acme")
    ContractFactory(vendor=vendor, reference="ACME-1", monthly_charge="12345.60")
    url = reverse("contracts:contract_list")
    # Hide "title" for this user: the export leaves it out too.
    page = client.get(url, {"_cols_set": "1", "_cols": ["reference", "vendor", "monthly_charge"]})
    assert page.status_code == 200
    assert "cols-ContractTable" in page.cookies
    response = client.get(url, {"_export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0] == ("Reference", "Vendor", "Monthly charge")
    assert values[1][0] == "ACME-1" and values[1][1] == "Acme"
    assert values[1][2] == 12345.6  # a number in the sheet, though the page shows 12,345.60


def test_chosen_columns_are_remembered_and_the_first_cannot_be_hidden(signed_in):
    client = signed_in()
    VendorFactory(name="Acme")
    url = reverse("vendors:vendor_list")
    client.get(url, {"_cols_set": "1", "_cols": ["tier"]})
    page = client.get(url)
    headers = [c.name for c in page.context["table"].columns if c.visible]
    assert headers == ["name", "tier"]


def test_filters_say_any_and_multi_selects_are_check_boxes(signed_in):
    client = signed_in()
    html = client.get(reverse("vendors:vendor_list")).content.decode()
    assert "Unknown" not in html
    assert '<option value="unknown" selected>Any</option>' in html  # "Owned by me"
    assert 'type="checkbox" name="tier"' in html


def test_bad_filter_values_are_a_form_error_not_a_file(signed_in):
    client = signed_in()
    response = client.get(reverse("slas:breach_list"), {"month": "2026-13", "_export": "csv"})
    assert response.status_code == 302  # back to the page, which shows the field error
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Enter a month as YYYY-MM." in page.content.decode()


def test_bulk_acknowledge_moves_open_breaches_and_reports_the_rest(signed_in, make_portfolio):
    breaches = make_portfolio(3)
    assert [b.status for b in breaches] == [BreachStatus.OPEN] * 3
    client = signed_in()
    first, second, third = breaches
    client.post(
        reverse("slas:breach_transition", args=[second.pk, "acknowledge"]), {"acknowledge-note": ""}
    )
    response = client.post(
        reverse("slas:breach_list"),
        {"_bulk": "acknowledge", "pk": [first.pk, second.pk], "next": "/slas/breaches/?x=1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/slas/breaches/?x=1"
    statuses = dict(Breach.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: BreachStatus.ACKNOWLEDGED,
        second.pk: BreachStatus.ACKNOWLEDGED,  # already was: refused, reported, unchanged
        third.pk: BreachStatus.OPEN,  # not ticked
    }
    text = response.content.decode()
    assert "Acknowledge: 1 done." in text
    assert "Cannot acknowledge a breach that is acknowledged" in text


def test_bulk_actions_are_not_offered_to_read_only_roles(signed_in, make_portfolio):
    breach = make_portfolio(1)[0]
    client = signed_in(roles.EXECUTIVE)
    page = client.get(reverse("slas:breach_list"))
    assert 'id="bulk-form"' not in page.content.decode()
    client.post(reverse("slas:breach_list"), {"_bulk": "acknowledge", "pk": [breach.pk]})
    breach.refresh_from_db()
    assert breach.status == BreachStatus.OPEN


def test_a_vendor_user_cannot_bulk_move_another_vendors_breach(signed_in, make_portfolio):
    mine, theirs = make_portfolio(2)
    client = signed_in(roles.VENDOR_MANAGER)
    mine.sla.contract.vendor.relationship_owner = client.session and None
    response = client.post(
        reverse("slas:breach_list"), {"_bulk": "acknowledge", "pk": [theirs.pk]}, follow=True
    )
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.status == BreachStatus.OPEN
    assert "1 row(s) you may not change were left alone." in response.content.decode()
