"""Dashboard panels. Each app registers a ``dashboard_panels(*, user)`` selector.

A panel is a dict: ``{"title": str, "count": int, "url": str, "tone": "ok|warn|bad",
"rows": [(label, url, note), ...]}``.
"""

from core import registry


def dashboard_panels(*, user) -> list[dict]:
    panels: list[dict] = []
    for app in registry.apps():
        if app.panels:
            panels.extend(registry.resolve(app.panels)(user=user))
    return panels
