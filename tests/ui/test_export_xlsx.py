"""The XLSX writer: text stays text (escaped, formula-safe), numbers are numbers."""

from __future__ import annotations

import io
import warnings

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ContractFactory, VendorFactory

pytestmark = pytest.mark.django_db


def test_xlsx_cells_are_escaped_neutralised_and_typed(signed_in):
    client = signed_in()
    for name in ('=HYPERLINK("http://x","y")', "A & <B> Ltd", "Bell\x07 Corp", "-12.5"):
        ContractFactory(vendor=VendorFactory(name=name), monthly_charge="1234567.80")
    url = reverse("contracts:contract_list")
    client.get(url, {"_cols_set": "1", "_cols": ["reference", "vendor", "monthly_charge"]})
    response = client.get(url, {"_export": "xlsx", "sort": "vendor"})
    assert response.status_code == 200
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a well-formed workbook: no "no default style" warning
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0] == ("Reference", "Vendor", "Monthly charge")
    # A formula gets its apostrophe; a control character XML cannot carry is dropped;
    # a name that is a plain number is a number in the sheet, as before.
    assert {row[1] for row in rows[1:]} == {
        '\'=HYPERLINK("http://x","y")',
        "A & <B> Ltd",
        "Bell Corp",
        -12.5,
    }
    assert {row[2] for row in rows[1:]} == {1234567.8}
