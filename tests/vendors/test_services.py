"""The vendor services: tier history, the parent chain, evidence files, deletes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from core import roles
from tests.factories import ContractFactory, VendorFactory
from vendors import services
from vendors.models import Certification, Vendor, VendorTierChange

pytestmark = pytest.mark.django_db


def _history(vendor):
    return list(
        VendorTierChange.objects.filter(vendor=vendor)
        .order_by("id")
        .values_list("from_tier", "to_tier", "reason", "changed_by__username")
    )


def test_create_records_the_initial_tier(make_user):
    actor = make_user(roles.GOVERNANCE_OFFICE, username="grace")
    vendor = services.vendor_create(
        actor=actor,
        data={"name": "Acme", "service_type": "ito", "tier": 1, "tier_reason": "Runs payroll"},
    )
    assert _history(vendor) == [(None, 1, "Runs payroll", "grace")]


def test_update_records_each_change_of_tier_and_nothing_else(make_user):
    actor = make_user(roles.GOVERNANCE_OFFICE, username="grace")
    vendor = services.vendor_create(actor=None, data={"name": "Acme", "service_type": "ito"})
    services.vendor_update(instance=vendor, actor=actor, data={"country": "Ireland"})
    services.vendor_update(
        instance=vendor, actor=actor, data={"tier": 1, "tier_reason": "Now runs payroll"}
    )
    services.vendor_update(instance=vendor, actor=actor, data={"tier": 1, "status": "active"})
    services.vendor_update(instance=vendor, actor=actor, data={"tier": 2, "tier_reason": "Less"})
    assert _history(vendor) == [
        (None, 3, "", None),  # the default tier, created without an actor
        (3, 1, "Now runs payroll", "grace"),
        (1, 2, "Less", "grace"),
    ]


def test_a_change_of_tier_needs_a_reason():
    vendor = services.vendor_create(actor=None, data={"name": "Acme", "service_type": "ito"})
    with pytest.raises(ValidationError) as exc:
        services.vendor_update(instance=vendor, actor=None, data={"tier": 1})
    assert exc.value.message_dict == {"tier_reason": ["Give the reason for the change of tier."]}
    vendor.refresh_from_db()
    assert vendor.tier == 3
    assert VendorTierChange.objects.filter(vendor=vendor).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"tier": 1},  # no reason sent: the stored one was given for the last change
        {"tier": 1, "tier_reason": "Runs payroll"},  # the form sends the stored one back
        {"tier": 1, "tier_reason": "  Runs payroll "},
    ],
)
def test_a_change_of_tier_needs_its_own_reason_not_the_previous_one(data):
    vendor = services.vendor_create(
        actor=None,
        data={"name": "Acme", "service_type": "ito", "tier": 2, "tier_reason": "Runs payroll"},
    )
    with pytest.raises(ValidationError) as exc:
        services.vendor_update(instance=vendor, actor=None, data=data)
    assert list(exc.value.message_dict) == ["tier_reason"]
    vendor.refresh_from_db()
    assert (vendor.tier, VendorTierChange.objects.filter(vendor=vendor).count()) == (2, 1)
    services.vendor_update(
        instance=vendor, actor=None, data={"tier": 1, "tier_reason": "Now also runs billing"}
    )
    assert _history(vendor)[-1] == (2, 1, "Now also runs billing", None)


def test_the_service_records_its_actor_in_the_audit_trail(make_user):
    actor = make_user(roles.GOVERNANCE_OFFICE, username="grace")
    vendor = services.vendor_create(actor=actor, data={"name": "Acme", "service_type": "ito"})
    event = vendor.events.select_related("pgh_context").latest("pgh_id")
    assert event.pgh_context.metadata["user"] == actor.pk
    assert event.pgh_context.metadata["source"] == "vendors:vendor_create"


def test_form_style_update_reads_the_previous_tier_from_the_database():
    """A form writes the new values onto the instance before the service runs."""
    vendor = services.vendor_create(
        actor=None, data={"name": "Acme", "service_type": "ito", "tier": 3, "tier_reason": "x"}
    )
    vendor.tier = 4  # as ModelForm._post_clean would
    services.vendor_update(instance=vendor, actor=None, data={"tier": 4, "tier_reason": "Low"})
    assert _history(vendor)[-1] == (3, 4, "Low", None)


def test_parent_cycle_is_refused():
    a = VendorFactory(name="A")
    b = VendorFactory(name="B", parent=a)
    c = VendorFactory(name="C", parent=b)
    for proposed in (a, c):
        target = a if proposed is c else a
        with pytest.raises(ValidationError) as exc:
            services.vendor_update(instance=target, actor=None, data={"parent": proposed})
        assert list(exc.value.message_dict) == ["parent"]
    a.refresh_from_db()
    assert a.parent_id is None
    # Re-parenting outside the chain is fine.
    d = VendorFactory(name="D")
    services.vendor_update(instance=c, actor=None, data={"parent": d})
    assert Vendor.objects.get(pk=c.pk).parent == d


def test_parent_given_by_id_is_checked_too():
    a = VendorFactory(name="A")
    b = VendorFactory(name="B", parent=a)
    with pytest.raises(ValidationError) as exc:
        services.vendor_update(instance=a, actor=None, data={"parent": b.pk})
    assert "parent" in exc.value.message_dict


def test_delete_is_refused_while_contracts_remain():
    contract = ContractFactory()
    with pytest.raises(ProtectedError):
        services.vendor_delete(instance=contract.vendor, actor=None)
    assert Vendor.objects.filter(pk=contract.vendor_id).exists()


def test_evidence_type_and_size_are_checked():
    vendor = VendorFactory()
    data = {"vendor": vendor, "kind": "iso27001"}
    bad = SimpleUploadedFile("run.exe", b"MZ")
    with pytest.raises(ValidationError) as exc:
        services.certification_create(actor=None, data={**data, "evidence": bad})
    assert list(exc.value.message_dict) == ["evidence"]
    assert not Certification.objects.exists()
    pdf = SimpleUploadedFile("iso.pdf", b"%PDF-1.4 cert", content_type="application/pdf")
    cert = services.certification_create(actor=None, data={**data, "evidence": pdf})
    assert cert.evidence.name.startswith("certifications/") and cert.evidence.name.endswith(
        "/iso.pdf"
    )
    # A form's "clear" box sends False: the file is detached.
    services.certification_update(instance=cert, actor=None, data={"evidence": False})
    cert.refresh_from_db()
    assert not cert.evidence
