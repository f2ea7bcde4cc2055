"""The snapshot's figures (hand-worked in conftest) and the PDF rendered from it."""

from __future__ import annotations

import pytest

from reports import gather, render
from tests.reports.conftest import pdf_info, pdf_text


@pytest.fixture
def snapshot(acme):
    return gather.vendor_snapshot(vendor=acme["vendor"], quarter="2026Q3", edition="internal")


def test_summary_figures(snapshot):
    att = snapshot["attainment"]
    assert (att["met"], att["at_risk"], att["breached"], att["measured"]) == (1, 0, 2, 3)
    assert (att["met_pct"], att["breached_pct"]) == ("33.3", "66.7")
    credits = snapshot["credits"]
    assert credits["quarter"]["EUR"]["due"] == "8500.00"
    assert credits["quarter"]["EUR"]["net"] == "8500.00"
    assert credits["previous_quarter"]["EUR"]["due"] == "3000.00"
    assert credits["change_pct"]["EUR"] == "183"
    assert snapshot["summary"]["sentence"].startswith(
        "2 SLAs breached in the quarter; credits 8,500.00 EUR, up 183 %."
    )
    value = snapshot["value"]["totals"]["EUR"]
    assert (value["spend"], value["credits"], value["net_spend"], value["baseline"]) == (
        "288000.00", "8500.00", "279500.00", "360000.00"
    )  # fmt: skip
    assert (value["saving"], value["target"], value["savings_pct"]) == (
        "80500.00", "72000.00", "22.4"
    )  # fmt: skip


def test_pdf_reads_back(snapshot):
    data = render.render(snapshot)
    text = pdf_text(data)
    expected = ["Acme Outsourcing", "2026Q3", "Availability", "P1 response", "Resolution"]
    expected += ["CSAT", "8,500.00", "3,000.00", "Olivia Owner"]
    for needle in expected:
        assert needle in text, needle
    info = pdf_info(data)
    assert info["Title"] == "QBR 2026Q3 – Acme Outsourcing"
    assert info["Tagged"] == "yes"
    assert 4 <= int(info["Pages"]) <= 12
    # The executive summary is on page one.
    first = text.split("\f")[0]
    assert "2 SLAs breached in the quarter" in first


def test_vendor_edition_leaves_out_internal_figures(acme):
    snap = gather.vendor_snapshot(vendor=acme["vendor"], quarter="2026Q3", edition="vendor")
    assert snap["value"] is None and snap["risks"] is None
    text = pdf_text(render.render(snap))
    assert "Baseline" not in text and "288,000.00" not in text and "Risks" not in text
    assert "Olivia Owner" not in text and snap["vendor"]["relationship_owner"] is None
