"""CSV / XLSX export of the risk register, as filtered on the page.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (CSV injection): such a text cell is written with a leading
apostrophe, which shows the text as typed and runs nothing. Tab and carriage
return lead the same attack in some programs and are neutralised too.
Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

import tablib

from risks.models import Risk

FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS: list[tuple[str, Any]] = [
    ("id", lambda r: r.pk),
    ("vendor", lambda r: r.vendor.name),
    ("contract", lambda r: r.contract.reference if r.contract_id else ""),
    ("title", lambda r: r.title),
    ("category", lambda r: r.get_category_display()),
    ("likelihood", lambda r: r.likelihood),
    ("impact", lambda r: r.impact),
    ("inherent_score", lambda r: r.inherent_score),
    ("inherent_rating", lambda r: r.inherent_rating),
    ("controls", lambda r: r.controls),
    ("residual_likelihood", lambda r: r.residual_likelihood),
    ("residual_impact", lambda r: r.residual_impact),
    ("residual_score", lambda r: r.residual_score),
    ("residual_rating", lambda r: r.residual_rating),
    ("treatment", lambda r: r.get_treatment_display()),
    ("owner", lambda r: r.owner.display_name if r.owner_id else ""),
    ("status", lambda r: r.get_status_display()),
    ("next_review", lambda r: r.next_review.isoformat() if r.next_review else ""),
]


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: a formula-looking text gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADERS):
        return "'" + value
    return value


def register_dataset(risks) -> tablib.Dataset:
    """The register rows of ``risks`` (already scoped and filtered) as a dataset."""
    data = tablib.Dataset(headers=[name for name, _ in COLUMNS], title="Risk register")
    for risk in risks:
        data.append([neutralise(get(risk)) for _, get in COLUMNS])
    return data


def export_register(risks: list[Risk] | Any, *, fmt: str) -> bytes:
    """The register as ``fmt`` (``csv`` or ``xlsx``) bytes."""
    exported = register_dataset(risks).export(fmt)
    return exported.encode("utf-8") if isinstance(exported, str) else exported
