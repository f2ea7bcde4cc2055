"""Evidence files: uploaded through the form, downloaded only through the scoped view."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import roles
from tests.factories import CertificationFactory
from vendors.models import Certification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 ISO 27001 certificate"


def form(vendor, **extra):
    data = {"vendor": vendor.pk, "kind": "iso27001", "name": "", "cmmi_level": "", "scope": ""}
    data.update({"issued_on": "2025-01-01", "expires_on": "2028-01-01"}, **extra)
    return data


def test_upload_and_download(gov_client, north, users, client_for):
    upload = SimpleUploadedFile("iso.pdf", PDF, content_type="application/pdf")
    response = gov_client.post(reverse("vendors:certification_add"), form(north, evidence=upload))
    assert response.status_code == 302
    cert = Certification.objects.get()
    url = reverse("vendors:certification_evidence", args=[cert.pk])

    page = gov_client.get(cert.get_absolute_url()).content.decode()
    assert url in page and "/media/" not in page
    edit = gov_client.get(cert.edit_url).content.decode()
    assert url in edit and "/media/" not in edit  # the widget links to the view too

    for role in (roles.GOVERNANCE_OFFICE, roles.EXECUTIVE, roles.VENDOR_USER):
        response = client_for(users[role]).get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="iso.pdf"'
        assert response["Content-Type"] == "application/pdf"

    api = gov_client.get(f"/api/v1/certifications/{cert.pk}/").json()
    assert api["has_evidence"] is True
    assert api["evidence_url"] == f"http://testserver/api/v1/certifications/{cert.pk}/evidence/"


def test_download_outside_scope_or_without_file_is_404(users, client_for, south, north):
    cert = CertificationFactory(
        vendor=south, evidence=SimpleUploadedFile("soc2.pdf", PDF, content_type="application/pdf")
    )
    url = reverse("vendors:certification_evidence", args=[cert.pk])
    assert client_for(users[roles.VENDOR_USER]).get(url).status_code == 404
    bare = CertificationFactory(vendor=north)
    client = client_for(users[roles.GOVERNANCE_OFFICE])
    assert client.get(reverse("vendors:certification_evidence", args=[bare.pk])).status_code == 404
    assert client.get(reverse("vendors:certification_evidence", args=[999999])).status_code == 404


def test_bad_file_type_is_a_form_error(gov_client, north):
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = gov_client.post(reverse("vendors:certification_add"), form(north, evidence=upload))
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not Certification.objects.exists()


def test_upload_through_the_api(gov_api, north):
    upload = SimpleUploadedFile("soc.pdf", PDF, content_type="application/pdf")
    response = gov_api.post(
        "/api/v1/certifications/",
        {"vendor": north.pk, "kind": "soc2_type2", "evidence": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["has_evidence"] is True
    download = gov_api.get(body["evidence_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_api_download_is_scoped(api_client_for, users, north, south):
    mine = CertificationFactory(vendor=north, evidence=SimpleUploadedFile("a.pdf", PDF))
    theirs = CertificationFactory(vendor=south, evidence=SimpleUploadedFile("b.pdf", PDF))
    rep = api_client_for(users[roles.VENDOR_USER])
    response = rep.get(f"/api/v1/certifications/{mine.pk}/evidence/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert rep.get(f"/api/v1/certifications/{theirs.pk}/evidence/").status_code == 404
    bare = CertificationFactory(vendor=north)
    assert rep.get(f"/api/v1/certifications/{bare.pk}/evidence/").status_code == 404
