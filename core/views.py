"""Generic page views every app uses: list, detail, create, edit, delete, history.

They apply the one permission rule (``core.permissions``): lists and detail
pages start from ``restrict``; an object outside the user's scope is 404; a
user who may see but not change gets 403 on edit pages. Writes call the app's
service functions; a service ``ValidationError`` becomes form errors.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError, RestrictedError
from django.forms import ModelChoiceField
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from core import export, formatting, permissions, record_imports, services
from core import tables as tables_helpers
from core.selectors import object_history


class ScopedQuerysetMixin:
    """Start every queryset from the permission rule."""

    model = None
    queryset = None
    scope_action = permissions.VIEW

    def base_queryset(self):
        if self.queryset is not None:
            return self.queryset.all()
        return self.model._default_manager.all()

    def get_queryset(self):
        return permissions.restrict(
            self.base_queryset(), user=self.request.user, action=self.scope_action
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        model = self.get_queryset().model
        ctx["model_meta"] = model._meta
        # Some records have no list of their own (a transition plan lives on its
        # vendor's page): their pages then show no breadcrumb instead of failing.
        try:
            ctx["list_url"] = reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")
        except NoReverseMatch:
            ctx["list_url"] = None
        ctx["can_add"] = permissions.may_add_any(user=self.request.user, model=model)
        # Internal figures and notes stay inside the office (DESIGN.md section 7):
        # templates test ``sees_internal`` or a name in ``hidden_fields``.
        ctx["sees_internal"] = permissions.sees_internal(self.request.user)
        ctx["hidden_fields"] = permissions.hidden_fields(user=self.request.user, model=model)
        return ctx


class ObjectListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """A filterable, sortable, paginated table of objects — and everything tables share.

    Every list page gets, without code of its own (``core.tables``,
    ``core.export``): the FilterSet's form made humane ("Any", check boxes);
    columns the user chooses, remembered per table; ``?_export=csv|xlsx``
    exporting every row the filters select, in the table's order, with the
    columns shown; and the ``bulk_actions`` the view declares, run by POST
    on ticked rows.
    """

    template_name = "core/object_list.html"
    paginate_by = 25
    table_pagination = {"per_page": 25}
    filterset_class = None
    table_class = None
    add_url_name: str | None = None
    bulk_actions: list[tables_helpers.BulkAction] = []
    empty_hint: str = ""  # what to do when the list is empty (shown under "Nothing here yet")

    def get_table_pagination(self, table):
        per_page = self.request.GET.get("per_page")
        size = int(per_page) if per_page and per_page.isdigit() else 25
        # Counted up to a cap: millions of measurements are "10,000+", not seconds of COUNT(*).
        return {
            "per_page": max(1, min(size, 200)),
            "paginator_class": tables_helpers.CappedPaginator,
        }

    def paginate_queryset(self, queryset, page_size):
        # The table paginates (and counts, capped); ListView paginating the
        # queryset as well would count every row a second time, uncapped.
        return None, None, queryset, False

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        tables_helpers.humane_filter_form(filterset.form)
        return filterset

    def offered_bulk_actions(self) -> list[tables_helpers.BulkAction]:
        """The declared bulk actions this user may run (none for read-only roles)."""
        model = self.get_queryset().model
        if not permissions.may_write_any(user=self.request.user, model=model):
            return []
        return [a for a in self.bulk_actions if a.offered_to(self.request.user)]

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        for column in table.columns:
            # Headers built from field names: "SLA", "CMMI level", not "Sla", "Cmmi level".
            if column.column.verbose_name is None and column.name != "_select":
                column.column.verbose_name = formatting.label(column.header)
            # People read as their full name in every table, as on the detail pages.
            if _is_user_column(table, column) and not hasattr(table, f"render_{column.name}"):
                column.column.render = _display_name
        return table

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        hidden = tables_helpers.hidden_columns(self.request, self.get_table_class())
        if hidden:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), *hidden)
        if self.offered_bulk_actions() and not self.request.GET.get("_export"):
            kwargs["extra_columns"] = [("_select", tables_helpers.selection_column())]
            kwargs["sequence"] = ("_select", "...")
        return kwargs

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if fmt in export.FORMATS:
            return self.export(fmt)
        response = super().get(request, *args, **kwargs)
        tables_helpers.remember_columns(response, request, self.get_table_class())
        return response

    def export(self, fmt: str):
        """Every row the filters select, in the table's order, with the columns shown."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            # Bad filter values: the page shows its form errors rather than a file.
            return HttpResponseRedirect(self.request.path + "?" + self._query_without_export())
        self.object_list = filterset.qs
        table = self.get_table_class()(self.object_list, **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        meta = self.get_queryset().model._meta
        title = str(meta.verbose_name_plural).capitalize()
        stamp = timezone.localdate().isoformat()
        return export.export_response(
            table, fmt=fmt, filename=f"{slugify(title)}-{stamp}", title=title
        )

    def _query_without_export(self) -> str:
        query = self.request.GET.copy()
        query.pop("_export", None)
        return query.urlencode()

    def post(self, request, *args, **kwargs):
        """Run a bulk action on the ticked rows, then come back to the same list."""
        offered = {a.name: a for a in self.offered_bulk_actions()}
        action = offered.get(request.POST.get("_bulk", ""))
        back = request.POST.get("next") or request.path
        if not back.startswith("/") or back.startswith("//"):
            back = request.path
        if action is None:
            messages.error(request, "Choose an action you may run.")
            return HttpResponseRedirect(back)
        ids = [v for v in request.POST.getlist("pk") if v.isdigit()]
        if not ids:
            messages.error(request, "Tick at least one row first.")
            return HttpResponseRedirect(back)
        data = {}
        form = action.form(request.POST, user=request.user)
        if form is not None:
            if not form.is_valid():
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label or action.label}: {' '.join(errors)}")
                return HttpResponseRedirect(back)
            data = form.cleaned_data
        rows = permissions.restrict(
            self.base_queryset(), user=request.user, action=permissions.CHANGE
        ).filter(pk__in=ids)
        outcome = tables_helpers.run_bulk(action=action, rows=rows, actor=request.user, data=data)
        skipped = len(ids) - outcome.done - len(outcome.refused)
        if outcome.done:
            messages.success(request, f"{action.label}: {outcome.done} done.")
        for row, reason in outcome.refused[:10]:
            messages.warning(request, f"{row}: {reason}")
        if skipped:
            messages.warning(request, f"{skipped} row(s) you may not change were left alone.")
        return HttpResponseRedirect(back)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = ctx["model_meta"]
        ctx["add_url_name"] = self.add_url_name or f"{meta.app_label}:{meta.model_name}_add"
        ctx["title"] = str(meta.verbose_name_plural).capitalize()
        table_class = self.get_table_class()
        shown = {c.name for c in ctx["table"].columns if c.visible}
        ctx["column_choices"] = [
            (name, header, name in shown, index == 0)
            for index, (name, header) in enumerate(tables_helpers.all_columns(table_class))
        ]
        actions = self.offered_bulk_actions()
        ctx["bulk_actions"] = [(a, a.form(user=self.request.user)) for a in actions]
        ctx["filters_active"] = any(
            v for k, v in self.request.GET.items() if not k.startswith("_") and k != "page"
        )
        ctx["empty_hint"] = self.empty_hint
        importer = record_imports.importer_for_model(meta.model)
        if importer is not None and ctx["can_add"]:
            # A URLconf without the import pages (tests mount apps alone) offers none.
            with contextlib.suppress(NoReverseMatch):
                ctx["import_url"] = reverse("record_import", args=[importer.key])
        return ctx


class ObjectDetailView(ScopedQuerysetMixin, generic.DetailView):
    """One object's page. ``detail_fields`` lists the fields shown in its card."""

    template_name = "core/object_detail.html"
    detail_fields: list[str] | None = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["can_change"] = permissions.may_change(user=self.request.user, obj=obj)
        ctx["fields"] = _field_rows(obj, self.detail_fields, hidden=ctx["hidden_fields"])
        return ctx


def _field_rows(
    obj, names: list[str] | None, *, hidden: frozenset[str] = frozenset()
) -> list[tuple[str, Any]]:
    """(label, value) per field for the detail card; decimals read 99.9, money 2200.00.

    ``hidden``: fields the viewer must not see (``core.permissions.hidden_fields``).
    """
    rows = []
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        if field.name in hidden:
            continue
        if names is None and field.name in ("id", "created_at", "updated_at"):
            continue
        display = getattr(obj, f"get_{field.name}_display", None)
        value = display() if display else formatting.field_value(field, getattr(obj, field.name))
        if hasattr(value, "display_name"):
            value = value.display_name  # people by full name, as everywhere else
        rows.append((formatting.label(str(field.verbose_name).capitalize()), value))
    if names is not None:
        order = {n: i for i, n in enumerate(names)}
        verbose = {
            formatting.label(str(f.verbose_name).capitalize()): f.name
            for f in obj._meta.concrete_fields
        }
        rows.sort(key=lambda r: order.get(verbose.get(r[0], ""), 0))
    return rows


class ObjectFormMixin(ScopedQuerysetMixin):
    """Create/edit through services; service validation errors land on the form."""

    template_name = "core/object_form.html"
    form_class = None
    create_service = None  # callable(*, actor, data) -> instance
    update_service = None  # callable(*, instance, actor, data) -> instance

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            if field.label:
                field.label = formatting.label(field.label)
            if isinstance(field, ModelChoiceField):
                _people_by_name(field)
        return form

    def form_valid(self, form):
        names = {f.name for f in form._meta.model._meta.get_fields()}
        data = {k: v for k, v in form.cleaned_data.items() if k in names}
        try:
            self.object = self.save_through_service(form=form, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.object} saved.")
        return HttpResponseRedirect(self.get_success_url())

    # Where a saved record sends the user: its own page, or that of the record it
    # is shown on, named by a dotted attribute path ("plan", "candidate.event").
    return_to: str = ""

    def get_success_url(self):
        target = self.object
        for name in filter(None, self.return_to.split(".")):
            target = getattr(target, name)
        return target.get_absolute_url()


def _display_name(value):
    return getattr(value, "display_name", value)


def _is_user_column(table, column) -> bool:
    """Does the column show a foreign key to the user model (an owner, a recorder)?"""
    model = getattr(getattr(table, "_meta", None), "model", None)
    if model is None:
        return False
    try:
        field = model._meta.get_field(str(column.accessor))
    except Exception:  # not a plain field (a property, a path across relations)
        return False
    related = getattr(field, "related_model", None)
    return related is not None and hasattr(related, "display_name")


def _people_by_name(field) -> None:
    """A choice of users reads their full names ("Ada Lovelace", not "alovelace")."""
    model = getattr(field.queryset, "model", None)
    if model is not None and hasattr(model, "display_name"):
        field.label_from_instance = lambda user: user.display_name


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class ObjectCreateView(ObjectFormMixin, generic.CreateView):
    """Add an object. The vendor it would belong to must be in the user's write scope."""

    def dispatch(self, request, *args, **kwargs):
        model = self.base_queryset().model
        if request.user.is_authenticated and not permissions.may_add_any(
            user=request.user, model=model
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        for key, value in self.request.GET.items():
            initial[key] = value
        return initial

    def save_through_service(self, *, form, data):
        model = form._meta.model
        probe = model(
            **{k: v for k, v in data.items() if not model._meta.get_field(k).many_to_many}
        )
        vendor_id = probe.pk if model.scope_vendor_path == "pk" else probe.scope_vendor_id()
        if not permissions.may_create(user=self.request.user, model=model, vendor_id=vendor_id):
            raise ValidationError("You may not add this record for that vendor.")
        if self.create_service is not None:
            return type(self).create_service(actor=self.request.user, data=data)
        return services.model_create(model=model, data=data)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"Add {ctx['model_meta'].verbose_name}"
        return ctx


class ObjectUpdateView(ObjectFormMixin, generic.UpdateView):
    """Edit an object the user may change (others: 404 if unseen, 403 if read-only)."""

    def get_object(self, queryset=None):
        visible = permissions.restrict(self.base_queryset(), user=self.request.user)
        obj = get_object_or_404(visible, pk=self.kwargs["pk"])
        if not permissions.may_change(user=self.request.user, obj=obj):
            raise PermissionDenied
        return obj

    def save_through_service(self, *, form, data):
        instance = form.instance
        # The form has already written ``data`` onto the instance: refuse a
        # move to a vendor outside the user's write scope (e.g. a vendor
        # manager re-assigning a contract to someone else's vendor).
        before = type(instance).objects.get(pk=instance.pk).scope_vendor_id()
        after = instance.scope_vendor_id()
        if after != before and not permissions.may_create(
            user=self.request.user, model=type(instance), vendor_id=after
        ):
            raise ValidationError("You may not move this record to that vendor.")
        if self.update_service is not None:
            return type(self).update_service(instance=instance, actor=self.request.user, data=data)
        return services.model_update(instance=instance, data=data)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"Edit {self.object}"
        return ctx


class ObjectDeleteView(ScopedQuerysetMixin, generic.DeleteView):
    """Confirm and delete; objects still referenced elsewhere are refused with a message."""

    template_name = "core/object_confirm_delete.html"
    delete_service = None
    success_url_name: str | None = None

    def get_object(self, queryset=None):
        return ObjectUpdateView.get_object(self, queryset)

    def form_valid(self, form):
        obj = self.object
        try:
            if self.delete_service is not None:
                type(self).delete_service(instance=obj, actor=self.request.user)
            else:
                services.model_delete(instance=obj)
        except (ProtectedError, RestrictedError):
            messages.error(
                self.request, f"{obj} is still referenced by other records and was not deleted."
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(self.request, f"{obj} deleted.")
        meta = obj._meta
        from django.urls import reverse

        return HttpResponseRedirect(
            reverse(self.success_url_name or f"{meta.app_label}:{meta.model_name}_list")
        )


class ObjectHistoryView(ScopedQuerysetMixin, generic.DetailView):
    """The audit trail of one object: who changed what, when, by which path."""

    template_name = "core/object_history.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["events"] = object_history(obj=self.object)
        return ctx


def object_or_404(queryset, *, user, pk):
    """Fetch one object inside the user's scope, else 404."""
    try:
        return permissions.restrict(queryset, user=user).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
