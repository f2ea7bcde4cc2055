"""Pages of the reports app: QBR list, detail (polls until ready), PDF download, request
form, vendor access settings, and the executive's home (the portfolio view).

Every page starts from ``reports.selectors`` (the permission rule applied):
a report outside the user's scope is 404. Requests go through
``reports.services.qbr_request``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core import permissions
from core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
)
from governance.choices import MeetingKind
from governance.models import Meeting
from reports import filters, forms, gather_portfolio, quarters, selectors, services, tables
from reports.choices import ReportStatus
from reports.models import QBRReport, VendorReportSetting
from reports.render_portfolio import attainment_chart, money_table, value_texts
from vendors.models import Vendor

REFRESH_SECONDS = 3


class QBRReportQueryset:
    def base_queryset(self):
        return selectors.qbr_report_list(user=self.request.user)


class QBRReportListView(QBRReportQueryset, ObjectListView):
    """Every report the user may see, newest first; the PDF link once ready."""

    model = QBRReport
    filterset_class = filters.QBRReportFilterSet
    table_class = tables.QBRReportTable
    add_url_name = "reports:qbrreport_add"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = selectors.may_request_any(user=self.request.user)
        ctx["title"] = "QBR reports"
        return ctx


class QBRReportDetailView(QBRReportQueryset, ObjectDetailView):
    """One report: status and progress (the page refreshes until it is ready or failed),
    the verdict from its snapshot, and the download."""

    template_name = "reports/qbrreport_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = self.object
        run = report.task_run
        # A worker that died mid-render never reports; the stale-run job fails its run.
        ctx["lost"] = run is not None and run.status == "failed" and not report.is_ready
        ctx["active"] = (
            report.status in (ReportStatus.QUEUED, ReportStatus.RENDERING) and not ctx["lost"]
        )
        ctx["refresh_seconds"] = REFRESH_SECONDS
        ctx["sentence"] = (report.snapshot or {}).get("summary", {}).get("sentence", "")
        ctx["tone"] = tables.STATUS_TONES.get(report.status, "")
        ctx["can_change"] = False  # reports are made, never edited
        ctx["internal"] = permissions.sees_internal(self.request.user)
        ctx["can_request"] = report.vendor is not None and selectors.may_request(
            user=self.request.user, vendor=report.vendor
        )
        return ctx


class QBRReportHistoryView(QBRReportQueryset, ObjectHistoryView):
    model = QBRReport

    def get_object(self, queryset=None):
        if permissions.is_vendor_side(self.request.user):
            raise PermissionDenied
        return super().get_object(queryset)


def pdf_response(report: QBRReport) -> FileResponse:
    """The report's PDF as a download; 404 until it is ready."""
    if not report.is_ready:
        raise Http404("This report has no PDF yet.")
    try:
        handle = report.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The PDF file is missing.") from exc
    return FileResponse(
        handle, as_attachment=True, filename=report.filename, content_type="application/pdf"
    )


class QBRReportPDFView(View):
    """Download one report's PDF, after the same scope check as its page."""

    def get(self, request, pk: int):
        report = get_object_or_404(selectors.qbr_report_list(user=request.user), pk=pk)
        return pdf_response(report)


class QBRRequestView(View):
    """Request a QBR: vendor (fixed when coming from a vendor's page), quarter, edition."""

    template_name = "reports/qbr_request.html"

    def _vendors(self):
        return permissions.restrict(Vendor.objects.order_by("name"), user=self.request.user)

    def _meetings(self):
        return permissions.restrict(
            Meeting.objects.filter(kind=MeetingKind.QBR, vendor__isnull=False)
            .select_related("forum", "vendor")
            .order_by("-date", "-id"),
            user=self.request.user,
        )

    def _form(self, data=None):
        form = forms.QBRRequestForm(
            data, vendors=self._vendors(), meetings=self._meetings(), today=timezone.localdate()
        )
        if data is None and self.request.GET.get("vendor", "").isdigit():
            form.fields["vendor"].initial = int(self.request.GET["vendor"])
        if data is None and self.request.GET.get("meeting", "").isdigit():
            # From a QBR meeting's page: its vendor, and the quarter it reviews (the one
            # that had ended by the meeting's date).
            meeting = self._meetings().filter(pk=int(self.request.GET["meeting"])).first()
            if meeting is not None:
                form.fields["meeting"].initial = meeting.pk
                form.fields["vendor"].initial = meeting.vendor_id
                form.fields["quarter"].initial = quarters.just_ended(meeting.date)
        return form

    def dispatch(self, request, *args, **kwargs):
        if not selectors.may_request_any(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": self._form(), "title": "Request a QBR"})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                report = services.qbr_request(
                    actor=request.user,
                    vendor=form.cleaned_data["vendor"],
                    quarter=form.cleaned_data["quarter"],
                    edition=form.cleaned_data["edition"],
                    meeting=form.cleaned_data["meeting"],
                )
            except PermissionDenied:
                form.add_error("vendor", "You may not request reports for this vendor.")
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"{report} queued.")
                return HttpResponseRedirect(report.get_absolute_url())
        ctx = {"form": form, "title": "Request a QBR"}
        return render(request, self.template_name, ctx, status=400)


# --- vendor access ---------------------------------------------------------------


class VendorReportSettingQueryset:
    def base_queryset(self):
        return selectors.vendor_report_setting_list(user=self.request.user)


class VendorReportSettingListView(VendorReportSettingQueryset, ObjectListView):
    model = VendorReportSetting
    filterset_class = filters.VendorReportSettingFilterSet
    table_class = None

    def get_table_class(self):
        import django_tables2 as t

        class Table(t.Table):
            vendor = t.Column(linkify=lambda record: record.get_absolute_url())

            class Meta:
                model = VendorReportSetting
                fields = ["vendor", "vendor_access", "updated_at"]
                attrs = {"class": "table"}

        return Table


class VendorReportSettingDetailView(VendorReportSettingQueryset, ObjectDetailView):
    detail_fields = ["vendor", "vendor_access"]


def _setting_create(*, actor, data):
    return services.vendor_report_setting_set(
        actor=actor, vendor=data["vendor"], vendor_access=data["vendor_access"]
    )


def _setting_update(*, instance, actor, data):
    return services.vendor_report_setting_set(
        actor=actor, vendor=instance.vendor, vendor_access=data["vendor_access"]
    )


class VendorReportSettingCreateView(ObjectCreateView):
    model = VendorReportSetting
    form_class = forms.VendorReportSettingForm
    create_service = staticmethod(_setting_create)


class VendorReportSettingUpdateView(ObjectUpdateView):
    model = VendorReportSetting
    form_class = forms.VendorReportSettingForm
    update_service = staticmethod(_setting_update)


class VendorReportSettingHistoryView(ObjectHistoryView):
    model = VendorReportSetting


# --- the executive's home ----------------------------------------------------------


class ExecutiveHomeView(TemplateView):
    """The portfolio at a glance for executives: money, attainment, ranking, latest reports.

    No operational lists: whoever needs a breach or a measurement goes to the
    office's pages. Figures cover the vendors the user may see.
    """

    template_name = "reports/executive_home.html"

    def dispatch(self, request, *args, **kwargs):
        # Baseline, savings and contract values are internal figures (DESIGN.md section 7).
        if permissions.is_vendor_side(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        vendors = list(
            permissions.restrict(
                Vendor.objects.filter(status="active").select_related("relationship_owner"),
                user=user,
            ).order_by("name")
        )
        overview = gather_portfolio.executive_overview(vendors=vendors, user=user, today=today)
        ctx.update(
            title="Portfolio",
            overview=overview,
            contract_value=money_table(overview["contract_value"]),
            value=value_texts(overview["value"]),
            credits_ytd=money_table(overview["credits_ytd"]),
            chart=attainment_chart(
                overview["attainment_history"], title="SLAs met, share per quarter (%)", width=640
            ),
            vendors=[{**v, "credits_text": money_table(v["credits"])} for v in overview["vendors"]],
            reports=selectors.latest_ready(user=user, limit=10),
            today=today,
        )
        return ctx
