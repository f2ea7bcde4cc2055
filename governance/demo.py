"""The governance part of the demo seed (filled in below)."""

from __future__ import annotations


def seed_governance(seeder) -> None:
    """Forums, meetings, actions, escalation plans and escalations of the demo."""
