"""Filter backends of the API: the apps' FilterSets and ordering, strict about bad input.

The list pages forgive a malformed query string (a bad value is ignored);
an integration should learn of its mistake instead, so in the API:

* a boolean filter given anything but true or false (any case) is 400 on that
  filter — django-filter would read "maybe" as "any" and return everything;
* ``?ordering=`` naming a field not in the viewset's ``ordering_fields`` is
  400 on ``ordering`` — DRF would drop it silently; the schema lists the
  allowed values (each also with a leading ``-`` for descending).
"""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

TRUE_FALSE = {"true", "false"}


class StrictFilterBackend(DjangoFilterBackend):
    """The viewset's FilterSet, refusing boolean filters that are neither true nor false."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = {}
            for name, field in filterset.filters.items():
                if not isinstance(field, django_filters.BooleanFilter):
                    continue
                bad = [
                    v
                    for v in request.query_params.getlist(name)
                    if v != "" and v.lower() not in TRUE_FALSE
                ]
                if bad:
                    errors[name] = [f"Must be true or false; got {bad[0]!r}."]
            if errors:
                raise ValidationError(errors)
        return filterset


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=a,-b`` over ``ordering_fields`` only; anything else is a 400."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in raw.split(",")]
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        bad = [term for term in terms if term.lstrip("-") not in valid or term in ("", "-")]
        if bad:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown ordering field {bad[0]!r}; choose from "
                        f"{', '.join(sorted(valid))} (prefix - to reverse)."
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None)
        if not isinstance(fields, list | tuple):
            return super().get_schema_operation_parameters(view)
        names = [f if isinstance(f, str) else f[0] for f in fields]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort by this field; a leading `-` sorts descending. Several fields: "
                    "comma-separated (`a,-b`). Any other value is a 400."
                ),
                "schema": {
                    "type": "string",
                    "enum": [v for name in names for v in (name, f"-{name}")],
                },
            }
        ]
