"""The PDF evaluation summary: rendered by its Celery task through core.pdf, read back."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from core.models import TaskRun
from sourcing import services
from tests.sourcing.conftest import give

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing"),
]


def _text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_summary_pdf_read_back(
    event_setup, gov_user, gov_client, django_capture_on_commit_callbacks
):
    s = event_setup
    give(s, s["ann"], 0, [4, 3, 5])  # 78.00
    give(s, s["bob"], 0, [5, 2, None])  # 40 + 14 = 54.00, incomplete
    services.evaluator_submit(event=s["event"], actor=s["ann"])
    services.evaluator_submit(event=s["event"], actor=s["bob"])
    s["event"].scope = "<script>alert(1)</script> <img src='http://169.254.169.254/x'>"
    s["event"].save()
    with django_capture_on_commit_callbacks(execute=True):
        response = gov_client.post(
            reverse("sourcing:sourcingevent_action", args=[s["event"].pk, "summary"])
        )
    assert response.status_code == 302
    run = TaskRun.objects.get(kind="evaluation_summary")
    assert run.status == "done", run.message
    response = gov_client.get(reverse("sourcing:sourcingevent_summary_pdf", args=[s["event"].pk]))
    assert response.status_code == 200
    text = _text(b"".join(response.streaming_content))
    assert "Evaluation summary: Service desk RFP" in text
    assert "78.00" in text and "54.00 (incomplete, 1 missing)" in text
    assert "<script>" in text  # escaped text, not markup
    for name in ("Cost", "Quality", "Security"):
        assert name in text
