"""The record import pages (``/imports/<key>/``): upload → preview → queued job → job page.

One view serves every registered ``core.record_imports.RecordImporter``
(vendors, contracts, SLAs): a user who may not add that kind of record gets
403, as on its "Add" page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from core import permissions
from core import record_imports as ri

SESSION_KEY = "core_record_imports"  # token -> original file name


class ImportFileForm(forms.Form):
    """Step 1: the CSV or XLSX file."""

    file = forms.FileField(help_text="CSV (UTF-8) or Excel .xlsx. Row 1 is the header.")


class RecordImportView(View):
    """GET the form; POST a file → preview; POST confirm → the queued job's page."""

    template_name = "core/record_import.html"

    def dispatch(self, request, key: str, *args, **kwargs):
        self.importer = ri.importer_for(key)
        if self.importer is None:
            raise Http404
        if not permissions.may_add_any(user=request.user, model=self.importer.model):
            raise PermissionDenied
        return super().dispatch(request, key, *args, **kwargs)

    def get(self, request, key: str):
        fmt = request.GET.get("template")
        if fmt in ("csv", "xlsx"):
            return self._template(fmt)
        return self._render(request, ImportFileForm())

    def post(self, request, key: str):
        if "confirm" in request.POST:
            return self._confirm(request)
        form = ImportFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = ri.read_rows(self.importer, name=upload.name, data=data)
        except ri.ImportFileError as exc:
            form.add_error("file", str(exc))
            return self._render(request, form, status=400)
        outcome = ri.preview(self.importer, rows=rows, user=request.user)
        token = None
        if outcome.ok:
            token = ri.stash_upload(name=upload.name, data=data)
            stash = request.session.get(SESSION_KEY, {})
            stash[token] = upload.name
            request.session[SESSION_KEY] = stash
        return self._render(
            request,
            ImportFileForm(),
            preview=outcome,
            token=token,
            filename=upload.name,
            status=200 if outcome.ok else 400,
        )

    def _confirm(self, request):
        token = request.POST.get("token", "")
        stash = request.session.get(SESSION_KEY, {})
        here = reverse("record_import", args=[self.importer.key])
        if token not in stash:
            messages.error(request, "That upload is unknown or was already imported; upload again.")
            return redirect(here)
        filename = stash.pop(token)
        request.session[SESSION_KEY] = stash
        try:
            run = ri.import_queue(self.importer, token=token, filename=filename, user=request.user)
        except ri.ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect(here)
        return HttpResponseRedirect(reverse("taskrun_detail", args=[run.pk]))

    def _template(self, fmt: str) -> HttpResponse:
        if fmt == "xlsx":
            body = ri.template_xlsx(self.importer)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = ri.template_csv(self.importer)
            content_type = "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        name = f"{self.importer.key}-template.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def _render(self, request, form, *, status=200, **extra):
        ctx = {
            "title": f"Import {self.importer.label}",
            "importer": self.importer,
            "form": form,
            "columns": self.importer.columns,
            **extra,
        }
        return render(request, self.template_name, ctx, status=status)
