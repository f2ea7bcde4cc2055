"""Pages of measurements: list, manual entry, edit, delete, history, and the file import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from core import permissions
from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
)
from slas import imports, selectors, services
from slas.choices import Source
from slas.filters import MeasurementFilterSet
from slas.forms import MeasurementForm, MeasurementImportForm
from slas.models import Measurement
from slas.tables import MeasurementTable

SESSION_KEY = "slas_measurement_imports"  # token -> original file name


class MeasurementListView(ObjectListView):
    """Measurements the user may see, newest first."""

    model = Measurement
    filterset_class = MeasurementFilterSet
    table_class = MeasurementTable
    template_name = "slas/measurement_list.html"

    def base_queryset(self):
        return selectors.measurement_list(user=self.request.user)


class MeasurementDetailView(ObjectDetailView):
    """One measurement, with a link to the period it counts in."""

    model = Measurement
    detail_fields = ["sla", "date", "value", "source", "note", "recorded_by", "updated_at"]
    template_name = "slas/measurement_detail.html"

    def base_queryset(self):
        return selectors.measurement_list(user=self.request.user)


class MeasurementCreateView(ObjectCreateView):
    """Record one value by hand (source manual); the same SLA and date again replaces it."""

    model = Measurement
    form_class = MeasurementForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save_through_service(self, *, form, data):
        return services.measurement_create(
            actor=self.request.user, data={**data, "source": Source.MANUAL}
        )


class MeasurementUpdateView(ObjectUpdateView):
    """Correct a measurement; its period is evaluated again."""

    model = Measurement
    form_class = MeasurementForm
    update_service = services.measurement_update

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class MeasurementDeleteView(ObjectDeleteView):
    """Delete a measurement; its period is evaluated again."""

    model = Measurement
    delete_service = services.measurement_delete


class MeasurementHistoryView(ObjectHistoryView):
    """Every value a measurement has had: the audit trail keeps replaced values."""

    model = Measurement


def _may_import(user) -> bool:
    return permissions.may_add_any(user=user, model=Measurement)


class MeasurementImportView(View):
    """Step 1 (GET form, POST file → preview) and step 2 (POST confirm → queued job)."""

    template_name = "slas/measurement_import.html"

    def dispatch(self, request, *args, **kwargs):
        if not _may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, MeasurementImportForm())

    def post(self, request):
        if "confirm" in request.POST:
            return self._confirm(request)
        form = MeasurementImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = imports.read_rows(name=upload.name, data=data)
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
            return self._render(request, form, status=400)
        preview = imports.import_preview(rows=rows, user=request.user)
        token = None
        if preview.ok:
            token = imports.stash_upload(name=upload.name, data=data)
            stash = request.session.get(SESSION_KEY, {})
            stash[token] = upload.name
            request.session[SESSION_KEY] = stash
        return self._render(
            request,
            MeasurementImportForm(),
            preview=preview,
            token=token,
            filename=upload.name,
            status=200 if preview.ok else 400,
        )

    def _confirm(self, request):
        token = request.POST.get("token", "")
        stash = request.session.get(SESSION_KEY, {})
        if token not in stash:
            messages.error(request, "That upload is unknown or was already imported; upload again.")
            return redirect("slas:measurement_import")
        filename = stash.pop(token)
        request.session[SESSION_KEY] = stash
        try:
            run = imports.import_queue(token=token, filename=filename, user=request.user)
        except (imports.ImportFileError, ValidationError) as exc:
            messages.error(request, str(exc))
            return redirect("slas:measurement_import")
        return HttpResponseRedirect(reverse("taskrun_detail", args=[run.pk]))

    def _render(self, request, form, *, status=200, **extra):
        ctx = {"title": "Import measurements", "form": form, "columns": imports.COLUMNS, **extra}
        return render(request, self.template_name, ctx, status=status)


class MeasurementTemplateView(View):
    """The import template (``?format=csv`` or ``xlsx``), prefilled with the user's SLAs."""

    def get(self, request):
        if not _may_import(request.user):
            raise PermissionDenied
        if request.GET.get("format") == "xlsx":
            body = imports.template_xlsx(user=request.user)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            name = "measurements-template.xlsx"
        else:
            body = imports.template_csv(user=request.user)
            content_type = "text/csv; charset=utf-8"
            name = "measurements-template.csv"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
