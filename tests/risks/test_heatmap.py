"""Heat-map counts, the serious risks and their concentration, worked out by hand."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core import roles
from risks import selectors
from risks.heatmaps import heatmap_svg
from tests.risks.conftest import make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(north, south):
    """Seven risks; the closed one is on no map.

    North: 5×5 → residual 3×4 (data_security); 4×4 → 4×4 (privacy); 2×2 → 1×1;
           3×5 → 3×4 closed.
    South: 5×5 → 3×4 (data_security); 4×3 → 2×5 (privacy, accepted); 1×1 → 1×1.
    """
    return [
        make_risk(north, l=5, i=5, rl=3, ri=4, category="data_security", title="n1"),
        make_risk(north, l=4, i=4, category="privacy", title="n2"),
        make_risk(north, l=2, i=2, rl=1, ri=1, title="n3"),
        make_risk(north, l=3, i=5, rl=3, ri=4, status="closed", title="n4"),
        make_risk(south, l=5, i=5, rl=3, ri=4, category="data_security", title="s1"),
        make_risk(south, l=4, i=3, rl=2, ri=5, category="privacy", status="accepted", title="s2"),
        make_risk(south, l=1, i=1, title="s3"),
    ]


def _cells(grid):
    return {(l + 1, i + 1): n for l, row in enumerate(grid) for i, n in enumerate(row) if n}  # noqa: E741


def test_portfolio_counts_by_hand(register, gov_user):
    residual = selectors.heatmap_counts(user=gov_user)
    assert _cells(residual) == {(3, 4): 2, (4, 4): 1, (1, 1): 2, (2, 5): 1}
    assert sum(map(sum, residual)) == 6  # the closed risk is on no map
    inherent = selectors.heatmap_counts(user=gov_user, residual=False)
    assert _cells(inherent) == {(5, 5): 2, (4, 4): 1, (2, 2): 1, (4, 3): 1, (1, 1): 1}


def test_vendor_counts_by_hand(register, north, gov_user):
    grid = selectors.heatmap_counts(user=gov_user, vendor=north)
    assert _cells(grid) == {(3, 4): 1, (4, 4): 1, (1, 1): 1}
    assert grid[2][3] == 1  # grid[likelihood - 1][impact - 1]


def test_open_high_critical_and_concentration(register, north, south, gov_user):
    # Residual: n1 12 high, n2 16 critical, s1 12 high, s2 10 high; n3, s3 low; n4 closed.
    serious = list(selectors.open_high_critical(user=gov_user))
    assert [r.title for r in serious] == ["n2", "n1", "s1", "s2"]
    assert [r.title for r in selectors.open_high_critical(user=gov_user, vendor=south)] == [
        "s1",
        "s2",
    ]
    concentration = selectors.concentration(user=gov_user)
    assert [(v.name, h, c) for v, h, c in concentration.by_vendor] == [
        ("North", 1, 1),
        ("South", 2, 0),
    ]
    assert concentration.by_category == [("Privacy", 1, 1), ("Data security", 2, 0)]


def test_counts_and_ratings_in_one_query_each(register, gov_user, django_assert_num_queries):
    roles.role_of(gov_user)  # the role is read once per request, then kept on the user
    with django_assert_num_queries(1):
        selectors.heatmap_counts(user=gov_user)
    with django_assert_num_queries(1):
        counts = selectors.ratings_count(selectors.open_risks(user=gov_user))
    assert counts == {"low": 2, "medium": 0, "high": 3, "critical": 1}


def test_svg_cells_link_to_the_risks_in_them(register, north, gov_client):
    svg = str(heatmap_svg([[0] * 5, [0] * 5, [0, 0, 0, 2, 0], [0] * 5, [0] * 5], residual=True))
    cells = re.findall(r'data-x="(\d)" data-y="(\d)" data-count="(\d+)"', svg)
    assert len(cells) == 25 and ("4", "3", "2") in cells
    links = re.findall(r'<a href="([^"]+)">', svg)
    assert len(links) == 1  # only non-empty cells link
    url = links[0].replace("&amp;", "&")
    assert "residual_likelihood=3" in url and "residual_impact=4" in url and "open=true" in url
    page = gov_client.get(url)
    assert [r.title for r in page.context["table"].data] == ["n1", "s1"]


def test_heatmap_page(register, north, gov_client):
    page = gov_client.get(reverse("risks:heatmap"))
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('class="chart heatmap"') == 2
    assert "North" in body and "Privacy" in body
    page = gov_client.get(reverse("risks:heatmap") + f"?vendor={north.pk}")
    assert page.context["vendor"] == north
    assert page.context["by_rating"] == {"low": 1, "medium": 0, "high": 1, "critical": 1}
    assert gov_client.get(reverse("risks:heatmap") + "?vendor=999999").status_code == 404
    assert gov_client.get(reverse("risks:heatmap") + "?vendor=x").status_code == 404


def test_dashboard_panels(register, gov_client, users, client_for):
    panels = selectors.dashboard_panels(user=users[roles.EXECUTIVE])
    titles = [p["title"] for p in panels]
    assert titles[0] == "Open risks (residual heat map)"
    assert panels[0]["count"] == 6 and panels[0]["tone"] == "bad"
    assert 'class="chart heatmap"' in str(panels[0]["chart"])
    assert selectors.dashboard_panels(user=users[roles.VENDOR_USER]) == []
    page = client_for(users[roles.GOVERNANCE_OFFICE]).get(reverse("dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and "Open risks (residual heat map)" in body


def test_heatmap_api(register, north, gov_api, users):
    from tests.conftest import token_client

    body = gov_api.get("/api/v1/risks/heatmap/").json()
    assert body["residual"] is True and body["vendor"] is None
    assert _cells(body["grid"]) == {(3, 4): 2, (4, 4): 1, (1, 1): 2, (2, 5): 1}
    body = gov_api.get(f"/api/v1/risks/heatmap/?vendor={north.pk}&residual=false").json()
    assert _cells(body["grid"]) == {(5, 5): 1, (4, 4): 1, (2, 2): 1}
    bad = gov_api.get("/api/v1/risks/heatmap/?vendor=999999")
    assert bad.status_code == 400 and "vendor" in bad.json()
    assert token_client(users[roles.VENDOR_USER]).get("/api/v1/risks/heatmap/").status_code == 404


def test_open_findings_per_vendor(north, south, gov_user, gov_client):
    import datetime as dt

    from tests.risks.conftest import make_assessment, make_finding

    today = dt.date(2026, 12, 4)
    north_audit, south_audit = make_assessment(north), make_assessment(south)
    make_finding(north_audit, title="a", due_date=dt.date(2026, 12, 3))  # overdue
    make_finding(north_audit, title="b", due_date=today, status="in_progress")  # due today
    make_finding(north_audit, title="c", status="closed")
    make_finding(south_audit, title="d")
    rows = selectors.open_findings_by_vendor(user=gov_user, today=today)
    assert [(v.name, n, overdue) for v, n, overdue in rows] == [("North", 2, 1), ("South", 1, 0)]
    page = gov_client.get(reverse("risks:heatmap"))
    assert [(v.name, n) for v, n, _ in page.context["findings"]] == [("North", 2), ("South", 1)]
