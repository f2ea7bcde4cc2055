"""Pages and API of the register, assessments (with evidence), findings and plans; the score
path and quarterly trend from the review history; constant query counts on the lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core import roles
from risks import selectors, services
from risks.models import Assessment, ContinuityPlan, Finding, Risk
from tests.factories import ContractFactory
from tests.risks.conftest import make_assessment, make_finding, make_risk

pytestmark = pytest.mark.django_db

D = dt.date
PDF = b"%PDF-1.4 SOC 2 report"


def risk_form(vendor, **extra):
    data = {
        "vendor": vendor.pk, "title": "Offshore data", "category": "privacy", "likelihood": 4,
        "impact": 5, "residual_likelihood": 2, "residual_impact": 5, "treatment": "mitigate",
        "status": "open", "controls": "DLP, encryption",
    }  # fmt: skip
    data.update(extra)
    return data


def test_create_edit_review_through_the_pages(gov_client, gov_user, north):
    response = gov_client.post(reverse("risks:risk_add"), risk_form(north))
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.inherent_score, risk.residual_score) == (20, 10)
    assert risk.next_review is not None  # tier 1: three months from today
    response = gov_client.post(risk.edit_url, risk_form(north, residual_likelihood=1))
    assert response.status_code == 302
    kinds = list(risk.reviews.order_by("id").values_list("kind", "residual_likelihood"))
    assert kinds == [("identified", 2), ("changed", 1)]
    url = reverse("risks:risk_review", args=[risk.pk])
    assert gov_client.get(url).status_code == 200
    review = {"reviewed_on": "2026-12-01", "likelihood": 4, "impact": 5,
              "residual_likelihood": 1, "residual_impact": 4, "status": "mitigating",
              "note": "Encryption audited"}  # fmt: skip
    assert gov_client.post(url, {**review, "reviewed_on": "2099-01-01"}).status_code == 200
    assert gov_client.post(url, review).status_code == 302
    risk.refresh_from_db()
    assert (risk.residual_score, risk.status) == (4, "mitigating")
    assert risk.next_review == D(2027, 3, 1)
    page = gov_client.get(risk.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200 and "Encryption audited" in body
    assert body.count("<circle") == 3  # the path: identified, changed, reviewed


def test_contract_must_belong_to_the_vendor(gov_client, north, south):
    theirs = ContractFactory(vendor=south)
    response = gov_client.post(reverse("risks:risk_add"), risk_form(north, contract=theirs.pk))
    assert response.status_code == 200 and "contract" in response.context["form"].errors
    assert not Risk.objects.exists()


def test_list_pages_have_constant_queries(gov_client, north, south, django_assert_num_queries):
    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert gov_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse(n) for n in ("risks:risk_list", "risks:assessment_list",
                                 "risks:finding_list", "risks:continuityplan_list")]  # fmt: skip
    assessment = make_assessment(north)
    make_risk(north)
    make_finding(assessment)
    services.continuity_plan_create(
        data={"vendor": north, "title": "p", "rto_hours": 1, "rpo_hours": 1}
    )
    before = [count(u) for u in urls]
    for vendor in (north, south):
        for n in range(4):
            make_risk(vendor, title=f"r{n}", owner=None)
            make_finding(make_assessment(vendor), title=f"f{n}")
            services.continuity_plan_create(
                data={"vendor": vendor, "title": f"p{n}", "rto_hours": 1, "rpo_hours": 1}
            )
    assert [count(u) for u in urls] == before


def test_api_crud_and_review(gov_api, north):
    response = gov_api.post(
        "/api/v1/risks/",
        {"vendor": north.pk, "title": "Lock-in", "category": "exit_lock_in", "likelihood": 3,
         "impact": 5},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["inherent_score"], body["inherent_rating"]) == (15, "critical")
    assert (body["residual_score"], body["residual_rating"]) == (15, "critical")  # no controls yet
    assert body["next_review"]
    pk = body["id"]
    response = gov_api.post(
        f"/api/v1/risks/{pk}/review/",
        {"reviewed_on": "2026-12-01", "residual_likelihood": 2, "note": "Escrow signed"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["residual_score"] == 10 and response.json()["kind"] == "reviewed"
    bad = gov_api.post(f"/api/v1/risks/{pk}/review/", {"impact": 9}, format="json")
    assert bad.status_code == 400 and "impact" in bad.json()
    listed = gov_api.get("/api/v1/risks/?residual_rating=high&ordering=-score_residual").json()
    assert [r["id"] for r in listed["results"]] == [pk]
    history = gov_api.get(f"/api/v1/risk-reviews/?risk={pk}").json()["results"]
    # Newest first: the review was dated 2026-12-01, before the risk was put on the register.
    assert [h["kind"] for h in history] == ["identified", "reviewed"]
    assert gov_api.delete(f"/api/v1/risks/{pk}/").status_code == 204


def test_assessment_evidence_and_findings(gov_client, gov_api, north, users):
    upload = SimpleUploadedFile("soc2.pdf", PDF, content_type="application/pdf")
    response = gov_client.post(
        reverse("risks:assessment_add"),
        {"vendor": north.pk, "kind": "soc2_review", "date": "2026-11-01", "evidence": upload},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    url = reverse("risks:assessment_evidence", args=[assessment.pk])
    auditor = Client()
    auditor.force_login(users[roles.AUDITOR])
    download = auditor.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = gov_client.post(
        reverse("risks:assessment_add"),
        {"vendor": north.pk, "kind": "audit", "date": "2026-11-01", "evidence": bad},
    )
    assert response.status_code == 200 and "evidence" in response.context["form"].errors
    form = gov_client.get(reverse("risks:finding_add") + f"?assessment={assessment.pk}")
    assert form.context["form"].initial["assessment"] == str(assessment.pk)
    response = gov_client.post(
        reverse("risks:finding_add"),
        {"assessment": assessment.pk, "title": "Access not revoked", "severity": "high",
         "due_date": "2026-11-20", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 302
    api = gov_api.get(f"/api/v1/findings/?vendor={north.pk}&overdue=true").json()["results"]
    assert [(f["title"], f["vendor"]) for f in api] == [("Access not revoked", north.pk)]
    body = gov_api.get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert body["open_findings"] == 1 and body["has_evidence"] is True
    assert gov_api.get(body["evidence_url"]).status_code == 200
    protected = gov_api.delete(f"/api/v1/assessments/{assessment.pk}/")
    assert protected.status_code == 409  # its findings keep it
    assert Finding.objects.count() == 1


def test_continuity_plan_api(gov_api, north):
    response = gov_api.post(
        "/api/v1/continuity-plans/",
        {"vendor": north.pk, "title": "DR", "rto_hours": 4, "rpo_hours": 1,
         "last_test_date": "2026-10-01"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "last_test_result" in response.json()
    assert not ContinuityPlan.objects.exists()
    response = gov_api.post(
        "/api/v1/continuity-plans/",
        {"vendor": north.pk, "title": "DR", "rto_hours": 4, "rpo_hours": 1,
         "last_test_date": "2026-10-01", "last_test_result": "pass"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201


def test_residual_trend_by_quarter_by_hand(north, gov_user):
    """r1: 16 from 2026-01-15, 12 from 2026-05-10, 8 from 2026-08-20.
    r2: 9 from 2026-07-01, closed on 2026-10-05.
    Quarter ends: Q1 16; Q2 12; Q3 8 + 9 = 17; Q4 (to 2026-12-04) 8 (r2 closed)."""
    r1 = services.risk_create(
        data={"vendor": north, "title": "r1", "category": "privacy", "likelihood": 4, "impact": 4},
        today=D(2026, 1, 15),
    )
    for day, likelihood in ((D(2026, 5, 10), 3), (D(2026, 8, 20), 2)):
        services.risk_review(
            risk=r1, data={"reviewed_on": day, "residual_likelihood": likelihood}, today=day
        )
    r2 = services.risk_create(
        data={"vendor": north, "title": "r2", "category": "privacy", "likelihood": 3, "impact": 3},
        today=D(2026, 7, 1),
    )
    services.risk_review(
        risk=r2, data={"reviewed_on": D(2026, 10, 5), "status": "closed"}, today=D(2026, 10, 5)
    )
    trend = selectors.residual_trend(risks=Risk.objects.all(), today=D(2026, 12, 4))
    assert trend == [("2026Q1", 16), ("2026Q2", 12), ("2026Q3", 17), ("2026Q4", 8)]
    posture = selectors.vendor_risk_posture(vendor=north, user=gov_user)
    assert posture["open_by_rating"] == {"low": 0, "medium": 1, "high": 0, "critical": 0}
    assert posture["continuity"] == "no_plan" and posture["continuity_flagged"] is True


def test_governance_buttons_preselect_the_subject(gov_client, north, users):
    from django.urls import NoReverseMatch

    risk = make_risk(north, title="Lock-in")
    finding = make_finding(make_assessment(north), title="Weak TLS")
    try:
        action_url, escalation_url = (
            reverse("governance:actionitem_add"),
            reverse("governance:escalation_add"),
        )
    except NoReverseMatch:
        body = gov_client.get(risk.get_absolute_url()).content.decode()
        assert "Raise action item" not in body and "Escalate" not in body
        return
    links = dict(gov_client.get(risk.get_absolute_url()).context["governance_links"])
    assert links["Raise action item"].startswith(f"{action_url}?risk={risk.pk}&vendor={north.pk}")
    form = gov_client.get(links["Raise action item"]).context["form"]
    assert str(form.initial["risk"]) == str(risk.pk)
    escalate = links["Escalate"]
    assert escalate.startswith(f"{escalation_url}?subject_type=risk&subject_id={risk.pk}")
    assert gov_client.get(escalate).context["form"].initial["title"] == "Risk: Lock-in"
    links = dict(gov_client.get(finding.get_absolute_url()).context["governance_links"])
    assert f"finding={finding.pk}" in links["Raise action item"]
    assert "subject_type=other" in links["Escalate"]
    # Read-only roles get no buttons.
    executive = Client()
    executive.force_login(users[roles.EXECUTIVE])
    assert executive.get(risk.get_absolute_url()).context["governance_links"] == []


def test_changes_land_in_the_audit_trail_with_their_actor(gov_client, gov_user, north):
    assert gov_client.post(reverse("risks:risk_add"), risk_form(north)).status_code == 302
    risk = Risk.objects.get()
    gov_client.post(risk.edit_url, risk_form(north, status="mitigating"))
    page = gov_client.get(risk.history_url)
    assert page.status_code == 200
    events = page.context["events"]
    assert [e.action for e in events][:2] == ["update", "insert"]
    assert events[0].actor == gov_user.display_name
    assert events[0].changes["status"] == ["open", "mitigating"]
