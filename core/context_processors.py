"""Template context: the signed-in user's role, for navigation and buttons."""

from core import permissions, roles
from core.navigation import menu_for


def roles_context(request):
    user = getattr(request, "user", None)
    role = roles.role_of(user)
    return {
        "user_role": role,
        "user_role_label": roles.ROLE_LABELS.get(role, ""),
        "user_is_writer": permissions.has_office_powers(user),
        "user_is_vendor_user": not permissions.sees_internal(user),
        "menu": menu_for(request.user) if role else [],
    }
