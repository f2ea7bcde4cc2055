"""The pack's ranking reads "trending to breach" from the SLA pages' rule
(``slas.evaluation.sla_trends``) and uses it between the breached and the met share.

Two vendors, one monthly SLA each (≥ 99.5 %), both breached in September 2026 only
(1 of 1 breached, no risks): a tie but for the trend.
* Zulu: 99.9, 99.8, 99.7, 99.6, 99.5, 99.0 — falling; the line through the six
  points projects below 99.5 next month → trending to breach.
* Alpha: 98.0, 98.5, 99.0, 99.5, 100.0, 99.4 — rising; projects above 99.5 → not.
By name Alpha would come first; the trend puts Zulu first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from reports import gather, gather_portfolio
from slas.evaluation import evaluate, sla_trends
from tests.factories import ContractFactory, SLAFactory, VendorFactory

pytestmark = pytest.mark.django_db
MONTHS = [dt.date(2026, m, 1) for m in range(4, 10)]


def _vendor(name: str, values: list[str]):
    vendor = VendorFactory(name=name)
    sla = SLAFactory(contract=ContractFactory(vendor=vendor), effective_from=dt.date(2026, 1, 1))
    for month, value in zip(MONTHS, values, strict=True):
        sla.measurements.create(date=month, value=D(value))
    return vendor, sla


def test_trending_to_breach_ranks_between_breached_and_met():
    zulu, zulu_sla = _vendor("Zulu", ["99.9", "99.8", "99.7", "99.6", "99.5", "99.0"])
    alpha, alpha_sla = _vendor("Alpha", ["98.0", "98.5", "99.0", "99.5", "100.0", "99.4"])
    evaluate()
    trends = sla_trends(sla_ids=[zulu_sla.pk, alpha_sla.pk])
    assert trends[zulu_sla.pk].trending_to_breach and not trends[alpha_sla.pk].trending_to_breach
    rows = gather_portfolio.vendor_rows(vendors=[alpha, zulu], quarter="2026Q3")
    assert [(r["name"], r["breached"], r["trending_to_breach"]) for r in rows] == [
        ("Zulu", 1, 1),
        ("Alpha", 1, 0),
    ]
    # The vendor's own report says the same for the quarter just ended.
    snap = gather.vendor_snapshot(vendor=zulu, quarter="2026Q3", edition="internal")
    assert snap["attainment"]["trending_to_breach"] == 1


def test_the_ranking_reads_a_fixed_number_of_queries(django_assert_max_num_queries):
    vendors = [_vendor(f"V{i}", ["99.9", "99.8", "99.7", "99.6", "99.5", "99.0"])[0]
               for i in range(2)]  # fmt: skip
    evaluate()
    with django_assert_max_num_queries(12) as few:
        gather_portfolio.vendor_rows(vendors=vendors, quarter="2026Q3")
    vendors += [_vendor(f"W{i}", ["99.9"] * 6)[0] for i in range(4)]
    evaluate()
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = gather_portfolio.vendor_rows(vendors=vendors, quarter="2026Q3")
    assert sum(r["trending_to_breach"] for r in rows) == 2
