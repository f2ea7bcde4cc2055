"""The admin pages of core: users with their role, job runs read-only."""

from __future__ import annotations

import pytest

from core import roles
from core.services import task_run_create
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(roles.ADMIN))
    return client


def test_user_list_shows_roles_in_constant_queries(
    admin_client, make_user, django_assert_max_num_queries
):
    vendor = VendorFactory(name="Northwind")
    make_user(roles.VENDOR_USER, vendor=vendor, username="rep")
    for _ in range(10):
        make_user(roles.AUDITOR)
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/core/user/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vendor representative" in html and "Northwind" in html
    assert html.count("Auditor") >= 10


def test_user_change_page_has_the_vendor_field(admin_client, make_user):
    user = make_user(roles.EXECUTIVE)
    response = admin_client.get(f"/admin/core/user/{user.pk}/change/")
    assert response.status_code == 200
    assert b'name="vendor"' in response.content


def test_task_runs_are_read_only_in_the_admin(admin_client, gov_user):
    run = task_run_create(kind="evaluation", requested_by=gov_user)
    assert admin_client.get("/admin/core/taskrun/").status_code == 200
    assert admin_client.get("/admin/core/taskrun/add/").status_code == 403
    page = admin_client.get(f"/admin/core/taskrun/{run.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_non_admins_are_kept_out_of_the_admin(client, gov_user):
    client.force_login(gov_user)
    assert client.get("/admin/core/user/")["Location"].startswith("/admin/login/")
