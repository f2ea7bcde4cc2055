"""Record imports naming a record made by an earlier row of the same file (#14).

A vendor group above its subsidiaries, an MSA above its SOWs: the rows below
resolve the name in the preview and in the job. A name made only further
down, or not at all, is still an error on that row and column, and the file
writes nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts.models import Contract
from core.models import TaskRun
from tests.factories import VendorFactory
from tests.ui.test_imports import csv_file
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

CONTRACT_HEAD = "vendor,reference,title,contract_type,parent,status,start_date,end_date\n"


def confirm(client, url, page, capture):
    assert page.status_code == 200, page.context["preview"].errors
    with capture(execute=True):
        done = client.post(url, {"confirm": "1", "token": page.context["token"]})
    run = TaskRun.objects.get()
    assert done["Location"] == reverse("taskrun_detail", args=[run.pk])
    assert run.status == TaskRun.Status.DONE, run.message
    return run


def test_a_vendor_names_a_parent_made_by_an_earlier_row(
    signed_in, django_capture_on_commit_callbacks
):
    client = signed_in()
    url = reverse("record_import", args=["vendors"])
    text = (
        "name,service_type,tier,parent\n"
        "Globex Group,bpo,2,\n"
        "Globex India,bpo,2,GLOBEX GROUP\n"  # a different case, as for registered names
        "Globex Poland,ito,3,Globex India\n"  # a chain: a parent that has one itself
    )
    page = client.post(url, {"file": csv_file(text)})
    assert page.context["preview"].ok and Vendor.objects.count() == 0  # the preview wrote nothing
    run = confirm(client, url, page, django_capture_on_commit_callbacks)
    parents = dict(Vendor.objects.values_list("name", "parent__name"))
    assert parents == {
        "Globex Group": None,
        "Globex India": "Globex Group",
        "Globex Poland": "Globex India",
    }
    assert run.result["created"] == 3


def test_a_sow_names_an_msa_made_by_an_earlier_row(signed_in, django_capture_on_commit_callbacks):
    client = signed_in()
    VendorFactory(name="Acme")
    url = reverse("record_import", args=["contracts"])
    text = CONTRACT_HEAD + (
        "Acme,AC-MSA,Frame,msa,,active,2026-01-01,2028-12-31\n"
        "Acme,AC-SOW-1,Claims,sow,ac-msa,active,2026-01-01,2026-12-31\n"
        "Acme,AC-SOW-2,Payroll,sow,AC-MSA,draft,2026-03-01,2026-12-31\n"
    )
    page = client.post(url, {"file": csv_file(text)})
    assert page.context["preview"].ok, page.context["preview"].errors
    assert not Contract.objects.exists()
    confirm(client, url, page, django_capture_on_commit_callbacks)
    msa = Contract.objects.get(reference="AC-MSA")
    assert sorted(msa.children.values_list("reference", flat=True)) == ["AC-SOW-1", "AC-SOW-2"]


def test_a_name_made_only_below_or_nowhere_is_a_row_error_and_nothing_is_written(signed_in):
    client = signed_in()
    VendorFactory(name="Acme")
    url = reverse("record_import", args=["contracts"])
    text = CONTRACT_HEAD + (
        "Acme,AC-SOW-1,Claims,sow,AC-MSA,active,2026-01-01,2026-12-31\n"  # row 2: MSA is below
        "Acme,AC-MSA,Frame,msa,,active,2026-01-01,2028-12-31\n"
        "Acme,AC-SOW-2,Payroll,sow,AC-NOPE,active,2026-01-01,2026-12-31\n"  # row 4: unknown
    )
    page = client.post(url, {"file": csv_file(text)})
    assert page.status_code == 400
    errors = page.context["preview"].errors
    assert [(row, column) for row, column, _ in errors] == [(2, "parent"), (4, "parent")]
    assert "row 3 of this file" in errors[0][2] and "above" in errors[0][2]
    assert errors[1][2] == "No contract 'AC-NOPE' that you may use."
    assert "AC-NOPE" in page.content.decode()  # the preview page shows the row's error
    assert not Contract.objects.exists()


def test_a_name_whose_own_row_fails_says_so(signed_in):
    client = signed_in()
    url = reverse("record_import", args=["vendors"])
    text = (
        "name,service_type,tier,parent\n"
        "Initech,spaceships,2,\n"  # row 2 fails: no such service type
        "Initech Labs,ito,2,Initech\n"
    )
    page = client.post(url, {"file": csv_file(text)})
    errors = page.context["preview"].errors
    assert [(row, column) for row, column, _ in errors] == [(2, "service_type"), (3, "parent")]
    assert "Row 2 of this file, which makes it, has an error." in errors[1][2]
    assert not Vendor.objects.exists()


def test_the_upload_page_says_which_columns_may_name_a_row_above(signed_in):
    client = signed_in()
    note = "may also name a record made by a row above it in the same file"
    for key, says in (("vendors", True), ("contracts", True), ("slas", False)):
        page = client.get(reverse("record_import", args=[key])).content.decode()
        assert (note in page) is says, key
    page = client.get(reverse("record_import", args=["contracts"])).content.decode()
    assert "<code>parent</code> may also name" in page
