"""Demo users: one per role, all with the password ``covenant-demo``."""

from __future__ import annotations

from core import roles
from core.seeding import PASSWORD, Seeder
from core.services import user_provision

# handle -> (username, role, first name, last name)
STAFF = {
    "admin": ("demo-admin", roles.ADMIN, "Ada", "Admin"),
    "governance": ("demo-governance", roles.GOVERNANCE_OFFICE, "Grace", "Okafor"),
    "manager": ("demo-manager", roles.VENDOR_MANAGER, "Mateo", "Lindqvist"),
    "executive": ("demo-executive", roles.EXECUTIVE, "Elena", "Marchetti"),
    "auditor": ("demo-auditor", roles.AUDITOR, "Aziz", "Rahman"),
}
VENDOR_USER = ("demo-vendor", "Northwind BPO", "Priya", "Nair")


def seed_staff(seeder: Seeder) -> None:
    """Provision the five internal demo users (the vendor representative comes later)."""
    for handle, (username, role, first, last) in STAFF.items():
        seeder.users[handle] = _provision(username=username, role=role, first=first, last=last)


def seed_vendor_user(seeder: Seeder, *, vendors: dict) -> None:
    """Provision the vendor representative once their vendor exists."""
    username, vendor_name, first, last = VENDOR_USER
    seeder.users["vendor"] = _provision(
        username=username,
        role=roles.VENDOR_USER,
        first=first,
        last=last,
        vendor_id=vendors[vendor_name].pk,
    )


def _provision(*, username: str, role: str, first: str, last: str, vendor_id=None):
    user = user_provision(
        username=username,
        role=role,
        vendor_id=vendor_id,
        password=PASSWORD,
        email=f"{username}@covenant.example",
    )
    if (user.first_name, user.last_name) != (first, last):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    return user
