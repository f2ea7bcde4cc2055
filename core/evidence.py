"""Evidence files (a certification's certificate, an assessment's report): what is accepted.

Shared by every app that stores evidence (vendors, risks), so the rule is
written once: the same extensions and size limit everywhere, with an error
that names the ``evidence`` field.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".zip", ".docx", ".xlsx", ".txt", ".msg", ".eml"}
)


def clean_evidence(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a new evidence file in ``data``; ``False`` (a form's "clear" box) removes the file.

    Returns a copy of ``data`` to save; raises ``ValidationError({"evidence": …})``
    for a file of a type not accepted or larger than 20 MB.
    """
    if "evidence" not in data:
        return data
    data = dict(data)
    upload = data["evidence"]
    if upload is False or upload is None:
        data["evidence"] = ""
        return data
    if isinstance(upload, FieldFile):
        return data  # the file already stored: unchanged
    extension = PurePath(upload.name).suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        allowed = ", ".join(sorted(EVIDENCE_EXTENSIONS))
        raise ValidationError(
            {"evidence": f"Files of type {extension or '(none)'} are not accepted; use {allowed}."}
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": "The file is larger than 20 MB."})
    return data
