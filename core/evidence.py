"""Evidence files (a certification's certificate, an assessment's report): what is accepted.

Shared by every app that stores files (vendors' and risks' evidence,
sourcing's proposal documents), so the rule is written once, with an error
that names the field.
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


def clean_upload(
    data: dict[str, Any], *, field: str, extensions: frozenset[str], max_bytes: int
) -> dict[str, Any]:
    """Validate a new file in ``data[field]``; ``False`` (a form's "clear" box) removes the file.

    Returns ``data`` to save (a copy when it changed); raises
    ``ValidationError({field: …})`` for a file of a type not in ``extensions``
    or larger than ``max_bytes``. A file already stored (or its name) passes.
    """
    if field not in data:
        return data
    upload = data[field]
    if upload is False or upload is None:
        return {**data, field: ""}
    if isinstance(upload, FieldFile | str):
        return data  # the file already stored: unchanged
    extension = PurePath(upload.name).suffix.lower()
    if extension not in extensions:
        allowed = ", ".join(sorted(extensions))
        raise ValidationError(
            {field: f"Files of type {extension or '(none)'} are not accepted; use {allowed}."}
        )
    if upload.size > max_bytes:
        raise ValidationError({field: f"The file is larger than {max_bytes // (1024 * 1024)} MB."})
    return data


def clean_evidence(data: dict[str, Any]) -> dict[str, Any]:
    """``clean_upload`` of an ``evidence`` file (certificates, assessment reports)."""
    return clean_upload(
        data, field="evidence", extensions=EVIDENCE_EXTENSIONS, max_bytes=EVIDENCE_MAX_BYTES
    )
