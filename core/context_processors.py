"""Template context: the signed-in user's role, for navigation and buttons."""

from core import roles
from core.navigation import menu_for


def roles_context(request):
    role = roles.role_of(getattr(request, "user", None))
    return {
        "user_role": role,
        "user_role_label": roles.ROLE_LABELS.get(role, ""),
        "user_is_writer": role in roles.WRITERS,
        "user_is_vendor_user": role == roles.VENDOR_USER,
        "menu": menu_for(request.user) if role else [],
    }
