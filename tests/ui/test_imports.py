"""Record imports (vendors, contracts, SLAs): template, preview with row errors, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contracts.models import Contract
from core import roles
from core.models import TaskRun
from slas.models import SLA
from tests.factories import ContractFactory, VendorFactory
from vendors.models import Vendor, VendorTierChange

pytestmark = pytest.mark.django_db


def csv_file(text: str, name: str = "rows.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("rows.xlsx", out.getvalue())


def test_a_vendor_file_with_a_bad_row_names_it_and_writes_nothing(signed_in):
    client = signed_in()
    url = reverse("record_import", args=["vendors"])
    text = (
        "name,service_type,tier,country\n"
        "Alpha BPO,bpo,2,FR\n"
        "Beta IT,spaceships,2,DE\n"  # row 3: no such service type
        "Alpha BPO,ito,1,FR\n"  # row 4: the name is taken (by row 2, in the same file)
    )
    page = client.post(url, {"file": csv_file(text)})
    assert page.status_code == 400
    errors = page.context["preview"].errors
    assert [(row, column) for row, column, _ in errors] == [(3, "service_type"), (4, "name")]
    assert "spaceships" in errors[0][2]
    assert Vendor.objects.count() == 0 and VendorTierChange.objects.count() == 0


def test_a_good_vendor_file_is_previewed_confirmed_and_linked_from_its_job(
    signed_in, django_capture_on_commit_callbacks
):
    client = signed_in()
    VendorFactory(name="Parent Group")
    url = reverse("record_import", args=["vendors"])
    rows = [["name", "service_type", "tier", "parent"], ["Gamma", "ito", 1, "parent group"]]
    page = client.post(url, {"file": xlsx_file(rows)})
    assert page.status_code == 200 and page.context["preview"].ok
    assert Vendor.objects.count() == 1  # the preview wrote nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "1", "token": page.context["token"]})
    run = TaskRun.objects.get()
    assert done["Location"] == reverse("taskrun_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == TaskRun.Status.DONE, run.message
    gamma = Vendor.objects.get(name="Gamma")
    assert gamma.parent.name == "Parent Group" and gamma.tier == 1
    assert gamma.tier_changes.count() == 1  # written through vendor_create
    job = client.get(done["Location"]).content.decode()
    assert f'href="{gamma.get_absolute_url()}"' in job and "All vendors" in job


def test_contracts_and_slas_import_by_name_and_reference(
    signed_in, django_capture_on_commit_callbacks
):
    client = signed_in()
    VendorFactory(name="Acme")
    contracts = (
        "vendor,reference,title,contract_type,status,start_date,end_date,currency,monthly_charge\n"
        "acme,AC-1,Claims,msa,active,2026-01-01,2027-12-31,EUR,1000.00\n"
    )
    url = reverse("record_import", args=["contracts"])
    page = client.post(url, {"file": csv_file(contracts)})
    assert page.status_code == 200, page.context["preview"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "1", "token": page.context["token"]})
    contract = Contract.objects.get(reference="AC-1")
    assert contract.vendor.name == "Acme"
    slas = (
        "contract,name,target,unit,direction,period,effective_from\n"
        "AC-1,Availability,99.5,%,higher_is_better,monthly,2026-01-01\n"
        "AC-9,Speed,1,h,lower_is_better,daily,2026-01-01\n"  # row 3: no contract AC-9
    )
    url = reverse("record_import", args=["slas"])
    page = client.post(url, {"file": csv_file(slas)})
    assert [(r, c) for r, c, _ in page.context["preview"].errors] == [(3, "contract")]
    assert SLA.objects.count() == 0
    good = slas.rsplit("AC-9", 1)[0]
    page = client.post(url, {"file": csv_file(good)})
    assert page.status_code == 200, page.context["preview"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "1", "token": page.context["token"]})
    made = list(SLA.objects.values_list("contract__reference", "name"))
    assert made == [("AC-1", "Availability")]


def test_import_pages_refuse_roles_that_may_not_add(signed_in):
    client = signed_in(roles.AUDITOR)
    assert client.get(reverse("record_import", args=["vendors"])).status_code == 403
    assert client.get(reverse("record_import", args=["nothing"])).status_code == 404


def test_templates_download_and_the_list_page_offers_the_import(signed_in):
    client = signed_in()
    url = reverse("record_import", args=["contracts"])
    body = client.get(url, {"template": "csv"}).content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("vendor,reference,title,contract_type")
    assert client.get(url, {"template": "xlsx"}).status_code == 200
    html = client.get(reverse("contracts:contract_list")).content.decode()
    assert f'href="{url}"' in html


def test_a_contract_cannot_be_imported_for_a_vendor_outside_the_managers_scope(signed_in):
    VendorFactory(name="Someone Else's")
    ContractFactory()
    client = signed_in(roles.VENDOR_MANAGER)
    text = (
        "vendor,reference,title,start_date,end_date\nSomeone Else's,X-1,T,2026-01-01,2026-12-31\n"
    )
    page = client.post(reverse("record_import", args=["contracts"]), {"file": csv_file(text)})
    assert page.status_code == 400
    assert [c for _, c, _ in page.context["preview"].errors] == ["vendor"]
