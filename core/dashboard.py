"""Dashboard panels. Each app contributes a ``dashboard_panels(user=...)`` selector.

A panel is a dict: ``{"title": str, "count": int, "url": str, "tone": "ok|warn|bad",
"rows": [(label, url, note), ...]}``.
"""

from importlib import import_module

PANEL_APPS = ("vendors", "contracts", "slas", "governance", "risks")


def dashboard_panels(*, user) -> list[dict]:
    panels: list[dict] = []
    for app in PANEL_APPS:
        try:
            module = import_module(f"{app}.selectors")
        except ModuleNotFoundError:
            continue
        provider = getattr(module, "dashboard_panels", None)
        if provider is not None:
            panels.extend(provider(user=user))
    return panels
