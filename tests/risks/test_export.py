"""The register's CSV and XLSX export: scoped, filtered like the page, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from risks.exports import neutralise
from tests.risks.conftest import make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def risks(north, south):
    return [
        make_risk(north, l=5, i=4, rl=2, ri=3, title="=HYPERLINK(\"http://evil\")",
                  controls="+cmd|' /C calc'!A0"),
        make_risk(north, l=2, i=2, title="@SUM(A1:A9)", controls="-2+3"),
        make_risk(south, l=3, i=3, title="Plain title", status="closed"),
    ]  # fmt: skip


def test_neutralise():
    assert [neutralise(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "ok", 12, -3, None)] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "ok", 12, -3, None,
    ]  # fmt: skip


def test_csv_read_back(risks, gov_client):
    response = gov_client.get(reverse("risks:risk_export") + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    titles = [r["title"] for r in rows]
    assert titles == ['\'=HYPERLINK("http://evil")', "'@SUM(A1:A9)", "Plain title"]
    first = rows[0]
    assert first["controls"] == "'+cmd|' /C calc'!A0"
    assert (first["inherent_score"], first["inherent_rating"]) == ("20", "critical")
    assert (first["residual_score"], first["residual_rating"]) == ("6", "medium")
    assert rows[1]["controls"] == "'-2+3"


def test_xlsx_read_back_with_the_pages_filters(risks, north, gov_client):
    url = reverse("risks:risk_export") + f"?format=xlsx&vendor={north.pk}&open=true"
    response = gov_client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    header, body = values[0], values[1:]
    assert header[:4] == ("id", "vendor", "contract", "title")
    assert [row[3] for row in body] == ['\'=HYPERLINK("http://evil")', "'@SUM(A1:A9)"]
    scores = {row[3]: (row[header.index("inherent_score")], row[header.index("residual_rating")])
              for row in body}  # fmt: skip
    assert scores["'@SUM(A1:A9)"] == (4, "low")  # numbers stay numbers


def test_bad_format_or_filter_is_400(risks, gov_client):
    assert gov_client.get(reverse("risks:risk_export") + "?format=pdf").status_code == 400
    bad = gov_client.get(reverse("risks:risk_export") + "?format=csv&vendor=abc")
    assert bad.status_code == 400 and b"vendor" in bad.content


def test_the_list_pages_export_buttons_give_the_register_file(risks, north, gov_client):
    response = gov_client.get(reverse("risks:risk_list") + f"?_export=csv&vendor={north.pk}")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["title"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'@SUM(A1:A9)"]
    assert rows[0]["residual_rating"] == "medium"
