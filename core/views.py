"""Generic page views every app uses: list, detail, create, edit, delete, history.

They apply the one permission rule (``core.permissions``): lists and detail
pages start from ``restrict``; an object outside the user's scope is 404; a
user who may see but not change gets 403 on edit pages. Writes call the app's
service functions; a service ``ValidationError`` becomes form errors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import formatting, permissions, services
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
        ctx["can_add"] = permissions.may_add_any(user=self.request.user, model=model)
        return ctx


class ObjectListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """A filterable, searchable, sortable, paginated table of objects."""

    template_name = "core/object_list.html"
    paginate_by = 25
    table_pagination = {"per_page": 25}
    filterset_class = None
    table_class = None
    add_url_name: str | None = None

    def get_table_pagination(self, table):
        per_page = self.request.GET.get("per_page")
        size = int(per_page) if per_page and per_page.isdigit() else 25
        return {"per_page": max(1, min(size, 200))}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meta = ctx["model_meta"]
        ctx["add_url_name"] = self.add_url_name or f"{meta.app_label}:{meta.model_name}_add"
        ctx["title"] = str(meta.verbose_name_plural).capitalize()
        return ctx


class ObjectDetailView(ScopedQuerysetMixin, generic.DetailView):
    """One object's page. ``detail_fields`` lists the fields shown in its card."""

    template_name = "core/object_detail.html"
    detail_fields: list[str] | None = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["can_change"] = permissions.restrict(
            type(obj).objects.filter(pk=obj.pk), user=self.request.user, action=permissions.CHANGE
        ).exists()
        ctx["fields"] = _field_rows(obj, self.detail_fields)
        return ctx


def _field_rows(obj, names: list[str] | None) -> list[tuple[str, Any]]:
    """(label, value) per field for the detail card; decimals read 99.9, money 2200.00."""
    rows = []
    for field in obj._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        if names is None and field.name in ("id", "created_at", "updated_at"):
            continue
        display = getattr(obj, f"get_{field.name}_display", None)
        value = display() if display else formatting.field_value(field, getattr(obj, field.name))
        rows.append((str(field.verbose_name).capitalize(), value))
    if names is not None:
        order = {n: i for i, n in enumerate(names)}
        verbose = {str(f.verbose_name).capitalize(): f.name for f in obj._meta.concrete_fields}
        rows.sort(key=lambda r: order.get(verbose.get(r[0], ""), 0))
    return rows


class ObjectFormMixin(ScopedQuerysetMixin):
    """Create/edit through services; service validation errors land on the form."""

    template_name = "core/object_form.html"
    form_class = None
    create_service = None  # callable(*, actor, data) -> instance
    update_service = None  # callable(*, instance, actor, data) -> instance

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

    def get_success_url(self):
        return self.object.get_absolute_url()


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
        if not permissions.restrict(
            type(obj).objects.filter(pk=obj.pk), user=self.request.user, action=permissions.CHANGE
        ).exists():
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
