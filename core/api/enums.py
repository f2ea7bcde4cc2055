"""Names for every choice set in the API schema: the ``TextChoices`` class's own name.

drf-spectacular names an enum after its field (``status`` → ``StatusEnum``)
and, when several choice sets share a field name, appends a hash
(``Status9e1Enum``) — a name a generated client cannot keep stable. This
mapping, given as ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``, names each
set after the ``Choices`` class that defines it (``BreachStatus`` →
``BreachStatusEnum``; a nested one after its model, ``TaskRun.Status`` →
``TaskRunStatusEnum``). It is built lazily, when the schema is generated, from
the ``choices`` and ``models`` modules of the project's own apps, so an app
added later is covered without touching the settings.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from importlib import import_module
from pathlib import Path

# Class names too generic to stand alone in a schema: prefixed with their owner.
_GENERIC = {"Status", "Kind", "Type", "Level", "Side", "Priority", "Severity", "Choices"}


class ChoicesEnumNames(Mapping):
    """``{"BreachStatusEnum": BreachStatus, ...}`` over the project's Choices classes."""

    def __init__(self, base_dir: Path) -> None:
        self._base_dir = Path(base_dir)
        self._names: dict[str, type] | None = None

    def _load(self) -> dict[str, type]:
        if self._names is None:
            self._names = _collect(self._base_dir)
        return self._names

    def __getitem__(self, key: str):
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def _collect(base_dir: Path) -> dict[str, type]:
    from django.apps import apps
    from django.db import models

    names: dict[str, type] = {}
    seen: set[tuple] = set()
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(base_dir):
            continue  # third-party apps name their own enums
        for module_name in ("choices", "models"):
            try:
                module = import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{module_name}":
                    raise
                continue
            for owner, cls in _choices_classes(module, models.Choices):
                # One name per choice set: spectacular keys overrides by the set's
                # values and labels, and two names for one set would collide.
                key = tuple(cls.choices)
                if key in seen:
                    continue
                seen.add(key)
                name = cls.__name__ if cls.__name__ not in _GENERIC else f"{owner}{cls.__name__}"
                if name + "Enum" in names:
                    name = config.label.title().replace("_", "") + name
                names[name + "Enum"] = cls
    return names


def _choices_classes(module, base: type) -> Iterator[tuple[str, type]]:
    """Choices classes defined in ``module``, top-level and nested in its classes."""
    for _, obj in sorted(inspect.getmembers(module, inspect.isclass)):
        if obj.__module__ != module.__name__:
            continue
        if issubclass(obj, base) and obj is not base:
            yield "", obj
            continue
        for _, inner in sorted(vars(obj).items()):
            if inspect.isclass(inner) and issubclass(inner, base):
                yield obj.__name__, inner
