"""Signing in and out, and how a user's role is found."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from core import roles

pytestmark = pytest.mark.django_db


def test_login_page_is_open(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Sign in to Covenant" in response.content


def test_login_with_password_then_pages_open(client, make_user):
    user = make_user(roles.EXECUTIVE)
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "pw-12345678"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/", follow=True)
    # An executive's home is the QBR portfolio view, not the operational dashboard.
    assert page.redirect_chain == [("/reports/portfolio/", 302)]
    assert page.status_code == 200
    assert user.username.encode() in page.content
    assert b"Executive" in page.content  # the role label in the top bar


def test_login_returns_to_the_page_asked_for(client, make_user):
    user = make_user(roles.AUDITOR)
    assert client.get("/tasks/")["Location"] == "/accounts/login/?next=/tasks/"
    response = client.post(
        "/accounts/login/?next=/tasks/",
        {"username": user.username, "password": "pw-12345678", "next": "/tasks/"},
    )
    assert response["Location"] == "/tasks/"


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, make_user):
    user = make_user(roles.GOVERNANCE_OFFICE)
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert client.get("/").status_code == 302  # still signed out


def test_logout_signs_out(client, make_user):
    client.force_login(make_user(roles.GOVERNANCE_OFFICE))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_role_of_is_the_role_group_held(make_user, role):
    vendor = None
    if role == roles.VENDOR_USER:
        from tests.factories import VendorFactory

        vendor = VendorFactory()
    user = make_user(role, vendor=vendor)
    assert roles.role_of(user) == role
    assert user.role == role


def test_role_of_anonymous_and_groupless_users_is_none():
    assert roles.role_of(AnonymousUser()) is None
    assert roles.role_of(None) is None
    plain = get_user_model().objects.create_user("plain", password="x" * 10)
    assert roles.role_of(plain) is None


def test_superuser_is_admin_without_the_group():
    root = get_user_model().objects.create_superuser("root", password="x" * 10)
    assert roles.role_of(root) == roles.ADMIN


def test_two_role_groups_resolve_to_the_most_powerful(db):
    user = get_user_model().objects.create_user("both", password="x" * 10)
    user.groups.set(Group.objects.filter(name__in=[roles.AUDITOR, roles.GOVERNANCE_OFFICE]))
    assert roles.role_of(user) == roles.GOVERNANCE_OFFICE


def test_role_is_read_once_per_user_object(django_assert_num_queries, make_user):
    user = get_user_model().objects.get(pk=make_user(roles.AUDITOR).pk)
    with django_assert_num_queries(1):
        assert roles.role_of(user) == roles.AUDITOR
        assert roles.role_of(user) == roles.AUDITOR
