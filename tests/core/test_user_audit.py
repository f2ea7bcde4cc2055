"""Users, their roles and their deactivation are in the audit trail, with the actor (issue 9)."""

from __future__ import annotations

import pytest
from django.apps import apps

from core import roles
from core.services import user_deactivate, user_provision, user_reactivate

pytestmark = pytest.mark.django_db


def events(model_name: str, **filters):
    model = apps.get_model("core", model_name)
    return list(
        model.objects.filter(**filters)
        .select_related("pgh_context")
        .order_by("pgh_id")
        .values_list("pgh_label", "pgh_context__metadata")
    )


def test_a_provisioned_user_and_the_role_given_are_events_with_the_actor(make_user):
    admin = make_user(roles.ADMIN, username="root")
    user = user_provision(username="ops", role=roles.GOVERNANCE_OFFICE, actor=admin)
    (label, context), *_ = events("UserEvent", pgh_obj=user)
    assert label == "insert"
    assert (context["user"], context["source"]) == (admin.pk, "core:user_provision")
    roles_given = events("UserRoleEvent", user=user)
    assert [label for label, _ in roles_given] == ["role.add"]
    assert roles_given[0][1]["user"] == admin.pk


def test_a_change_of_role_records_the_role_taken_away_and_the_one_given(make_user):
    admin = make_user(roles.ADMIN, username="root")
    user = user_provision(username="ops", role=roles.GOVERNANCE_OFFICE, actor=admin)
    user_provision(username="ops", role=roles.AUDITOR, actor=admin)
    model = apps.get_model("core", "UserRoleEvent")
    trail = list(
        model.objects.filter(user=user).order_by("pgh_id").values_list("pgh_label", "group__name")
    )
    assert trail == [
        ("role.add", roles.GOVERNANCE_OFFICE),
        ("role.remove", roles.GOVERNANCE_OFFICE),
        ("role.add", roles.AUDITOR),
    ]


def test_deactivation_is_an_event_with_its_actor_and_the_password_is_never_copied(make_user):
    admin = make_user(roles.ADMIN, username="root")
    user = user_provision(username="ops", role=roles.EXECUTIVE, password="s3cret-pass!")
    user_deactivate(user=user, actor=admin)
    model = apps.get_model("core", "UserEvent")
    last = model.objects.filter(pgh_obj=user).select_related("pgh_context").latest("pgh_id")
    assert (last.pgh_label, last.is_active) == ("update", False)
    assert last.pgh_context.metadata["user"] == admin.pk
    assert last.pgh_context.metadata["source"] == "core:user_deactivate"
    assert "password" not in {f.name for f in model._meta.fields}
    user_reactivate(user=user, actor=admin)
    assert model.objects.filter(pgh_obj=user).latest("pgh_id").is_active is True
