"""The QBR's relationship health by dimension: grouped bars (client and vendor side) drawn
from the snapshot alone, read back from a real PDF with pdftotext.

Acme's 2026Q3 surveys (as in test_sections): client 4, 4, 3, 4, 3, 4 → index 3.67; vendor
4, 5, 4, 4, 4, 4 → 4.17; gap client − vendor −0.50. Per dimension the gaps are 0, −1, −1,
0, −1, 0.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET

import pytest

from reports import gather, render
from tests.reports.conftest import pdf_text

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ("communication", "responsiveness", "flexibility", "quality", "innovation", "trust")
CLIENT = (4, 4, 3, 4, 3, 4)
VENDOR = (4, 5, 4, 4, 4, 4)


@pytest.fixture
def surveyed(acme):
    from improvement.models import HealthSurvey

    for side, scores in (("client", CLIENT), ("vendor", VENDOR)):
        HealthSurvey.objects.create(
            vendor=acme["vendor"], quarter="2026Q3", side=side,
            **dict(zip(NAMES, scores, strict=True)),
        )  # fmt: skip
    return acme


def _bars(svg: str) -> dict[tuple[str, str], str]:
    root = ET.fromstring(svg)
    return {
        (g.get("data-category"), g.get("data-series")): g.find(f"{SVG}text").text
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "bar"
    }


def test_health_by_dimension_is_a_grouped_bar_chart_in_the_pdf(surveyed, django_assert_num_queries):
    snap = gather.vendor_snapshot(vendor=surveyed["vendor"], quarter="2026Q3", edition="internal")
    svg = str(render.health_chart(snap["health"]))
    bars = _bars(svg)
    for name, client, vendor in zip(NAMES, CLIENT, VENDOR, strict=True):
        assert bars[(name.capitalize(), "Client side")] == f"C {client}"
        assert bars[(name.capitalize(), "Vendor side")] == f"V {vendor}"
    assert bars[("Health index", "Client side")] == "C 3.67"
    assert bars[("Health index", "Vendor side")] == "V 4.17"
    assert "index gap client − vendor -0.5" in ET.fromstring(svg).find(f"{SVG}title").text
    with django_assert_num_queries(0):  # the PDF is drawn from the snapshot alone
        data = render.render(snap)
    text = pdf_text(data)
    chapter = text[text.index("Relationship health by dimension") :]
    assert "C = Client side" in chapter and "V = Vendor side" in chapter  # the legend
    for name in NAMES:
        assert name.capitalize() in chapter, name
    # The chart's own labels: each side's index bar, and the table's numbers as text too.
    assert re.search(r"C 3\.67", chapter) and re.search(r"V 4\.17", chapter)
    assert "Gap (client − vendor)" in chapter and "Index gap (client − vendor): -0.50" in chapter
    rows = {
        m[0]: m[1:]
        for m in re.findall(r"^\s*(\w+)\s+[■□]+\s+(\d)\s+[■□]+\s+(\d)\s+(-?\d)\s*$", chapter, re.M)
    }
    assert rows["Flexibility"] == ("3", "4", "-1") and rows["Trust"] == ("4", "4", "0")


def test_the_chart_follows_the_snapshot_not_the_database(surveyed):
    snap = gather.vendor_snapshot(vendor=surveyed["vendor"], quarter="2026Q3", edition="vendor")
    changed = copy.deepcopy(snap)
    changed["health"]["dimensions"][0]["client"] = 1  # communication, as if stored so
    changed["health"]["client_index"] = "3.17"
    text = pdf_text(render.render(changed))
    chapter = text[text.index("Relationship health by dimension") :]
    assert "C 3.17" in chapter and "C 3.67" not in chapter
    assert _bars(str(render.health_chart(changed["health"])))[("Communication", "Client side")] == (
        "C 1"
    )


def test_one_side_unanswered_shows_dashes_and_no_survey_no_chart():
    health = {
        "tracked": True,
        "client_index": "3.50",
        "vendor_index": None,
        "gap": None,
        "dimensions": [
            {"dimension": "Trust <&>", "client": 3, "vendor": None, "gap": None},
        ],
    }
    svg = str(render.health_chart(health))
    assert _bars(svg)[("Trust <&>", "Vendor side")] == "V —"
    assert "Trust &lt;&amp;&gt;" in svg and "index gap" not in svg
    assert render.health_chart({**health, "dimensions": []}) == ""
    assert render.health_chart({"tracked": False}) == "" and render.health_chart(None) == ""
