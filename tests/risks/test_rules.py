"""The rating bands at every boundary (Python, model, SQL) and residual ≤ inherent everywhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.urls import reverse

from risks import rules, selectors
from risks.models import Risk
from tests.risks.conftest import make_risk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "score, band",
    [(1, "low"), (4, "low"), (5, "medium"), (9, "medium"), (10, "high"), (14, "high"),
     (15, "critical"), (25, "critical")],
)  # fmt: skip
def test_rating_bands_at_every_boundary(score, band):
    assert rules.rating(score) == band


def test_score_bounds_of_each_band():
    assert [rules.score_bounds(b) for b in ("low", "medium", "high", "critical")] == [
        (1, 4), (5, 9), (10, 14), (15, 25),
    ]  # fmt: skip


# Every product 1..25 a 5×5 grid can make, with its band worked out by hand from the
# DESIGN.md table: ≤ 4 low, 5–9 medium, 10–14 high, ≥ 15 critical.
PRODUCTS = {
    1: "low", 2: "low", 3: "low", 4: "low", 5: "medium", 6: "medium", 8: "medium",
    9: "medium", 10: "high", 12: "high", 15: "critical", 16: "critical", 20: "critical",
    25: "critical",
}  # fmt: skip


def test_sql_rating_agrees_with_python_on_every_cell(north):
    """Inherent and residual, through real rows: the SQL bands equal the Python ones."""
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            make_risk(north, l=likelihood, i=impact, rl=1, ri=1, title=f"{likelihood}x{impact}")
    rows = selectors.with_scores(Risk.objects.all()).values_list(
        "likelihood", "impact", "score_inherent", "rating_inherent", "rating_residual"
    )
    assert len(rows) == 25
    for likelihood, impact, score, inherent, residual in rows:
        assert score == likelihood * impact
        assert inherent == PRODUCTS[score] == rules.rating(score)
        assert residual == "low"


@pytest.mark.parametrize(
    "residual, band",
    [((2, 2), "low"), ((1, 5), "medium"), ((3, 3), "medium"), ((2, 5), "high"),
     ((3, 4), "high"), ((3, 5), "critical")],
)  # fmt: skip
def test_residual_rating_at_the_boundaries(north, residual, band):
    rl, ri = residual
    risk = make_risk(north, l=5, i=5, rl=rl, ri=ri)
    assert risk.residual_rating == band
    assert selectors.with_scores(Risk.objects.filter(pk=risk.pk)).get().rating_residual == band


def test_every_boundary_score_in_sql(north):
    """14 is no product of two factors 1–5, so the SQL bands are also checked on bare scores."""
    make_risk(north)
    scores = {4: "low", 5: "medium", 9: "medium", 10: "high", 14: "high", 15: "critical"}
    row = (
        Risk.objects.annotate(**{f"s{score}": rules.rating_sql(Value(score)) for score in scores})
        .values(*(f"s{score}" for score in scores))
        .get()
    )
    assert row == {f"s{score}": band for score, band in scores.items()}


def test_residual_above_inherent_is_a_field_error_and_writes_nothing(north):
    with pytest.raises(ValidationError) as caught:
        make_risk(north, l=2, i=3, rl=3, ri=3)  # residual 9 > inherent 6
    errors = caught.value.message_dict
    assert "residual_likelihood" in errors and "residual_impact" in errors
    assert "9 > inherent 2 × 3 = 6" in errors["residual_impact"][0]
    assert not Risk.objects.exists()


def test_residual_equal_to_inherent_is_allowed_even_with_other_factors(north):
    risk = make_risk(north, l=2, i=3, rl=3, ri=2)  # 6 = 6
    assert (risk.inherent_score, risk.residual_score) == (6, 6)


def test_database_refuses_residual_above_inherent(north):
    risk = make_risk(north, l=2, i=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(residual_likelihood=3)  # 6 > 4
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(likelihood=6)  # outside 1–5


def test_form_refuses_residual_above_inherent(gov_client, north):
    data = {
        "vendor": north.pk, "title": "Worse after controls", "category": "operational",
        "likelihood": 2, "impact": 2, "residual_likelihood": 3, "residual_impact": 2,
        "treatment": "mitigate", "status": "open",
    }  # fmt: skip
    response = gov_client.post(reverse("risks:risk_add"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "residual_likelihood" in form.errors and "residual_impact" in form.errors
    assert not Risk.objects.exists()


def test_api_refuses_residual_above_inherent(gov_api, north):
    response = gov_api.post(
        "/api/v1/risks/",
        {"vendor": north.pk, "title": "Worse", "category": "privacy", "likelihood": 1,
         "impact": 4, "residual_likelihood": 5, "residual_impact": 1},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "residual_likelihood" in response.json()
    assert not Risk.objects.exists()
    risk = make_risk(north, l=2, i=2)
    response = gov_api.patch(f"/api/v1/risks/{risk.pk}/", {"residual_impact": 3}, format="json")
    assert response.status_code == 400 and "residual_impact" in response.json()
    risk.refresh_from_db()
    assert risk.residual_impact == 2


def test_unknown_contract_is_a_field_error(north):
    with pytest.raises(ValidationError) as caught:
        make_risk(north, contract=999999)
    assert "contract" in caught.value.message_dict


def test_unknown_vendor_is_a_field_error():
    from risks import services

    with pytest.raises(ValidationError) as caught:
        services.risk_create(
            data={"vendor": 999999, "title": "x", "category": "privacy", "likelihood": 1,
                  "impact": 1}
        )  # fmt: skip
    assert "vendor" in caught.value.message_dict
