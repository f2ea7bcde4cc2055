"""What each domain app contributes to the shell: pages, menu, API, panels, search.

``core`` never imports a domain app by name (imports run one way: core ← vendors ←
contracts ← slas ← governance/risks/…). Each app registers itself from its
``AppConfig.ready()`` with dotted paths; the shell imports them when it builds
the URLs, the router, the menu and the dashboard. A registered path that does
not import is an error at start-up, never a silent skip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class MenuEntry:
    """One link of the main menu: a label, a URL name and who may see it.

    ``visible`` is a predicate of ``core.permissions`` (``user -> bool``) or a
    dotted path to one; None shows the link to every signed-in user. Apps never
    name roles: the permission rule decides who sees what.
    """

    label: str
    url_name: str
    visible: Callable[[Any], bool] | str | None = None

    def shown_to(self, user) -> bool:
        if self.visible is None:
            return True
        check = resolve(self.visible) if isinstance(self.visible, str) else self.visible
        return bool(check(user))


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

    ``menu`` items are ``(label, url_name)`` or ``(label, url_name, visible)``, where
    ``visible`` is a ``core.permissions`` predicate of the user.
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


# -- the vendor 360 page ---------------------------------------------------------------
# The page and its tabs belong to ``vendors``; what a tab shows about contracts,
# SLAs, breaches, … is read by the app that owns those rows. Each app adds its
# part of a tab from its ``ready()``; vendors merges the parts, in registration
# (INSTALLED_APPS) order, without importing any later app.

_VENDOR_SECTIONS: dict[str, list[str]] = {}


def register_vendor_section(tab: str, context: str) -> None:
    """Add to tab ``tab`` of the vendor page the context read by ``context``.

    ``context`` is a dotted path to ``f(*, vendor, user, today) -> dict``.
    """
    paths = _VENDOR_SECTIONS.setdefault(tab, [])
    if context not in paths:
        paths.append(context)


def vendor_sections(tab: str) -> list[Callable[..., dict]]:
    """The context readers registered for tab ``tab``, in registration order."""
    return [resolve(path) for path in _VENDOR_SECTIONS.get(tab, [])]


# -- named providers ---------------------------------------------------------------------
# A lower app that shows a figure a higher app computes (a contract's value
# shows the SLA credits and the improvement goals) asks for it by name; the
# higher app provides it from its ``ready()``. Absent app, absent provider: the
# caller decides the empty answer.

_PROVIDERS: dict[str, str] = {}


def provide(name: str, dotted: str) -> None:
    """Register ``dotted`` (a function) as the provider of ``name``."""
    _PROVIDERS[name] = dotted


def provider(name: str) -> Callable | None:
    """The function providing ``name``, or None when no installed app provides it."""
    dotted = _PROVIDERS.get(name)
    return resolve(dotted) if dotted else None
