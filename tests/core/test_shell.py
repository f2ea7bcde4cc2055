"""The shell: login required, roles exist, health check, API schema."""

import pytest
from django.contrib.auth.models import Group

from core import roles

pytestmark = pytest.mark.django_db


def test_roles_are_groups_from_the_data_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_pages_need_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_for_signed_in_user(gov_client):
    response = gov_client.get("/")
    assert response.status_code == 200
    assert b"Today" in response.content


def test_api_needs_authentication(client):
    assert client.get("/api/v1/").status_code in (401, 403)


def test_schema_is_served(gov_client):
    response = gov_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content


def test_healthz(gov_client):
    body = gov_client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}


@pytest.mark.parametrize(
    ("url", "target"),
    [("/vendors/", "/vendors/vendors/"), ("/contracts/", "/contracts/contracts/")],
)
def test_an_app_root_leads_to_its_main_list(gov_client, url, target):
    response = gov_client.get(url)
    assert (response.status_code, response["Location"]) == (302, target)
    assert gov_client.get(target).status_code == 200
