"""The notifications' part of the demo seed: two webhook subscriptions, left inactive.

Their targets are under ``.invalid`` (RFC 2606: never resolves), so even
switched on they can reach nothing; they show integrators what a
subscription looks like.
"""

from __future__ import annotations

from core.seeding import Seeder
from notifications import services
from notifications.models import WebhookSubscription

SUBSCRIPTIONS = [
    ("Ticketing (ServiceNow)", "https://servicenow.example.invalid/api/covenant", [
        "breach.opened", "breach.changed", "escalation.opened", "escalation.moved",
        "escalation.resolved",
    ]),
    ("Team chat", "https://chat.example.invalid/hooks/governance", [
        "escalation.moved", "action_item.changed", "report.ready",
    ]),
]  # fmt: skip


def seed_notifications(seeder: Seeder) -> None:
    """Webhook subscriptions of the demo (inactive)."""
    admin = seeder.users.get("admin")
    if admin is None:
        return
    for name, url, events in SUBSCRIPTIONS:
        if WebhookSubscription.objects.filter(name=name).exists():
            continue
        services.webhook_subscription_create(
            actor=admin,
            data={"name": name, "target_url": url, "event_types": events, "active": False},
        )
        seeder.created["webhook subscriptions"] = seeder.created.get("webhook subscriptions", 0) + 1
