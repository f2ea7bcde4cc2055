"""Template context for the header's bell: the signed-in user's unread count.

The count is lazy: it is queried only when a template shows it (the bell in
``base.html``), never for responses that do not render the header.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from notifications import selectors


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
