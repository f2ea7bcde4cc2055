"""The audit trail: every write lands with its actor; the trail is append-only."""

from __future__ import annotations

import pghistory
import pytest
from django.db import DatabaseError, connection, transaction

from core import roles
from core.audit import actor_context
from core.selectors import object_history
from core.services import model_create, model_delete, model_update
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def _vendor_lifecycle(user) -> int:
    with pghistory.context(user=user.pk):
        vendor = model_create(model=Vendor, data={"name": "Acme", "service_type": "ito", "tier": 3})
        model_update(instance=vendor, data={"tier": 1, "tier_reason": "Runs payroll"})
        pk = vendor.pk
        model_delete(instance=vendor)
    return pk


def test_insert_update_delete_with_actor(make_user):
    user = make_user(roles.GOVERNANCE_OFFICE)
    user.first_name, user.last_name = "Grace", "Okafor"
    user.save()
    pk = _vendor_lifecycle(user)

    history = object_history(obj=Vendor(pk=pk))

    assert [e.action for e in history] == ["delete", "update", "insert"]  # newest first
    assert {e.actor for e in history} == {"Grace Okafor"}
    insert, update = history[2], history[1]
    assert insert.changes["name"] == [None, "Acme"]
    assert insert.changes["tier"] == [None, 3]
    assert "id" not in insert.changes and "updated_at" not in insert.changes
    assert update.changes == {"tier": [3, 1], "tier_reason": ["", "Runs payroll"]}


def test_source_is_shown_for_writes_without_a_user():
    with actor_context(source="import"):
        vendor = model_create(model=Vendor, data={"name": "Solo", "service_type": "bpo"})
    [entry] = object_history(obj=vendor)
    assert (entry.action, entry.actor, entry.via) == ("insert", "import", "import")


def test_bulk_and_raw_writes_cannot_bypass_the_trail():
    vendor = model_create(model=Vendor, data={"name": "Raw", "service_type": "ito"})
    Vendor.objects.filter(pk=vendor.pk).update(tier=4)  # no save(), no signals
    with connection.cursor() as cursor:
        cursor.execute("UPDATE vendors_vendor SET tier = 1 WHERE id = %s", [vendor.pk])
    history = object_history(obj=vendor)
    assert [e.action for e in history] == ["update", "update", "insert"]
    assert [e.changes.get("tier") for e in history[:2]] == [[4, 1], [3, 4]]  # 3 = the default tier
    assert history[0].actor == "system"


def test_history_resolves_actors_in_one_query(make_user, django_assert_num_queries):
    users = [make_user(roles.GOVERNANCE_OFFICE) for _ in range(3)]
    vendor = model_create(model=Vendor, data={"name": "Busy", "service_type": "ito"})
    for tier, user in zip((1, 3, 4), users, strict=True):
        with pghistory.context(user=user.pk):
            model_update(instance=vendor, data={"tier": tier})
    with django_assert_num_queries(2):  # the events, then their users
        history = object_history(obj=vendor)
    assert [e.actor for e in history[:3]] == [u.username for u in reversed(users)]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE vendors_vendorevent SET name = 'forged' WHERE pgh_obj_id = %s",
        "DELETE FROM vendors_vendorevent WHERE pgh_obj_id = %s",
    ],
)
def test_event_table_is_append_only(sql):
    vendor = model_create(model=Vendor, data={"name": "Kept", "service_type": "ito"})
    with (
        pytest.raises(DatabaseError, match="append_only"),
        transaction.atomic(),  # a savepoint, so the test can read the trail afterwards
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [vendor.pk])
    [entry] = object_history(obj=vendor)
    assert entry.changes["name"] == [None, "Kept"]


def test_a_bulk_update_records_each_changed_row_once_and_no_unchanged_row():
    """Update events are statement-level: one trigger call reads the transition tables.

    A one-row update first, so that the bulk one is not the session's first
    call of the trigger (whose plan a static statement would have kept).
    """
    from collections import Counter

    from django.apps import apps

    vendors = [
        model_create(model=Vendor, data={"name": f"Bulk {i}", "service_type": "ito", "tier": 3})
        for i in range(60)
    ]
    ids = [v.pk for v in vendors]
    Vendor.objects.filter(pk=ids[0]).update(tier=2)
    with connection.cursor() as cursor:
        # Every row is written; only every third one changes.
        cursor.execute(
            "UPDATE vendors_vendor SET tier = CASE WHEN id %% 3 = 0 THEN 1 ELSE tier END "
            "WHERE id = ANY(%s)",
            [ids],
        )
    events = apps.get_model("vendors", "VendorEvent").objects.filter(
        pgh_label="update", pgh_obj_id__in=ids
    )
    expected = Counter({pk: (pk == ids[0]) + (pk % 3 == 0) for pk in ids})
    assert Counter(events.values_list("pgh_obj_id", flat=True)) == +expected
    # ids[0] also has the one-row update's event (tier 2) when its id is a multiple of three.
    changed_in_bulk = [i for i in ids[1:] if i % 3 == 0]
    assert set(events.filter(pgh_obj_id__in=changed_in_bulk).values_list("tier", flat=True)) == {1}
