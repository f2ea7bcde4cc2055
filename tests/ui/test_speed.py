"""Query counts of the list pages, constant whatever the number of rows (1 vs 5 of each)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CertificationFactory,
    ChangeRequestFactory,
    ContactFactory,
    ExitPlanFactory,
    ObligationFactory,
    SpendRecordFactory,
)

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "vendors:vendor_list",
    "vendors:certification_list",
    "vendors:contact_list",
    "contracts:contract_list",
    "contracts:obligation_list",
    "contracts:changerequest_list",
    "contracts:exitplan_list",
    "contracts:spendrecord_list",
    "slas:sla_list",
    "slas:measurement_list",
    "slas:breach_list",
    "slas:credit_list",
]


def _rows(n: int, prefix: str, make_portfolio) -> None:
    breaches = make_portfolio(n, prefix=prefix)
    for breach in breaches[-n:]:
        contract = breach.sla.contract
        CertificationFactory(vendor=contract.vendor)
        ContactFactory(vendor=contract.vendor)
        ObligationFactory(contract=contract)
        ChangeRequestFactory(contract=contract)
        ExitPlanFactory(contract=contract)
        SpendRecordFactory(contract=contract)


def _count(client, url: str, query: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, query or {})
    assert response.status_code == 200, url
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def test_list_pages_and_their_exports_use_a_constant_number_of_queries(signed_in, make_portfolio):
    client = signed_in()
    _rows(1, "S1-", make_portfolio)
    one = {name: _count(client, reverse(name)) for name in LIST_PAGES}
    export_one = {
        name: _count(client, reverse(name), {"_export": "csv"})
        for name in LIST_PAGES
        if name != "slas:credit_list"  # a page of its own (NAME=money's), not a generic table
    }
    _rows(5, "S5-", make_portfolio)
    five = {name: _count(client, reverse(name)) for name in LIST_PAGES}
    export_five = {name: _count(client, reverse(name), {"_export": "csv"}) for name in export_one}
    assert one == five
    assert export_one == export_five
    assert max(one.values()) <= 20, one
