"""What every list page's table can do without per-app code (``core.views.ObjectListView``).

* **Choose columns, remembered.** The column chooser (a GET form) sends
  ``_cols``; the choice is kept in a cookie per table (``cols-<Table>``), so
  it survives sign-out and needs no table of its own; a browser is one
  person's. The first column (the row's name and link) cannot be hidden.
* **Bulk actions.** A list view declares ``bulk_actions = [BulkAction(...)]``;
  staff tick rows and run one. Each action is an app's service called once
  per selected row the user may change (``restrict(..., CHANGE)``); a row the
  service refuses is reported, the others are done.
* **Counts stay cheap.** A list over millions of rows (measurements,
  breaches) is counted up to ``COUNT_CAP`` rows and no further
  (``CappedPaginator``): the page then says "10,000+ measurements" and
  "Page 1 of 400+"; the pages up to the cap are reachable, and rows beyond
  them are reached by sorting the other way or filtering (a page number past
  the cap shows the last counted page). Exports are not capped.
* **Filters read well.** A yes/no filter offers "Any", not "Unknown"; a
  single choice's empty option is "Any"; a multiple choice is a list of
  check boxes (no Ctrl-click).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import django_tables2 as tables
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COOKIE_PREFIX = "cols-"
COOKIE_AGE = 365 * 24 * 3600
ANY = "Any"
MAX_OPTIONS = 500  # a related-row filter with more rows than this takes an id instead
COUNT_CAP = 10_000  # list pages count rows up to this many ("10,000+")


# --- Pagination -----------------------------------------------------------------------


class CappedPaginator(Paginator):
    """A paginator that counts at most ``COUNT_CAP`` rows; ``capped`` says there are more.

    ``COUNT(*)`` over 2.4 million measurements reads them all (seconds) to
    print one number nobody needs exactly; counting the first ``COUNT_CAP + 1``
    matching ids stops early. The count reads ids only (``values("pk")``), so
    annotations the page shows (an SLA's last result) are not computed for the
    rows counted; filters on them still apply.
    """

    capped = False

    @cached_property
    def count(self) -> int:
        table_data = getattr(self.object_list, "data", None)  # django-tables2's BoundRows
        queryset = getattr(table_data, "data", None)
        if not isinstance(queryset, QuerySet):
            return super().count
        counted = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        self.capped = counted > COUNT_CAP
        counted = min(counted, COUNT_CAP)
        # django-tables2 caches the data's length; give it the same number so
        # nothing else counts the whole table again.
        table_data._length = counted
        return counted


# --- Columns ------------------------------------------------------------------------


def cookie_name(table_class) -> str:
    return f"{COOKIE_PREFIX}{table_class.__name__}"


def all_columns(table_class) -> list[tuple[str, str]]:
    """(name, header) of every column the table class declares, in order."""
    probe = table_class([])
    from core.formatting import label

    return [(c.name, label(str(c.header))) for c in probe.columns if c.name != "_select"]


def chosen_columns(request, table_class) -> tuple[list[str] | None, bool]:
    """The columns this user chose for the table (None: the default), and whether it is new.

    ``?_cols_set=1&_cols=a&_cols=b`` sets the choice; otherwise the cookie's.
    Unknown names are dropped; the first column is always kept.
    """
    names = [name for name, _ in all_columns(table_class)]
    if request.GET.get("_cols_set"):
        picked, fresh = request.GET.getlist("_cols"), True
    else:
        raw = request.COOKIES.get(cookie_name(table_class), "")
        picked, fresh = ([n for n in raw.split(".") if n] if raw else None), False
    if picked is None:
        return None, False
    picked = [n for n in names if n in set(picked) or n == names[0]]
    return picked, fresh


def hidden_columns(request, table_class) -> list[str]:
    """Columns to leave out of the table and its exports for this user."""
    picked, _ = chosen_columns(request, table_class)
    if picked is None:
        return []
    return [name for name, _ in all_columns(table_class) if name not in picked]


def remember_columns(response, request, table_class) -> None:
    """Store a fresh column choice in the table's cookie (``.``-separated names)."""
    picked, fresh = chosen_columns(request, table_class)
    if fresh and picked is not None:
        response.set_cookie(
            cookie_name(table_class),
            ".".join(picked),
            max_age=COOKIE_AGE,
            samesite="Lax",
            httponly=True,
        )


# --- Bulk actions -------------------------------------------------------------------


@dataclass(frozen=True)
class BulkAction:
    """One action staff can run on ticked rows.

    ``run(*, instance, actor, **data)`` is the app's service for one row
    (e.g. ``slas.services.breach_acknowledge``); ``form_class`` adds inputs the
    action needs (a new owner for "reassign"), their cleaned data passed on as
    keyword arguments; ``allowed(user)`` decides whether the action is offered
    (the rows are still checked one by one with ``restrict(..., CHANGE)``).
    """

    name: str
    label: str
    run: Callable
    form_class: type[forms.Form] | None = None
    allowed: Callable | None = None

    def offered_to(self, user) -> bool:
        return self.allowed(user) if self.allowed is not None else True

    def form(self, data=None, *, user=None):
        if self.form_class is None:
            return None
        kwargs = {"prefix": f"bulk-{self.name}"}
        if "user" in getattr(self.form_class, "bulk_kwargs", ()):
            kwargs["user"] = user
        return self.form_class(data, **kwargs)


@dataclass
class BulkOutcome:
    """What a bulk run did: rows done, and (row, reason) for each refused one."""

    done: int
    refused: list[tuple[str, str]]


def run_bulk(*, action: BulkAction, rows, actor, data: dict) -> BulkOutcome:
    """Run ``action`` on each row; a refusal of one row (validation, permission) skips it."""
    done, refused = 0, []
    for row in rows:
        try:
            action.run(instance=row, actor=actor, **data)
        except ValidationError as exc:
            messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
            refused.append((str(row), "; ".join(messages)))
        except PermissionDenied as exc:
            refused.append((str(row), str(exc) or "not allowed"))
        else:
            done += 1
    return BulkOutcome(done=done, refused=refused)


def selection_column() -> tables.CheckBoxColumn:
    """The tick-box column bulk actions add in front of a table."""
    return tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {"aria-label": "Select all rows on this page", "data-select-all": ""},
            "td__input": {"name": "pk", "form": "bulk-form", "aria-label": "Select row"},
        },
        orderable=False,
        exclude_from_export=True,
    )


# --- Filters ------------------------------------------------------------------------


def humane_filter_form(form) -> None:
    """Make a FilterSet's form read well: "Any" instead of "Unknown", check boxes.

    Applied to every list page's filters by ``ObjectListView``; the API uses
    the same FilterSet without widgets, so nothing changes there.
    """
    from core.formatting import label

    for field in form.fields.values():
        if field.label:
            field.label = label(field.label)
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = (("unknown", ANY), ("true", "Yes"), ("false", "No"))
        elif isinstance(field, forms.MultipleChoiceField) and isinstance(
            widget, forms.SelectMultiple
        ):
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        elif isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            field.empty_label = ANY
            if len(field.queryset.values_list("pk", flat=True)[: MAX_OPTIONS + 1]) > MAX_OPTIONS:
                # 20,000 SLAs in one drop-down is a megabyte of HTML and seconds of
                # rendering, and nobody scrolls it: the filter takes the id (links
                # from other pages carry it) and the search box finds by name.
                field.widget = forms.NumberInput(attrs={"min": 1})
                field.help_text = "Its number (the id in its page's address), or use Search."
        elif isinstance(field, forms.ChoiceField) and field.choices:
            first = list(field.choices)[0]
            if first[0] in ("", None):
                field.choices = [("", ANY), *list(field.choices)[1:]]
