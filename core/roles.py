"""The roles of DESIGN.md section 7. Each role is a Django group of that name."""

from __future__ import annotations

ADMIN = "admin"
GOVERNANCE_OFFICE = "governance_office"
VENDOR_MANAGER = "vendor_manager"
EXECUTIVE = "executive"
AUDITOR = "auditor"
VENDOR_USER = "vendor_user"

ALL_ROLES = (ADMIN, GOVERNANCE_OFFICE, VENDOR_MANAGER, EXECUTIVE, AUDITOR, VENDOR_USER)
ROLE_LABELS = {
    ADMIN: "Administrator",
    GOVERNANCE_OFFICE: "Governance office",
    VENDOR_MANAGER: "Vendor manager",
    EXECUTIVE: "Executive",
    AUDITOR: "Auditor",
    VENDOR_USER: "Vendor representative",
}
# Roles that may create and change everything (but users, for governance_office).
WRITERS = frozenset({ADMIN, GOVERNANCE_OFFICE})
READ_ONLY = frozenset({EXECUTIVE, AUDITOR})


def role_of(user) -> str | None:
    """The user's role: superusers are admins; otherwise the first role group held."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMIN
    cached = getattr(user, "_covenant_role", False)
    if cached is not False:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in ALL_ROLES if r in names), None)
    user._covenant_role = role
    return role
