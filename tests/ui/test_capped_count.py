"""List pages count rows up to a cap ("10,000+"); the pages up to it stay reachable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import tables

pytestmark = pytest.mark.django_db


def test_a_long_list_reads_n_plus_and_its_pages_up_to_the_cap_work(
    signed_in, make_portfolio, monkeypatch
):
    client = signed_in()
    make_portfolio(5, prefix="CAP")  # 5 breaches, 10 measurements
    monkeypatch.setattr(tables, "COUNT_CAP", 4)
    url = reverse("slas:measurement_list")
    html = client.get(url, {"per_page": 2}).content.decode()
    assert '<p class="count" aria-live="polite">4+ measurements</p>' in html
    assert "Page 1 of 2+" in html
    last = client.get(url, {"per_page": 2, "page": 2}).content.decode()
    assert "Page 2 of 2+" in last
    # A page past the cap shows the last counted page rather than an error.
    beyond = client.get(url, {"per_page": 2, "page": 5})
    assert beyond.status_code == 200
    assert "Page 2 of 2+" in beyond.content.decode()
    # The export is not capped: every measurement, in the page's order.
    export = client.get(url, {"_export": "csv"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 10


def test_a_list_under_the_cap_shows_its_exact_count(signed_in, make_portfolio):
    client = signed_in()
    make_portfolio(3, prefix="EXACT")
    html = client.get(reverse("slas:breach_list")).content.decode()
    assert '<p class="count" aria-live="polite">3 breaches</p>' in html
    assert "+ breaches" not in html
