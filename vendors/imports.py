"""Import of vendors from CSV or XLSX (``core.record_imports``): the vendor register at once.

Columns as the vendor form's fields; ``relationship_owner`` is a username
and ``parent`` a vendor's name: registered already, or made by an earlier
row of the same file (put a group above its subsidiaries).
Rows are parsed by ``VendorForm`` and written by ``vendor_create`` (so the
initial tier is recorded in the tier history).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core.record_imports import RecordImporter, register
from vendors.forms import VendorForm
from vendors.models import Vendor
from vendors.services import vendor_create

IMPORTER = register(
    RecordImporter(
        key="vendors",
        module=__name__,
        label="vendors",
        model=Vendor,
        form_class=VendorForm,
        create=vendor_create,
        columns=[
            "name",
            "legal_name",
            "country",
            "service_type",
            "services_description",
            "tier",
            "tier_reason",
            "status",
            "relationship_owner",
            "parent",
        ],
        required=["name", "service_type"],
        list_url_name="vendors:vendor_list",
        lookups={"relationship_owner": (get_user_model(), "username"), "parent": (Vendor, "name")},
        example=[
            "Acme Outsourcing",
            "Acme Outsourcing Ltd",
            "IN",
            "bpo",
            "Claims processing",
            2,
            "Handles customer data",
            "active",
            "",
            "",
        ],
    )
)
