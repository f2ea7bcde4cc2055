"""What each domain app contributes to the shell: pages, menu, API, panels, search.

``core`` never imports a domain app by name (imports run one way: core ← vendors ←
contracts ← slas ← governance/risks/…). Each app registers itself from its
``AppConfig.ready()`` with dotted paths; the shell imports them when it builds
the URLs, the router, the menu and the dashboard. A registered path that does
not import is an error at start-up, never a silent skip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module


@dataclass(frozen=True)
class MenuEntry:
    """One link of the main menu: a label, a URL name and the roles it is hidden from."""

    label: str
    url_name: str
    hidden_for: tuple[str, ...] = ()


@dataclass
class AppEntry:
    """One app's contributions, in the order of ``INSTALLED_APPS``."""

    label: str
    url_prefix: str | None = None  # "vendors/" → include("<app>.urls")
    urls: str | None = None
    api: str | None = None  # module with ``register(router)``
    panels: str | None = None  # "<module>.<function>(*, user) -> list[dict]"
    menu_section: str | None = None
    menu: list[MenuEntry] = field(default_factory=list)
    demo: str | None = None  # "<module>.<function>(seeder)": the app's part of the demo seed
    search: str | None = None  # "<module>.<function>(*, user, query)": see core.search


_APPS: dict[str, AppEntry] = {}


def register_app(
    label: str,
    *,
    url_prefix: str | None = None,
    urls: str | None = None,
    api: str | None = None,
    panels: str | None = None,
    menu_section: str | None = None,
    menu: list[tuple] | None = None,
    demo: str | None = None,
    search: str | None = None,
) -> None:
    """Record what app ``label`` contributes. Called once from its ``AppConfig.ready()``.

    ``menu`` items are ``(label, url_name)`` or ``(label, url_name, hidden_for_roles)``.
    ``search`` names the app's part of the global search (``core.search``).
    """
    _APPS[label] = AppEntry(
        label=label,
        url_prefix=url_prefix,
        urls=urls or (f"{label}.urls" if url_prefix is not None else None),
        api=api,
        panels=panels,
        menu_section=menu_section,
        menu=[MenuEntry(*item) for item in (menu or [])],
        demo=demo,
        search=search,
    )


def apps() -> list[AppEntry]:
    """Registered apps in registration (``INSTALLED_APPS``) order."""
    return list(_APPS.values())


def resolve(dotted: str):
    """Import ``pkg.module.attr`` (or a module when it has no attribute part)."""
    try:
        return import_module(dotted)
    except ModuleNotFoundError as exc:
        if exc.name != dotted:
            raise
    module_path, _, attr = dotted.rpartition(".")
    return getattr(import_module(module_path), attr)
