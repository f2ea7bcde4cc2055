"""Vendors' constraints and the certification expiry flag, with hand-worked dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CertificationFactory, VendorFactory
from vendors.models import Certification, Vendor

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def test_vendor_name_is_unique():
    VendorFactory(name="Acme")
    with pytest.raises(ValidationError) as exc:
        Vendor(name="Acme", service_type="ito").full_clean()
    assert "name" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.create(name="Acme", service_type="bpo")


@pytest.mark.parametrize("tier", [0, 5])
def test_tier_is_one_to_four(tier):
    with pytest.raises(ValidationError) as exc:
        Vendor(name="X", service_type="ito", tier=tier).full_clean()
    assert "tier" in exc.value.message_dict
    # The database refuses it too, whatever path writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.create(name="X", service_type="ito", tier=tier)


def test_vendor_cannot_be_its_own_parent_in_the_database():
    vendor = VendorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vendor.objects.filter(pk=vendor.pk).update(parent=vendor)


def test_certification_cannot_expire_before_it_was_issued():
    cert = CertificationFactory.build(
        vendor=VendorFactory(), issued_on=dt.date(2026, 5, 1), expires_on=dt.date(2026, 4, 30)
    )
    with pytest.raises(ValidationError) as exc:
        cert.full_clean()
    assert exc.value.messages == ["The expiry date cannot be before the issue date."]
    # Same day is fine (a one-day attestation).
    cert.expires_on = dt.date(2026, 5, 1)
    cert.full_clean()


def test_cmmi_level_belongs_to_cmmi_only():
    vendor = VendorFactory()
    iso = Certification(vendor=vendor, kind="iso27001", cmmi_level=3)
    with pytest.raises(ValidationError) as exc:
        iso.full_clean()
    assert "A CMMI level (1–5) belongs to CMMI certifications only." in exc.value.messages
    Certification(vendor=vendor, kind="cmmi", cmmi_level=3).full_clean()
    with pytest.raises(ValidationError) as exc:
        Certification(vendor=vendor, kind="cmmi", cmmi_level=6).full_clean()
    assert "cmmi_level" in exc.value.message_dict


@pytest.mark.parametrize(
    ("expires_on", "state"),
    [
        (dt.date(2026, 2, 28), "expired"),  # yesterday
        (dt.date(2026, 3, 1), "expiring"),  # today: still valid today, so expiring
        (dt.date(2026, 4, 30), "expiring"),  # exactly 60 days (March 31 + April 30 = 60)
        (dt.date(2026, 5, 1), "valid"),  # 61 days
        (None, "no_expiry"),
    ],
)
def test_expiry_state(expires_on, state):
    cert = Certification(kind="iso27001", expires_on=expires_on)
    assert cert.expiry_state(TODAY) == state


def test_str_names_the_cmmi_level():
    cert = CertificationFactory(vendor=VendorFactory(name="Vistula"), kind="cmmi", cmmi_level=3)
    assert str(cert) == "Vistula – CMMI level 3"
