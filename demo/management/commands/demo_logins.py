"""``manage.py demo_logins``: the demo users to sign in with, one line each.

``make run`` calls it after ``seed_demo`` so a first-time visitor knows who
to sign in as. It reads the users whose username starts with ``demo-``, so it
shows what really exists rather than a hard-coded list.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from core import roles

PREFIX = "demo-"
# The password ``seed_demo`` gives every demo user (core/seeding.py).
DEMO_PASSWORD = "covenant-demo"
# Most powerful first, like the roles table of DESIGN.md section 7.
ROLE_ORDER = {role: i for i, role in enumerate(roles.ALL_ROLES)}


class Command(BaseCommand):
    help = "Print the demo users (username, role, vendor) and their password."

    def handle(self, *args, **opts):
        users = list(
            get_user_model()
            .objects.filter(username__startswith=PREFIX, is_active=True)
            .select_related("vendor")
            .prefetch_related("groups")
        )
        if not users:
            self.stdout.write("No demo users. Run `python manage.py seed_demo` first.")
            return
        rows = []
        for user in users:
            role = _role(user)
            rows.append(
                (
                    ROLE_ORDER.get(role, len(ROLE_ORDER)),
                    user.username,
                    roles.ROLE_LABELS.get(role, "no role"),
                    user.vendor.name if user.vendor_id else "",
                    # A demo user whose password was changed is still listed, without it.
                    DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else "(changed)",
                )
            )
        rows.sort()
        header = ("Username", "Role", "Vendor", "Password")
        table = [header, *(row[1:] for row in rows)]
        widths = [max(len(r[i]) for r in table) for i in range(len(header))]
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-ins"))
        for i, row in enumerate(table):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + line.rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))


def _role(user) -> str | None:
    """The user's role from the prefetched groups (no query per user)."""
    if user.is_superuser:
        return roles.ADMIN
    names = {group.name for group in user.groups.all()}
    return next((r for r in roles.ALL_ROLES if r in names), None)
