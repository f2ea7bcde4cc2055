"""Management commands: create_user, create_api_token, demo_logins."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from core import roles
from core.services import user_provision
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- create_user -------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [roles.ADMIN, roles.GOVERNANCE_OFFICE, roles.EXECUTIVE, roles.AUDITOR]
)
def test_create_user_for_each_internal_role(role):
    output = run("create_user", "pat", "--role", role, "--password", "s3cret-pass")
    user = User.objects.get(username="pat")
    assert roles.role_of(user) == role
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert user.check_password("s3cret-pass")
    assert user.vendor_id is None
    # Only administrators get into the Django admin.
    assert (user.is_staff, user.is_superuser) == (role == roles.ADMIN, role == roles.ADMIN)
    assert f"pat ({role})" in output


def test_create_user_without_password_cannot_sign_in():
    run("create_user", "robot", "--role", roles.AUDITOR)
    assert not User.objects.get(username="robot").has_usable_password()


def test_vendor_user_needs_a_vendor():
    with pytest.raises(CommandError, match=r"vendor_user must belong to a vendor \(--vendor\)"):
        run("create_user", "rep", "--role", roles.VENDOR_USER)
    assert not User.objects.filter(username="rep").exists()


def test_vendor_user_with_vendor_belongs_to_it():
    vendor = VendorFactory()
    run("create_user", "rep", "--role", roles.VENDOR_USER, "--vendor", str(vendor.pk))
    user = User.objects.get(username="rep")
    assert roles.role_of(user) == roles.VENDOR_USER
    assert user.vendor == vendor


def test_unknown_vendor_is_a_clear_error():
    with pytest.raises(CommandError, match="No vendor with id 999999"):
        run("create_user", "rep", "--role", roles.VENDOR_USER, "--vendor", "999999")
    assert not User.objects.filter(username="rep").exists()


def test_unknown_role_is_refused_by_the_parser():
    with pytest.raises(CommandError, match="invalid choice: 'wizard'"):
        run("create_user", "x", "--role", "wizard")


def test_vendor_manager_with_vendor_becomes_its_relationship_owner():
    vendor = VendorFactory()
    run("create_user", "mgr", "--role", roles.VENDOR_MANAGER, "--vendor", str(vendor.pk))
    user = User.objects.get(username="mgr")
    vendor.refresh_from_db()
    assert vendor.relationship_owner == user
    assert roles.role_of(user) == roles.VENDOR_MANAGER
    # A manager is not a vendor representative: they keep seeing every vendor.
    assert user.vendor_id is None


def test_rerunning_updates_the_role_and_keeps_one_user():
    vendor = VendorFactory()
    run("create_user", "sam", "--role", roles.VENDOR_USER, "--vendor", str(vendor.pk))
    run("create_user", "sam", "--role", roles.EXECUTIVE)
    user = User.objects.get(username="sam")
    assert User.objects.filter(username="sam").count() == 1
    assert list(user.groups.values_list("name", flat=True)) == [roles.EXECUTIVE]
    assert user.vendor_id is None  # no longer a representative of that vendor


# --- create_api_token ----------------------------------------------------------------


def test_create_api_token_prints_a_key_stored_only_as_a_hash(gov_user):
    key = run("create_api_token", gov_user.username).strip()
    assert len(key) >= 32 and " " not in key
    token = AuthToken.objects.get(user=gov_user)
    assert token.digest and token.digest != key
    assert key.startswith(token.token_key)  # only a short lookup prefix is kept in clear
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        stored = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
    assert key not in stored


def test_token_authenticates_api_requests(gov_user):
    key = run("create_api_token", gov_user.username).strip()
    client = APIClient()
    assert client.get("/api/v1/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert "task-runs" in response.json()


def test_wrong_token_is_refused(gov_user):
    run("create_api_token", gov_user.username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    assert client.get("/api/v1/").status_code == 401


def test_expired_token_is_refused(gov_user):
    key = run("create_api_token", gov_user.username, "--days", "30").strip()
    token = AuthToken.objects.get(user=gov_user)
    assert timedelta(days=29) < token.expiry - timezone.now() <= timedelta(days=30)
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/").status_code == 401


def test_token_for_unknown_user_is_a_command_error():
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        run("create_api_token", "ghost")
    assert not AuthToken.objects.exists()


# --- demo_logins -----------------------------------------------------------------------


def test_demo_logins_lists_demo_users_with_role_vendor_and_password():
    vendor = VendorFactory(name="Northwind BPO")
    for username, role in [
        ("demo-admin", roles.ADMIN),
        ("demo-governance", roles.GOVERNANCE_OFFICE),
        ("demo-manager", roles.VENDOR_MANAGER),
        ("demo-executive", roles.EXECUTIVE),
        ("demo-auditor", roles.AUDITOR),
    ]:
        user_provision(username=username, role=role, password="covenant-demo")
    user_provision(
        username="demo-vendor",
        role=roles.VENDOR_USER,
        vendor_id=vendor.pk,
        password="covenant-demo",
    )
    user_provision(username="alice", role=roles.ADMIN, password="covenant-demo")  # not a demo user

    lines = run("demo_logins").splitlines()

    assert lines[0] == "Demo sign-ins"
    assert lines[1].split() == ["Username", "Role", "Vendor", "Password"]
    body = [line.strip() for line in lines[3:]]
    # One per role, most powerful first; the vendor shown for the representative only.
    assert [line.split("  ")[0] for line in body] == [
        "demo-admin",
        "demo-governance",
        "demo-manager",
        "demo-executive",
        "demo-auditor",
        "demo-vendor",
    ]
    assert all(line.endswith("covenant-demo") for line in body)
    assert "Vendor representative" in body[-1] and "Northwind BPO" in body[-1]
    assert "Governance office" in body[1]
    assert not any("alice" in line for line in lines)
    # Columns line up: every "Role" cell starts where the header's does.
    role_col = lines[1].index("Role")
    assert [line[role_col:].split("  ")[0] for line in lines[3:5]] == [
        "Administrator",
        "Governance office",
    ]


def test_demo_logins_does_not_claim_a_changed_password():
    user = user_provision(username="demo-auditor", role=roles.AUDITOR, password="covenant-demo")
    user.set_password("something-else-now")
    user.save()
    body = run("demo_logins").splitlines()[3]
    assert "(changed)" in body and "covenant-demo" not in body


def test_demo_logins_without_demo_users_says_how_to_seed():
    assert "seed_demo" in run("demo_logins")
