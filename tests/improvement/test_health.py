"""The relationship health rules, by hand: index per side, per dimension, gap, trend."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from improvement import health, selectors, services
from improvement.models import HealthSurvey

pytestmark = pytest.mark.django_db

DIMS = ("communication", "responsiveness", "flexibility", "quality", "innovation", "trust")


def scores(*values):
    return dict(zip(DIMS, values, strict=True))


def test_index_is_the_mean_rounded_half_up_to_cents():
    # 4+4+4+4+4+5 = 25; 25/6 = 4.1666… → 4.17
    assert health.health_index(scores(4, 4, 4, 4, 4, 5)) == D("4.17")
    # 3+3+3+3+3+4 = 19; 19/6 = 3.1666… → 3.17
    assert health.health_index(scores(3, 3, 3, 3, 3, 4)) == D("3.17")
    # 26/6 = 4.333… → 4.33
    assert health.health_index(scores(4, 4, 4, 4, 5, 5)) == D("4.33")
    # 27/6 = 4.5 exactly → 4.50
    assert health.health_index(scores(4, 4, 4, 5, 5, 5)) == D("4.50")
    # 11/6 = 1.8333… → 1.83
    assert health.health_index(scores(1, 2, 2, 2, 2, 2)) == D("1.83")


def test_previous_quarters_cross_the_year():
    assert health.previous_quarters("2026Q2", 4) == ["2025Q2", "2025Q3", "2025Q4", "2026Q1"]


def _answer(actor, vendor, quarter, side, values):
    return services.health_survey_create(
        actor=actor, data={"vendor": vendor, "quarter": quarter, "side": side, **scores(*values)}
    )


def test_summary_gap_and_trend_by_hand(office, rep, north):
    # 2026Q3: client 4,4,3,5,2,4 = 22/6 = 3.666… → 3.67; vendor 5,4,4,5,3,5 = 26/6 → 4.33
    _answer(office, north, "2026Q3", "client", (4, 4, 3, 5, 2, 4))
    _answer(rep, north, "2026Q3", None, (5, 4, 4, 5, 3, 5))
    # 2026Q2: client 3,3,3,3,3,3 = 3.00; vendor 4,4,4,4,4,5 = 25/6 → 4.17
    _answer(office, north, "2026Q2", "client", (3, 3, 3, 3, 3, 3))
    _answer(rep, north, "2026Q2", None, (4, 4, 4, 4, 4, 5))
    # 2025Q4: only the client answered: 2,2,2,2,2,3 = 13/6 = 2.1666… → 2.17
    _answer(office, north, "2025Q4", "client", (2, 2, 2, 2, 2, 3))

    summary = selectors.health_summary(vendor=north, quarter="2026Q3")
    assert summary["client"]["index"] == D("3.67")
    assert summary["vendor_side"]["index"] == D("4.33")
    assert summary["gap"]["index"] == D("-0.66")  # 3.67 − 4.33
    assert summary["gap"]["dimensions"] == {
        "communication": -1,
        "responsiveness": 0,
        "flexibility": -1,
        "quality": 0,
        "innovation": -1,
        "trust": -1,
    }
    assert summary["previous"] == [
        {"quarter": "2025Q3", "client_index": None, "vendor_index": None, "gap": None},
        {"quarter": "2025Q4", "client_index": D("2.17"), "vendor_index": None, "gap": None},
        {"quarter": "2026Q1", "client_index": None, "vendor_index": None, "gap": None},
        {
            "quarter": "2026Q2",
            "client_index": D("3.00"),
            "vendor_index": D("4.17"),
            "gap": D("-1.17"),
        },
    ]
    trend = selectors.health_trend(vendor=north)
    assert [(t["quarter"], t["gap"]) for t in trend] == [
        ("2025Q4", None),
        ("2026Q2", D("-1.17")),
        ("2026Q3", D("-0.66")),
    ]


def test_one_survey_per_vendor_quarter_side(office, north):
    _answer(office, north, "2026Q3", "client", (3, 3, 3, 3, 3, 3))
    with pytest.raises(ValidationError) as caught:
        _answer(office, north, "2026Q3", "client", (4, 4, 4, 4, 4, 4))
    assert "__all__" in caught.value.message_dict
    assert HealthSurvey.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("communication", {"communication": 6}),
        ("trust", {"trust": 0}),
        ("quarter", {"quarter": "2026Q5"}),
        ("quarter", {"quarter": "Q3 2026"}),
    ],
)
def test_bad_answers_are_field_errors(office, north, field, data):
    base = {"vendor": north, "quarter": "2026Q3", "side": "client", **scores(3, 3, 3, 3, 3, 3)}
    with pytest.raises(ValidationError) as caught:
        services.health_survey_create(actor=office, data={**base, **data})
    assert field in caught.value.message_dict
    assert not HealthSurvey.objects.exists()


def test_sides_belong_to_their_parties(office, rep, north):
    with pytest.raises(ValidationError) as caught:
        _answer(rep, north, "2026Q3", "client", (3, 3, 3, 3, 3, 3))
    assert "side" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _answer(office, north, "2026Q3", "vendor", (3, 3, 3, 3, 3, 3))
    assert "side" in caught.value.message_dict
    survey = _answer(rep, north, "2026Q3", None, (3, 3, 3, 3, 3, 3))
    assert survey.side == "vendor" and survey.answered_by == rep
