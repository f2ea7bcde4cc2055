"""Scope: a vendor representative sees no risk register, no assessment, no plan — 404 on
every such page and endpoint — and only the findings addressed to their own vendor."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import roles
from risks.models import ReviewCadence
from tests.conftest import token_client
from tests.risks.conftest import make_assessment, make_finding, make_plan, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(north, south):
    risk = make_risk(north, l=4, i=4)
    assessment = make_assessment(
        north, evidence=SimpleUploadedFile("r.pdf", b"%PDF-1.4", content_type="application/pdf")
    )
    return {
        "risk": risk,
        "assessment": assessment,
        "own_finding": make_finding(assessment, title="Ours"),
        "other_finding": make_finding(make_assessment(south), title="Theirs"),
        "plan": make_plan(north),
        "cadence": ReviewCadence.objects.get(tier=1),
    }


def _page_urls(rows) -> list[str]:
    urls = [
        reverse(name)
        for name in (
            "risks:risk_list",
            "risks:risk_add",
            "risks:risk_export",
            "risks:heatmap",
            "risks:my_reviews",
            "risks:reviewcadence_list",
            "risks:assessment_list",
            "risks:assessment_add",
            "risks:continuityplan_list",
            "risks:continuityplan_add",
        )
    ]
    for key, model in (("risk", "risk"), ("assessment", "assessment"), ("plan", "continuityplan")):
        for action in ("detail", "edit", "delete", "history"):
            urls.append(reverse(f"risks:{model}_{action}", args=[rows[key].pk]))
    urls += [
        reverse("risks:risk_review", args=[rows["risk"].pk]),
        reverse("risks:assessment_evidence", args=[rows["assessment"].pk]),
        reverse("risks:reviewcadence_edit", args=[rows["cadence"].pk]),
    ]
    return urls


def test_vendor_user_gets_404_on_every_register_and_assessment_page(rows, users, client_for):
    client = client_for(users[roles.VENDOR_USER])
    urls = _page_urls(rows)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
    for url in urls:
        response = client.post(url, {"title": "x"})
        assert response.status_code in (404, 405), url
    # The redirect /risks/ → the register is itself a 404 once followed.
    assert client.get(reverse("risks:index"), follow=True).status_code == 404


def test_vendor_user_gets_404_on_every_register_and_assessment_endpoint(rows, users):
    api = token_client(users[roles.VENDOR_USER])
    risk, assessment, plan = rows["risk"], rows["assessment"], rows["plan"]
    for url in (
        "/api/v1/risks/",
        f"/api/v1/risks/{risk.pk}/",
        "/api/v1/risk-reviews/",
        f"/api/v1/risk-reviews/{risk.reviews.get().pk}/",
        "/api/v1/assessments/",
        f"/api/v1/assessments/{assessment.pk}/",
        f"/api/v1/assessments/{assessment.pk}/evidence/",
        "/api/v1/continuity-plans/",
        f"/api/v1/continuity-plans/{plan.pk}/",
    ):
        assert api.get(url).status_code == 404, url
    for url, body in (
        ("/api/v1/risks/", {"title": "x"}),
        (f"/api/v1/risks/{risk.pk}/review/", {}),
        ("/api/v1/assessments/", {"kind": "audit"}),
        ("/api/v1/continuity-plans/", {"title": "x"}),
    ):
        assert api.post(url, body, format="json").status_code == 404, url
    assert api.patch(f"/api/v1/risks/{risk.pk}/", {}, format="json").status_code == 404
    assert api.delete(f"/api/v1/assessments/{assessment.pk}/").status_code == 404
    # Anonymous callers are asked to authenticate, not told "not found".
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/risks/").status_code == 401


def test_vendor_user_sees_only_their_vendors_findings(rows, users, client_for):
    user = users[roles.VENDOR_USER]
    own, other = rows["own_finding"], rows["other_finding"]
    api = token_client(user)
    listed = api.get("/api/v1/findings/").json()["results"]
    assert [f["title"] for f in listed] == ["Ours"]
    assert api.get(f"/api/v1/findings/{other.pk}/").status_code == 404
    assert api.patch(f"/api/v1/findings/{own.pk}/", {"status": "closed"}).status_code == 403
    assert api.post("/api/v1/findings/", {"title": "x"}, format="json").status_code == 403
    client = client_for(user)
    page = client.get(reverse("risks:finding_list"))
    assert page.status_code == 200
    assert [f.title for f in page.context["table"].data] == ["Ours"]
    detail = client.get(own.get_absolute_url())
    assert detail.status_code == 200
    # The assessment is not linked: its page would be a 404 for them.
    assert rows["assessment"].get_absolute_url() not in detail.content.decode()
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(own.edit_url).status_code == 403


def test_vendor_page_shows_no_posture_to_the_vendor_user(rows, north, users, client_for):
    url = north.get_absolute_url() + "?tab=risks"  # the vendor page's "Risks" tab
    body = client_for(users[roles.VENDOR_USER]).get(url).content.decode()
    assert 'id="risk-posture"' not in body
    body = client_for(users[roles.EXECUTIVE]).get(url).content.decode()
    assert 'id="risk-posture"' in body


def test_read_only_roles_see_but_may_not_change(rows, users, client_for):
    risk = rows["risk"]
    for role in (roles.EXECUTIVE, roles.AUDITOR):
        client = client_for(users[role])
        assert client.get(risk.get_absolute_url()).status_code == 200
        assert client.get(risk.edit_url).status_code == 403
        assert client.get(reverse("risks:risk_review", args=[risk.pk])).status_code == 403
        api = token_client(users[role])
        assert api.get(f"/api/v1/risks/{risk.pk}/").status_code == 200
        assert api.patch(f"/api/v1/risks/{risk.pk}/", {}, format="json").status_code == 403


def test_vendor_manager_changes_only_their_vendors_risks(rows, south, users, client_for):
    manager = users[roles.VENDOR_MANAGER]  # owns North
    client = client_for(manager)
    assert client.get(rows["risk"].edit_url).status_code == 200
    theirs = make_risk(south, title="South risk")
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(theirs.edit_url).status_code == 403


def test_global_search_finds_only_what_the_user_may_see(rows, users, client_for):
    office = client_for(users[roles.GOVERNANCE_OFFICE])
    body = office.get(reverse("search") + "?q=Ours").content.decode()
    assert rows["own_finding"].get_absolute_url() in body
    body = office.get(reverse("search") + "?q=North").content.decode()
    assert rows["risk"].get_absolute_url() in body
    representative = client_for(users[roles.VENDOR_USER])
    body = representative.get(reverse("search") + "?q=North").content.decode()
    assert rows["risk"].get_absolute_url() not in body
    body = representative.get(reverse("search") + "?q=Theirs").content.decode()
    assert rows["other_finding"].get_absolute_url() not in body
    body = representative.get(reverse("search") + "?q=Ours").content.decode()
    assert rows["own_finding"].get_absolute_url() in body
