"""Expiring certifications, the dashboard panel, the filters and the parent chain."""

from __future__ import annotations

import datetime as dt

import pytest

from core import roles
from tests.factories import CertificationFactory, ContactFactory, VendorFactory
from vendors import selectors
from vendors.filters import CertificationFilterSet, ContactFilterSet, VendorFilterSet
from vendors.models import Certification, Contact, Vendor

pytestmark = pytest.mark.django_db


def offset(today, days):
    return today + dt.timedelta(days=days)


@pytest.fixture
def certs(north, south, today):
    return {
        "yesterday": CertificationFactory(vendor=north, name="y", expires_on=offset(today, -1)),
        "in60": CertificationFactory(vendor=north, name="60", expires_on=offset(today, 60)),
        "in61": CertificationFactory(vendor=south, name="61", expires_on=offset(today, 61)),
        "none": CertificationFactory(vendor=south, name="n", expires_on=None, issued_on=None),
        "south_soon": CertificationFactory(vendor=south, name="s", expires_on=offset(today, 5)),
    }


def test_certifications_expiring_is_scoped_and_sorted(users, certs, today):
    gov = selectors.certifications_expiring(user=users[roles.GOVERNANCE_OFFICE], today=today)
    assert [c.name for c in gov] == ["y", "s", "60"]
    rep = selectors.certifications_expiring(user=users[roles.VENDOR_USER], today=today)
    assert [c.name for c in rep] == ["y", "60"]
    narrow = selectors.certifications_expiring(
        user=users[roles.GOVERNANCE_OFFICE], today=today, within_days=5
    )
    assert [c.name for c in narrow] == ["y", "s"]


def test_dashboard_panel(users, certs):
    [panel] = selectors.dashboard_panels(user=users[roles.VENDOR_USER])
    assert (panel["count"], panel["tone"]) == (2, "bad")
    assert [note for _, _, note in panel["rows"]] == [
        "expired " + certs["yesterday"].expires_on.isoformat(),
        "expires in 60 days",
    ]
    assert panel["rows"][0][1] == certs["yesterday"].get_absolute_url()
    assert panel["url"] == "/vendors/certifications/?expiry=expired&expiry=expiring"


def test_dashboard_page_shows_the_panel(gov_client, certs):
    html = gov_client.get("/").content.decode()
    assert "Certifications expired or expiring" in html


def test_dashboard_panel_is_ok_without_any(users):
    [panel] = selectors.dashboard_panels(user=users[roles.GOVERNANCE_OFFICE])
    assert (panel["count"], panel["tone"], panel["rows"]) == (0, "ok", [])


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        (["expired"], {"y"}),
        (["expiring"], {"60", "s"}),
        (["valid"], {"61"}),
        (["no_expiry"], {"n"}),
        (["expired", "expiring"], {"y", "60", "s"}),
    ],
)
def test_expiry_filter(certs, states, expected):
    fs = CertificationFilterSet({"expiry": states}, queryset=Certification.objects.all())
    assert fs.is_valid()
    assert {c.name for c in fs.qs} == expected


def test_with_expiry_state_matches_the_model(certs, today):
    annotated = selectors.with_expiry_state(Certification.objects.all(), today=today)
    assert {c.name: c.expiry for c in annotated} == {
        c.name: c.expiry_state(today) for c in Certification.objects.all()
    }


def test_vendor_filters(rf, users, north, south):
    VendorFactory(name="Tagus", country="Portugal", tier=1, service_type="both", parent=south)

    def run(params, user=users[roles.GOVERNANCE_OFFICE]):
        request = rf.get("/")
        request.user = user
        fs = VendorFilterSet(params, queryset=Vendor.objects.all(), request=request)
        assert fs.is_valid(), fs.errors
        return sorted(v.name for v in fs.qs)

    assert run({"tier": ["1", "4"]}) == ["South", "Tagus"]
    assert run({"service_type": ["ito"]}) == ["North"]
    assert run({"country": "PORTUGAL"}) == ["South", "Tagus"]
    assert run({"search": "tagu"}) == ["Tagus"]
    assert run({"parent": south.pk}) == ["Tagus"]
    assert run({"mine": "true"}, user=users[roles.VENDOR_MANAGER]) == ["North"]
    # A vendor representative cannot even name another vendor as a parent filter.
    request = rf.get("/")
    request.user = users[roles.VENDOR_USER]
    fs = VendorFilterSet({"parent": south.pk}, queryset=Vendor.objects.all(), request=request)
    assert not fs.is_valid() and "parent" in fs.errors


def test_contact_filters(north, south):
    ContactFactory(vendor=north, name="Olga", level="operational", side="vendor")
    ContactFactory(vendor=south, name="Stan", level="strategic", side="client", role="CFO")
    fs = ContactFilterSet(
        {"level": ["strategic"], "side": "client"}, queryset=Contact.objects.all()
    )
    assert [c.name for c in fs.qs] == ["Stan"]
    fs = ContactFilterSet({"search": "cfo"}, queryset=Contact.objects.all())
    assert [c.name for c in fs.qs] == ["Stan"]


def test_parent_chain_nearest_first_and_scoped(users, north):
    top = VendorFactory(name="Top")
    mid = VendorFactory(name="Mid", parent=top)
    north.parent = mid
    north.save()
    chain = selectors.vendor_parent_chain(vendor=north, user=users[roles.GOVERNANCE_OFFICE])
    assert [v.name for v in chain] == ["Mid", "Top"]
    assert selectors.vendor_parent_chain(vendor=north, user=users[roles.VENDOR_USER]) == []
    assert selectors.vendor_ancestor_ids(vendor_id=north.pk) == [north.pk, mid.pk, top.pk]
