"""Shared plumbing of the demo seed: dates relative to today, deterministic noise, upserts.

It lives in ``core`` because every app's ``demo.py`` builds on it while the
``demo`` app (the top layer, which seeds vendors, contracts and SLAs itself)
imports every app: the apps import this, never ``demo``.

Every demo row is found again by its natural key (vendor name, contract
reference, SLA contract and name, …), so seeding twice changes nothing and
duplicates nothing. Writes go through the owning app's service where it has
one (``vendors.services.vendor_create`` records the tier history,
``contracts.services.contract_create`` stores the notice deadline) and
through ``core.services.model_create`` / ``model_update`` otherwise.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.db import models

from core import services as core_services

PASSWORD = "covenant-demo"
MONTHS_OF_HISTORY = 18


def rng(*key: object) -> random.Random:
    """A random generator seeded by ``key`` alone.

    Seeding per natural key (not one generator for the whole run) keeps a
    value stable when the portfolio grows or the seed runs on another day.
    """
    digest = hashlib.sha256("|".join(str(k) for k in key).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def month_offset(today: date, months: int) -> date:
    """First day of the month ``months`` away from today's month (-1 = last month)."""
    return add_months(month_start(today), months)


def money(value: float | int | str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@dataclass
class Seeder:
    """Run-wide state: today, the acting user, the users by handle, and counters."""

    today: date
    actor: Any = None
    users: dict[str, Any] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    upserted: dict[str, int] = field(default_factory=dict)  # set-based writes, rows sent

    @property
    def yesterday(self) -> date:
        return self.today - timedelta(days=1)

    def days(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    # -- upserts ----------------------------------------------------------------

    def upsert(
        self,
        model: type[models.Model],
        *,
        lookup: dict[str, Any],
        data: dict[str, Any],
        service: str | None = None,
    ) -> models.Model:
        """Create the row found by ``lookup`` with ``data``, or bring it up to date.

        ``service`` names the app's create service (``"vendors.services.vendor_create"``);
        its update twin (``…_update``) is used for changes. An unchanged row is
        not written at all, so a second run leaves no audit events behind.
        """
        instance = model._default_manager.filter(**lookup).first()
        label = model._meta.verbose_name_plural
        if instance is None:
            instance = self._call(service, model=model, data={**lookup, **data})
            self.created[str(label)] = self.created.get(str(label), 0) + 1
            return instance
        changes = {k: v for k, v in data.items() if not _same(instance, k, v)}
        if changes:
            update = service.rsplit("_", 1)[0] + "_update" if service else None
            instance = self._call(update, model=model, data=changes, instance=instance)
            self.updated[str(label)] = self.updated.get(str(label), 0) + 1
        return instance

    def _call(self, service: str | None, *, model, data, instance=None):
        fn = _resolve(service)
        if instance is None:
            if fn is not None:
                return fn(actor=self.actor, data=data)
            return core_services.model_create(model=model, data=data)
        if fn is not None:
            return fn(instance=instance, actor=self.actor, data=data)
        return core_services.model_update(instance=instance, data=data)


def _resolve(path: str | None):
    """The service function at ``path`` if its app provides it, else None."""
    if not path:
        return None
    module_name, _, name = path.rpartition(".")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError:
        return None
    return getattr(module, name, None)


def _same(instance: models.Model, name: str, value: Any) -> bool:
    field_ = instance._meta.get_field(name)
    if field_.many_to_one:
        current = getattr(instance, field_.attname)
        return current == (value.pk if isinstance(value, models.Model) else value)
    current = getattr(instance, name)
    if isinstance(current, Decimal) and value is not None:
        return current == Decimal(str(value))
    return current == value
