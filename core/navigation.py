"""Main menu, built from what each app registers (``core.registry``).

Entries the user may not see (a ``core.permissions`` predicate decides) are left
out, and so are URL names absent from the URLconf in use (tests mount a few apps
on their own URLconf).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from core import registry


def menu_for(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """The menu sections and their (label, url) links that ``user`` may see."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for app in registry.apps():
        if not app.menu_section:
            continue
        links = []
        for entry in app.menu:
            if not entry.shown_to(user):
                continue
            try:
                links.append((entry.label, reverse(entry.url_name)))
            except NoReverseMatch:
                continue
        if links:
            sections.setdefault(app.menu_section, []).extend(links)
    return list(sections.items())
