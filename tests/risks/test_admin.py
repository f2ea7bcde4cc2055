"""The admin saves through the risks services: history opened, residual ≤ inherent refused."""

from __future__ import annotations

import pytest

from core import roles
from risks.models import ReviewCadence, Risk
from tests.risks.conftest import make_assessment, make_finding, make_plan, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(roles.ADMIN))
    return client


def _risk_post(vendor, **extra):
    data = {
        "vendor": vendor.pk, "title": "Admin risk", "category": "privacy", "likelihood": 3,
        "impact": 3, "residual_likelihood": 2, "residual_impact": 3, "treatment": "mitigate",
        "status": "open", "next_review": "2027-01-15", "reviews-TOTAL_FORMS": 0,
        "reviews-INITIAL_FORMS": 0,
    }  # fmt: skip
    data.update(extra)
    return data


def test_add_risk_opens_its_history_and_refuses_a_worse_residual(admin_client, north):
    response = admin_client.post("/admin/risks/risk/add/", _risk_post(north))
    assert response.status_code == 302, response.content.decode()[:2000]
    risk = Risk.objects.get()
    assert list(risk.reviews.values_list("kind", flat=True)) == ["identified"]
    response = admin_client.post(
        f"/admin/risks/risk/{risk.pk}/change/", _risk_post(north, residual_likelihood=4)
    )
    assert response.status_code == 200 and b"residual score cannot be above" in response.content
    risk.refresh_from_db()
    assert risk.residual_likelihood == 2


def test_every_risks_admin_page_opens(admin_client, north):
    risk = make_risk(north)
    assessment = make_assessment(north)
    finding = make_finding(assessment)
    plan = make_plan(north)
    cadence = ReviewCadence.objects.get(tier=1)
    for path, pk in (("risk", risk.pk), ("assessment", assessment.pk), ("finding", finding.pk),
                     ("continuityplan", plan.pk), ("reviewcadence", cadence.pk)):  # fmt: skip
        assert admin_client.get(f"/admin/risks/{path}/").status_code == 200, path
        assert admin_client.get(f"/admin/risks/{path}/{pk}/change/").status_code == 200, path
    assert admin_client.get("/admin/risks/reviewreminder/").status_code == 200
    response = admin_client.post(f"/admin/risks/reviewcadence/{cadence.pk}/change/", {"months": 4})
    assert response.status_code == 302
    cadence.refresh_from_db()
    assert cadence.months == 4
