"""The scoring rule by hand: weighted totals, a missing score, the average, spread and ties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sourcing import selectors, services
from sourcing.scoring import rank, weighted_total
from tests.sourcing.conftest import give

pytestmark = pytest.mark.django_db


def test_weighted_total_by_hand():
    # 40×4/5 + 35×3/5 + 25×5/5 = 32 + 21 + 25 = 78
    weights = {1: Decimal("40"), 2: Decimal("35"), 3: Decimal("25")}
    assert weighted_total(weights=weights, scores={1: 4, 2: 3, 3: 5}) == Decimal("78")


def test_rounding_half_up_to_two_places():
    # weights 33.33/33.33/33.34; scores 1,0,0 → 33.33×1/5 = 6.666 → 6.67 (half up)
    class C:
        pk = 1

    weights = {1: Decimal("33.33"), 2: Decimal("33.33"), 3: Decimal("33.34")}
    (result,) = rank(
        candidates=[C()], weights=weights, evaluators={7: "x"}, scores={(1, 7): {1: 1, 2: 0, 3: 0}}
    )
    assert result.totals[0].total == Decimal("6.67")
    # the average is of unrounded totals: 6.666 → 6.67
    assert result.average == Decimal("6.67")


def test_ranking_with_missing_score_and_tie(event_setup):
    s = event_setup
    ann, bob = s["ann"], s["bob"]
    # Alpha: ann 4,3,5 → 32+21+25 = 78.00; bob 5,2,4 → 40+14+20 = 74.00; avg 76.00, spread 4.00
    give(s, ann, 0, [4, 3, 5])
    give(s, bob, 0, [5, 2, 4])
    # Bravo: ann 5,3,3 → 40+21+15 = 76.00; bob 4,4,4 → 32+28+20 = 80.00; avg 78.00
    give(s, ann, 1, [5, 3, 3])
    give(s, bob, 1, [4, 4, 4])
    # Charlie: ann 3,5,5 → 24+35+25 = 84.00 (complete); bob missing security:
    # 5,5,- → 40+35 = 75.00 over the criteria scored, incomplete, not averaged.
    # Average = 84.00 alone.
    give(s, ann, 2, [3, 5, 5])
    give(s, bob, 2, [5, 5, None])
    services.evaluator_submit(event=s["event"], actor=ann)
    services.evaluator_submit(event=s["event"], actor=bob)

    results = {r.candidate.vendor.name: r for r in selectors.event_ranking(event=s["event"])}
    alpha, bravo, charlie = results["Alpha"], results["Bravo"], results["Charlie"]
    assert [t.total for t in alpha.totals] == [Decimal("78.00"), Decimal("74.00")]
    assert alpha.average == Decimal("76.00") and alpha.spread == Decimal("4.00")
    assert bravo.average == Decimal("78.00") and bravo.spread == Decimal("4.00")
    bob_charlie = next(t for t in charlie.totals if t.evaluator_id == bob.pk)
    assert bob_charlie.total == Decimal("75.00")
    assert not bob_charlie.complete and bob_charlie.missing == 1
    assert charlie.incomplete
    assert charlie.average == Decimal("84.00") and charlie.spread == Decimal("0.00")
    assert (charlie.rank, bravo.rank, alpha.rank) == (1, 2, 3)


def test_tie_ranked_equal(event_setup):
    s = event_setup
    ann, bob = s["ann"], s["bob"]
    # Alpha: 78 and 74 → 76.00. Bravo: 80 and 72 → 76.00 (tie). Charlie: 5,5,5 twice → 100.
    give(s, ann, 0, [4, 3, 5])
    give(s, bob, 0, [5, 2, 4])
    give(s, ann, 1, [4, 4, 4])  # 32+28+20 = 80
    give(s, bob, 1, [3, 4, 4])  # 24+28+20 = 72
    give(s, ann, 2, [5, 5, 5])
    give(s, bob, 2, [5, 5, 5])
    services.evaluator_submit(event=s["event"], actor=ann)
    services.evaluator_submit(event=s["event"], actor=bob)
    ranking = selectors.event_ranking(event=s["event"])
    assert [(r.candidate.vendor.name, r.rank, r.average) for r in ranking] == [
        ("Charlie", 1, Decimal("100.00")),
        ("Alpha", 2, Decimal("76.00")),
        ("Bravo", 2, Decimal("76.00")),
    ]
    assert ranking[2].spread == Decimal("8.00")


def test_unsubmitted_scores_do_not_count_and_are_blind(event_setup):
    s = event_setup
    ann, bob = s["ann"], s["bob"]
    give(s, ann, 0, [4, 3, 5])
    give(s, bob, 0, [5, 2, 4])
    # Nobody has submitted: nobody is ranked.
    assert all(r.rank is None for r in selectors.event_ranking(event=s["event"]))
    # Bob sees only his own scores.
    assert {sc.evaluator_id for sc in selectors.score_list(user=bob)} == {bob.pk}
    services.evaluator_submit(event=s["event"], actor=ann)
    # Ann submitted, Bob has not: Bob still sees only his own.
    assert {sc.evaluator_id for sc in selectors.score_list(user=bob)} == {bob.pk}
    # Ann (submitted) sees hers, not Bob's draft.
    assert {sc.evaluator_id for sc in selectors.score_list(user=ann)} == {ann.pk}
    services.evaluator_submit(event=s["event"], actor=bob)
    assert {sc.evaluator_id for sc in selectors.score_list(user=bob)} == {ann.pk, bob.pk}
    # Submitted scores are fixed.
    with pytest.raises(ValidationError) as exc:
        give(s, ann, 0, [1, 1, 1])
    assert "evaluator" in exc.value.message_dict


def test_score_out_of_range_refused(event_setup):
    s = event_setup
    with pytest.raises(ValidationError) as exc:
        give(s, s["ann"], 0, [6, None, None])
    assert "score" in exc.value.message_dict


def test_weights_not_summing_to_100_refused(gov_user):
    event = services.event_create(actor=gov_user, data={"title": "RFP"})
    with pytest.raises(ValidationError) as exc:
        services.criteria_replace(
            event=event,
            actor=gov_user,
            rows=[{"name": "Cost", "weight": "60"}, {"name": "Quality", "weight": "30"}],
        )
    assert exc.value.message_dict["criteria"] == ["The weights must sum to 100; they sum to 90."]
    assert event.criteria.count() == 0
    # One by one, then opening: refused at the opening.
    services.criterion_create(actor=gov_user, data={"event": event, "name": "Cost", "weight": 60})
    with pytest.raises(ValidationError) as exc:
        services.event_open(event=event, actor=gov_user)
    assert "sum to 60" in exc.value.message_dict["criteria"][0]
    event.refresh_from_db()
    assert event.status == "draft"
    services.criterion_create(actor=gov_user, data={"event": event, "name": "Fit", "weight": 40})
    assert services.event_open(event=event, actor=gov_user).status == "open"
    with pytest.raises(ValidationError):
        services.criterion_create(actor=gov_user, data={"event": event, "name": "X", "weight": 1})
