"""The scoring rule of a sourcing event: weighted totals, averages, spread and rank.

Written down once here; the comparison page, the PDF summary, the API and the
vendor page read it through ``event_ranking``.

* An evaluator's **weighted total** for a proposal = Σ weight × score / 5 over
  the criteria they scored: a percentage 0–100 (weights sum to 100, scores are
  0–5), exact ``Decimal``, rounded ROUND_HALF_UP to 2 places.
* A **missing score** is never taken as zero: the total is over the criteria
  scored and the evaluator's total is flagged **incomplete**.
* The candidate's **average** is the mean of the *unrounded* totals of the
  evaluators with complete scores, then rounded ROUND_HALF_UP to 2 places;
  incomplete totals are shown but not averaged. Without a complete evaluator
  the average is None and the candidate is unranked.
* The **spread** = max − min of the complete totals (rounded to 2 places).
* **Rank**: by average, highest first; equal (rounded) averages share a rank
  and the next rank skips (1, 1, 3). Unranked candidates come last.

Only the scores of evaluators who have submitted count (blind scoring: a
draft is its author's alone).

Example: weights cost 40, quality 60; evaluator A scores 4 and 3 → 40×4/5 +
60×3/5 = 32 + 36 = 68.00; evaluator B scores 5 and 2 → 40 + 24 = 64.00;
average 66.00, spread 4.00.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class EvaluatorTotal:
    """One evaluator's weighted total of one proposal."""

    evaluator_id: int
    evaluator: str
    exact: Decimal
    scored: int
    of: int

    @property
    def total(self) -> Decimal:
        return _round(self.exact)

    @property
    def complete(self) -> bool:
        return self.scored == self.of

    @property
    def missing(self) -> int:
        return self.of - self.scored


@dataclass
class CandidateResult:
    """A candidate's totals per evaluator, average, spread and rank."""

    candidate: object
    totals: list[EvaluatorTotal] = field(default_factory=list)
    average: Decimal | None = None
    spread: Decimal | None = None
    rank: int | None = None

    @property
    def incomplete(self) -> bool:
        return any(not t.complete for t in self.totals)


def weighted_total(*, weights: dict[int, Decimal], scores: dict[int, int]) -> Decimal:
    """Σ weight × score / 5 over the criteria in ``scores`` (criterion id → 0–5), exact."""
    return sum(
        (weights[c] * Decimal(s) / Decimal(5) for c, s in scores.items() if c in weights),
        Decimal(0),
    )


def rank(
    *,
    candidates: list,
    weights: dict[int, Decimal],
    evaluators: dict[int, str],
    scores: dict[tuple[int, int], dict[int, int]],
) -> list[CandidateResult]:
    """Rank ``candidates`` (objects with ``pk``) by the rule above.

    ``evaluators``: id → name of the evaluators who submitted; ``scores``:
    (candidate id, evaluator id) → {criterion id: score}.
    """
    results = []
    for candidate in candidates:
        result = CandidateResult(candidate=candidate)
        for evaluator_id, name in evaluators.items():
            given = scores.get((candidate.pk, evaluator_id), {})
            given = {c: s for c, s in given.items() if c in weights}
            result.totals.append(
                EvaluatorTotal(
                    evaluator_id=evaluator_id,
                    evaluator=name,
                    exact=weighted_total(weights=weights, scores=given),
                    scored=len(given),
                    of=len(weights),
                )
            )
        complete = [t.exact for t in result.totals if t.complete and t.scored]
        if complete:
            result.average = _round(sum(complete, Decimal(0)) / len(complete))
            result.spread = _round(max(complete) - min(complete))
        results.append(result)
    ranked = sorted(
        (r for r in results if r.average is not None), key=lambda r: r.average, reverse=True
    )
    for position, result in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        result.rank = (
            previous.rank
            if previous is not None and previous.average == result.average
            else position
        )
    unranked = [r for r in results if r.average is None]
    return ranked + unranked
