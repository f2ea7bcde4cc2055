"""The risks app's part of the global search (``core.search``): risks, assessments, findings.

Each kind is one query from its scoped selector, so a vendor representative
finds only their own vendor's findings (no risk, no assessment).
"""

from __future__ import annotations

from core.search import SearchGroup, group_from
from risks import selectors


def search(*, user, query: str) -> list[SearchGroup]:
    """Risks by title, description or vendor; assessments by vendor or summary; findings."""
    return [
        group_from(
            kind="Risks",
            queryset=selectors.risk_list(user=user).order_by("-score_residual", "title"),
            fields=("title", "description", "vendor__name"),
            query=query,
            list_url_name="risks:risk_list",
            note=lambda r: f"{r.vendor.name} · residual {r.residual_score} {r.residual_rating}",
        ),
        group_from(
            kind="Assessments",
            queryset=selectors.assessment_list(user=user),
            fields=("vendor__name", "summary", "assessor"),
            query=query,
            list_url_name="risks:assessment_list",
            note=lambda a: a.get_kind_display(),
        ),
        group_from(
            kind="Findings",
            queryset=selectors.finding_list(user=user).order_by("due_date", "pk"),
            fields=("title", "description"),
            query=query,
            list_url_name="risks:finding_list",
            note=lambda f: f"{f.assessment.vendor.name} · {f.get_severity_display()}",
        ),
    ]
