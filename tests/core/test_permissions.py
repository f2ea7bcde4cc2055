"""The one permission rule (DESIGN.md section 7) as a matrix over the six roles.

Two vendors: North (owned by the vendor manager, represented by the vendor
user) and South (nobody's). Each role's expected rows are written out by hand.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from contracts.models import Contract, ExitPlan
from core import roles
from core.permissions import CHANGE, VIEW, may_create, may_write_any, restrict
from slas.models import Measurement
from tests.factories import (
    ContractFactory,
    ExitPlanFactory,
    MeasurementFactory,
    VendorFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    north, south = VendorFactory(name="North"), VendorFactory(name="South")
    c_north, c_south = (
        ContractFactory(vendor=north, reference="N-1"),
        ContractFactory(vendor=south, reference="S-1"),
    )
    users = {
        role: make_user(role, vendor=north if role == roles.VENDOR_USER else None)
        for role in roles.ALL_ROLES
    }
    north.relationship_owner = users[roles.VENDOR_MANAGER]
    north.save()
    return {
        "users": users,
        "vendors": {"North": north, "South": south},
        "contracts": {"N-1": c_north, "S-1": c_south},
        "exit_plans": {
            "N-1": ExitPlanFactory(contract=c_north),
            "S-1": ExitPlanFactory(contract=c_south),
        },
        "measurements": {
            "N-1": MeasurementFactory(sla__contract=c_north),
            "S-1": MeasurementFactory(sla__contract=c_south),
        },
    }


BOTH = {"North", "South"}
NONE: set[str] = set()

# role -> (vendors seen, vendors changeable)
VENDOR_MATRIX = {
    roles.ADMIN: (BOTH, BOTH),
    roles.GOVERNANCE_OFFICE: (BOTH, BOTH),
    roles.VENDOR_MANAGER: (BOTH, {"North"}),
    roles.EXECUTIVE: (BOTH, NONE),
    roles.AUDITOR: (BOTH, NONE),
    roles.VENDOR_USER: ({"North"}, NONE),
}


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_vendor_rows_per_role(world, role):
    user = world["users"][role]
    seen, changeable = VENDOR_MATRIX[role]
    assert set(restrict(Vendor.objects.all(), user=user).values_list("name", flat=True)) == seen
    assert (
        set(restrict(Vendor.objects.all(), user=user, action=CHANGE).values_list("name", flat=True))
        == changeable
    )


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_contract_rows_per_role(world, role):
    """Contracts reach their vendor through ``vendor``: same answer as the vendors."""
    user = world["users"][role]
    seen, changeable = VENDOR_MATRIX[role]
    refs = {"North": "N-1", "South": "S-1"}
    view = set(restrict(Contract.objects.all(), user=user).values_list("reference", flat=True))
    change = set(
        restrict(Contract.objects.all(), user=user, action=CHANGE).values_list(
            "reference", flat=True
        )
    )
    assert view == {refs[v] for v in seen}
    assert change == {refs[v] for v in changeable}


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        (roles.ADMIN, {"N-1", "S-1"}),
        (roles.GOVERNANCE_OFFICE, {"N-1", "S-1"}),
        (roles.VENDOR_MANAGER, {"N-1", "S-1"}),
        (roles.EXECUTIVE, {"N-1", "S-1"}),
        (roles.AUDITOR, {"N-1", "S-1"}),
        (roles.VENDOR_USER, set()),  # exit plans are internal: not visible_to_vendor_users
    ],
)
def test_internal_models_are_hidden_from_vendor_users(world, role, seen):
    user = world["users"][role]
    rows = restrict(ExitPlan.objects.all(), user=user)
    assert {p.contract.reference for p in rows} == seen


@pytest.mark.parametrize(
    ("role", "changeable"),
    [
        (roles.ADMIN, {"N-1", "S-1"}),
        (roles.GOVERNANCE_OFFICE, {"N-1", "S-1"}),
        (roles.VENDOR_MANAGER, {"N-1"}),
        (roles.EXECUTIVE, set()),
        (roles.AUDITOR, set()),
        (roles.VENDOR_USER, {"N-1"}),  # measurements: vendor_users_may_change, own vendor only
    ],
)
def test_measurement_change_scope_three_hops_away(world, role, changeable):
    user = world["users"][role]
    rows = restrict(Measurement.objects.select_related("sla__contract"), user=user, action=CHANGE)
    assert {m.sla.contract.reference for m in rows} == changeable


def test_users_without_a_role_see_nothing(world):
    plain = get_user_model().objects.create_user("plain", password="x" * 10)
    assert not restrict(Vendor.objects.all(), user=plain).exists()
    assert not may_create(user=plain, model=Contract, vendor_id=world["vendors"]["North"].pk)


def test_vendor_user_without_vendor_sees_nothing(world):
    user = world["users"][roles.VENDOR_USER]
    user.vendor = None  # e.g. their vendor link was removed
    assert not restrict(Contract.objects.all(), user=user).exists()


# may_create: role -> (model, vendor) -> allowed
@pytest.mark.parametrize(
    ("role", "model", "vendor", "allowed"),
    [
        (roles.ADMIN, Vendor, None, True),
        (roles.ADMIN, Contract, "South", True),
        (roles.GOVERNANCE_OFFICE, Vendor, None, True),
        (roles.GOVERNANCE_OFFICE, Contract, "South", True),
        (roles.VENDOR_MANAGER, Vendor, None, False),  # adding vendors is the office's job
        (roles.VENDOR_MANAGER, Contract, "North", True),
        (roles.VENDOR_MANAGER, Contract, "South", False),
        (roles.VENDOR_MANAGER, Contract, None, False),
        (roles.EXECUTIVE, Contract, "North", False),
        (roles.EXECUTIVE, Vendor, None, False),
        (roles.AUDITOR, Contract, "North", False),
        (roles.VENDOR_USER, Contract, "North", False),
        (roles.VENDOR_USER, Measurement, "North", True),
        (roles.VENDOR_USER, Measurement, "South", False),
        (roles.VENDOR_USER, Measurement, None, False),
    ],
)
def test_may_create(world, role, model, vendor, allowed):
    vendor_id = world["vendors"][vendor].pk if vendor else None
    assert may_create(user=world["users"][role], model=model, vendor_id=vendor_id) is allowed


@pytest.mark.parametrize(
    ("role", "contract", "measurement"),
    [
        (roles.ADMIN, True, True),
        (roles.GOVERNANCE_OFFICE, True, True),
        (roles.VENDOR_MANAGER, True, True),
        (roles.EXECUTIVE, False, False),
        (roles.AUDITOR, False, False),
        (roles.VENDOR_USER, False, True),
    ],
)
def test_may_write_any_decides_the_buttons(world, role, contract, measurement):
    user = world["users"][role]
    assert may_write_any(user=user, model=Contract) is contract
    assert may_write_any(user=user, model=Measurement) is measurement


def test_restrict_is_one_query_per_list(world, django_assert_num_queries):
    """The scope is a WHERE clause, not a Python loop: one query however many rows."""
    ContractFactory.create_batch(3, vendor=world["vendors"]["North"])
    user = get_user_model().objects.get(pk=world["users"][roles.VENDOR_MANAGER].pk)
    with django_assert_num_queries(2):  # the role (once per user object), then the rows
        rows = list(restrict(Contract.objects.all(), user=user, action=CHANGE))
    assert len(rows) == 4
    with django_assert_num_queries(1):
        assert restrict(Contract.objects.all(), user=user, action=VIEW).count() == 5


# --- The one-object faces: may_view, may_change, vendor_of, hidden_fields -------------------

# role -> (contracts seen, contracts changeable), by reference
CONTRACT_MATRIX = {
    roles.ADMIN: ({"N-1", "S-1"}, {"N-1", "S-1"}),
    roles.GOVERNANCE_OFFICE: ({"N-1", "S-1"}, {"N-1", "S-1"}),
    roles.VENDOR_MANAGER: ({"N-1", "S-1"}, {"N-1"}),
    roles.EXECUTIVE: ({"N-1", "S-1"}, set()),
    roles.AUDITOR: ({"N-1", "S-1"}, set()),
    roles.VENDOR_USER: ({"N-1"}, set()),
}


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_may_view_and_may_change_agree_with_restrict(world, role):
    from core.permissions import may_change, may_view

    user = world["users"][role]
    seen, changeable = CONTRACT_MATRIX[role]
    for ref, contract in world["contracts"].items():
        assert may_view(user=user, obj=contract) is (ref in seen), (role, ref)
        assert may_change(user=user, obj=contract) is (ref in changeable), (role, ref)
        in_restrict = restrict(Contract.objects.filter(pk=contract.pk), user=user, action=CHANGE)
        assert in_restrict.exists() is (ref in changeable)


def test_vendor_of_is_the_represented_vendor_only(world):
    from core.permissions import vendor_of

    users = world["users"]
    assert vendor_of(users[roles.VENDOR_USER]) == world["vendors"]["North"].pk
    for role in roles.ALL_ROLES:
        if role != roles.VENDOR_USER:
            assert vendor_of(users[role]) is None, role
    assert vendor_of(None) is None


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_hidden_fields_are_the_internal_ones_for_vendor_users_only(world, role):
    from core.permissions import hidden_fields, sees_internal

    user = world["users"][role]
    expected = {
        "baseline_annual_cost",
        "target_savings_percent",
        "transition_cost",
        "transition_cost_month",
    }
    hidden = hidden_fields(user=user, model=Contract)
    assert hidden == (expected if role == roles.VENDOR_USER else set())
    assert sees_internal(user) is (role != roles.VENDOR_USER)
    assert hidden_fields(user=user, model=ExitPlan) == frozenset()  # declares none


# --- 403 for what one may see but not change, 404 for what one may not see -----------------

WRITE_STATUS = {  # role -> (PATCH N-1, PATCH S-1)
    roles.ADMIN: (200, 200),
    roles.GOVERNANCE_OFFICE: (200, 200),
    roles.VENDOR_MANAGER: (200, 403),
    roles.EXECUTIVE: (403, 403),
    roles.AUDITOR: (403, 403),
    roles.VENDOR_USER: (403, 404),
}


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_api_write_is_403_when_readable_and_404_when_not(world, role, api_client_for):
    api = api_client_for(world["users"][role])
    got = tuple(
        api.patch(f"/api/v1/contracts/{world['contracts'][ref].pk}/", {"title": role}).status_code
        for ref in ("N-1", "S-1")
    )
    assert got == WRITE_STATUS[role]
    titles = set(Contract.objects.values_list("title", flat=True))
    changed = {ref for ref, code in zip(("N-1", "S-1"), got, strict=True) if code == 200}
    assert (role in titles) is bool(changed)
    delete = api.delete(f"/api/v1/contracts/{world['contracts']['S-1'].pk}/").status_code
    if WRITE_STATUS[role][1] == 200:
        assert delete in (204, 409)  # deleted, or refused because still referenced
    else:
        assert delete == WRITE_STATUS[role][1]
        assert Contract.objects.filter(reference="S-1").exists()


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_page_edit_is_403_when_readable_and_404_when_not(world, role, client):
    client.force_login(world["users"][role])
    got = tuple(
        client.get(f"/contracts/contracts/{world['contracts'][ref].pk}/edit/").status_code
        for ref in ("N-1", "S-1")
    )
    assert got == WRITE_STATUS[role]


def test_vendor_user_pages_leave_internal_figures_out(world, client):
    contract = world["contracts"]["N-1"]
    Contract.objects.filter(pk=contract.pk).update(baseline_annual_cost="4321987.00")
    Vendor.objects.filter(pk=contract.vendor_id).update(tier_reason="Runs the payroll")
    client.force_login(world["users"][roles.VENDOR_USER])
    page = client.get(f"/contracts/contracts/{contract.pk}/").content.decode()
    assert "4,321,987" not in page and "4321987" not in page
    assert "Baseline annual cost" not in page
    vendor_page = client.get(f"/vendors/vendors/{contract.vendor_id}/").content.decode()
    assert "Runs the payroll" not in vendor_page
    client.force_login(world["users"][roles.AUDITOR])
    page = client.get(f"/contracts/contracts/{contract.pk}/").content.decode()
    assert "Baseline annual cost" in page and "4,321,987" in page
