"""Pages of the vendors app: thin subclasses of the generic ``core.views`` classes.

Lists and details start from the selectors (scoped by the permission rule);
writes go through ``vendors.services``. Evidence files are served only by
``CertificationEvidenceView``, after the same scope check as the page.
"""

from __future__ import annotations

import mimetypes

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils import timezone
from django.views import View

from core import permissions
from core.forms import UserFormMixin
from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
    object_or_404,
)
from vendors import filters, forms, selectors, services, tables, vendor360
from vendors import imports as _imports  # noqa: F401 - registers the vendor import
from vendors.models import Certification, Contact, Vendor

# --- Vendors ------------------------------------------------------------------------


class VendorQueryset:
    def base_queryset(self):
        return selectors.vendor_list(user=self.request.user)


class VendorListView(VendorQueryset, ObjectListView):
    model = Vendor
    filterset_class = filters.VendorFilterSet
    table_class = tables.VendorTable


class VendorDetailView(VendorQueryset, ObjectDetailView):
    """Vendor 360: one page, one tab per side of the relationship.

    Tabs (``?tab=``): overview (card, structure, certifications, contacts,
    tier history), contracts, SLAs and scorecard, breaches and credits,
    risks, governance, escalations, reports, history. Each tab is a plain
    link (the page works without JavaScript); htmx loads just the panel
    (``request.htmx``: the tab's template alone) and pushes the URL. Each
    tab computes only what it shows, in a fixed number of queries.
    """

    template_name = "vendors/vendor_detail.html"
    detail_fields = [
        "legal_name",
        "country",
        "service_type",
        "services_description",
        "tier_reason",
        "relationship_owner",
        "parent",
    ]

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return [self.tab_template]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        internal = permissions.sees_internal(self.request.user)
        tabs = vendor360.tabs_for(internal=internal)
        tab = self.request.GET.get("tab", "overview")
        if tab not in dict(tabs):
            tab = "overview"
        self.tab_template = vendor360.TEMPLATES[tab]
        ctx.update(tabs=tabs, tab=tab, tab_label=dict(tabs)[tab], tab_template=self.tab_template)
        ctx.update(
            vendor360.tab_context(tab, vendor=self.object, user=self.request.user, today=today)
        )
        if "parent_chain" not in ctx:  # the crumbs above every tab
            ctx["parent_chain"] = selectors.vendor_parent_chain(
                vendor=self.object, user=self.request.user
            )
        ctx["tier_badge"] = tables.tier_badge(self.object)
        ctx["status_badge"] = tables.status_badge(self.object)
        ctx["today"] = today
        # Why a vendor has its tier, and who owns it, are the office's business:
        # core.views leaves Vendor.internal_fields out of ``fields`` for vendor users.
        ctx["internal"] = permissions.sees_internal(self.request.user)
        return ctx


class VendorCreateView(UserFormMixin, ObjectCreateView):
    model = Vendor
    form_class = forms.VendorForm
    create_service = services.vendor_create


class VendorUpdateView(UserFormMixin, ObjectUpdateView):
    model = Vendor
    form_class = forms.VendorForm
    update_service = services.vendor_update


class VendorDeleteView(ObjectDeleteView):
    model = Vendor
    delete_service = services.vendor_delete


class VendorHistoryView(ObjectHistoryView):
    """A vendor's audit trail; internal (tier reasons, owners), so not for its representatives."""

    model = Vendor

    def get_object(self, queryset=None):
        vendor = super().get_object(queryset)
        if not permissions.sees_internal(self.request.user):
            raise PermissionDenied
        return vendor


# --- Certifications -----------------------------------------------------------------


class CertificationQueryset:
    def base_queryset(self):
        return selectors.certification_list(user=self.request.user)


class CertificationListView(CertificationQueryset, ObjectListView):
    model = Certification
    filterset_class = filters.CertificationFilterSet
    table_class = tables.CertificationTable


class CertificationDetailView(CertificationQueryset, ObjectDetailView):
    """A certification's card with its expiry badge and a link to download the evidence."""

    template_name = "vendors/certification_detail.html"
    detail_fields = ["vendor", "kind", "name", "cmmi_level", "scope", "issued_on", "expires_on"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expiry_badge"] = tables.expiry_badge(self.object)
        # Reminder recipients are the office's own addresses: not for vendor representatives.
        internal = permissions.sees_internal(self.request.user)
        ctx["reminders"] = list(self.object.reminders.all()[:20]) if internal else []
        return ctx


class CertificationCreateView(UserFormMixin, CertificationQueryset, ObjectCreateView):
    model = Certification
    form_class = forms.CertificationForm
    create_service = services.certification_create


class CertificationUpdateView(UserFormMixin, CertificationQueryset, ObjectUpdateView):
    model = Certification
    form_class = forms.CertificationForm
    update_service = services.certification_update


class CertificationDeleteView(ObjectDeleteView):
    model = Certification
    delete_service = services.certification_delete


class CertificationHistoryView(ObjectHistoryView):
    model = Certification


class CertificationEvidenceView(View):
    """Download a certification's evidence file; 404 outside the user's scope or without one.

    Evidence is never linked through the public media URL: this view is the
    only way to it, and it applies the same permission rule as the page.
    """

    def get(self, request, pk: int):
        certification = object_or_404(
            selectors.certification_list(user=request.user), user=request.user, pk=pk
        )
        return evidence_response(certification)


def evidence_response(certification: Certification) -> FileResponse:
    """The certification's evidence file as a private download (404 when there is none).

    The caller has already checked the user's scope; the page view and the
    API action both end here.
    """
    evidence = certification.evidence
    if not evidence or not evidence.storage.exists(evidence.name):
        raise Http404("No evidence file on record.")
    filename = evidence.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        evidence.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Contacts -----------------------------------------------------------------------


class ContactQueryset:
    def base_queryset(self):
        return selectors.contact_list(user=self.request.user)


class ContactListView(ContactQueryset, ObjectListView):
    model = Contact
    filterset_class = filters.ContactFilterSet
    table_class = tables.ContactTable


class ContactDetailView(ContactQueryset, ObjectDetailView):
    detail_fields = ["vendor", "name", "side", "level", "role", "email", "phone"]


class ContactCreateView(UserFormMixin, ContactQueryset, ObjectCreateView):
    model = Contact
    form_class = forms.ContactForm
    create_service = services.contact_create


class ContactUpdateView(UserFormMixin, ContactQueryset, ObjectUpdateView):
    model = Contact
    form_class = forms.ContactForm
    update_service = services.contact_update


class ContactDeleteView(ObjectDeleteView):
    model = Contact
    delete_service = services.contact_delete


class ContactHistoryView(ObjectHistoryView):
    model = Contact
