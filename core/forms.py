"""Form plumbing every app's pages share."""

from __future__ import annotations


class UserFormMixin:
    """A view mixin that hands the signed-in user to the form (``user=``).

    The app's forms take ``user`` to scope their related-row choices to what
    that user may see (``core.permissions.restrict``), so a dropdown never
    offers another vendor's rows.
    """

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs
