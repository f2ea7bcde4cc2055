"""Record imports run on a real Celery worker on Redis (#14).

Files are uploaded through the import page as a user would (preview, then
confirm); the confirmed job is sent to a ``celery -A config worker``
subprocess on the pytest database, a private queue (``RECORD_IMPORTS_QUEUE``)
and this test's media root (the stashed upload lives there). The job page
then shows the status, the progress and links to what the import made.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract
from core import roles
from core.models import TaskRun
from core.services import user_provision
from slas.models import SLA
from tests.factories import VendorFactory
from tests.workers import celery_worker
from vendors.models import Vendor

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: the real-worker tests need a Redis broker",
    ),
]


@pytest.fixture
def worker(settings, tmp_path):
    """A worker on a private queue, with this test's media root; stopped (only it) afterwards."""
    log = tmp_path / "worker.log"
    with celery_worker(
        name="imports", log=log, concurrency=1, env={"MEDIA_ROOT": str(django_settings.MEDIA_ROOT)}
    ) as queue:
        settings.RECORD_IMPORTS_QUEUE = queue
        yield log


@pytest.fixture
def office_client(client):
    for name in roles.ALL_ROLES:  # a transactional test has flushed the migration's groups
        Group.objects.get_or_create(name=name)
    user = user_provision(username="importer", role=roles.GOVERNANCE_OFFICE, password="pw-12345678")
    client.force_login(user)
    return client


def upload(client, key: str, text: str):
    """Preview ``text`` on the import page, confirm it; the queued run and the job page URL."""
    url = reverse("record_import", args=[key])
    file = SimpleUploadedFile(f"{key}.csv", text.encode("utf-8"), content_type="text/csv")
    page = client.post(url, {"file": file})
    assert page.status_code == 200, page.context["preview"].errors
    before = set(TaskRun.objects.values_list("pk", flat=True))
    done = client.post(url, {"confirm": "1", "token": page.context["token"]})
    (run,) = TaskRun.objects.exclude(pk__in=before)
    assert done.status_code == 302 and done["Location"] == reverse("taskrun_detail", args=[run.pk])
    assert run.kind == f"{key}_import"
    return run, done["Location"]


def finished(run: TaskRun, log: Path, timeout: float = 90) -> TaskRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (TaskRun.Status.DONE, TaskRun.Status.FAILED):
            return run
        time.sleep(0.3)
    pytest.fail(f"The import did not finish ({run.status}):\n{log.read_text()[-4000:]}")


@pytest.mark.django_db(transaction=True)
def test_vendor_contract_and_sla_imports_run_on_the_worker(worker, office_client):
    client = office_client
    run, job_url = upload(
        client,
        "vendors",
        "name,service_type,tier,parent\nHooli Group,ito,1,\nHooli EU,ito,2,Hooli Group\n",
    )
    run = finished(run, worker)
    assert run.status == TaskRun.Status.DONE, run.message
    assert (run.progress_done, run.progress_total, run.percent) == (2, 2, 100)
    assert run.started_at and run.finished_at and run.sent_at  # sent, taken, ended
    assert "core.record_imports.record_import_task" in worker.read_text()  # not run eagerly
    hooli_eu = Vendor.objects.get(name="Hooli EU")
    assert hooli_eu.parent.name == "Hooli Group"
    job = client.get(job_url).content.decode()
    assert 'data-status="done"' in job and "2 of 2" in job
    assert f'href="{hooli_eu.get_absolute_url()}"' in job
    assert f'href="{reverse("vendors:vendor_list")}"' in job and "All vendors" in job

    run, job_url = upload(
        client,
        "contracts",
        "vendor,reference,title,contract_type,parent,status,start_date,end_date,transition_cost\n"
        "Hooli EU,HO-MSA,Frame,msa,,active,2026-01-01,2028-12-31,12000.00\n"
        "Hooli EU,HO-SOW,Desk,sow,HO-MSA,active,2026-01-01,2026-12-31,\n",
    )
    run = finished(run, worker)
    assert run.status == TaskRun.Status.DONE, run.message
    sow = Contract.objects.get(reference="HO-SOW")
    assert sow.parent.reference == "HO-MSA" and sow.vendor == hooli_eu
    assert str(Contract.objects.get(reference="HO-MSA").transition_cost) == "12000.00"
    job = client.get(job_url).content.decode()
    assert f'href="{sow.get_absolute_url()}"' in job and "All contracts" in job

    run, job_url = upload(
        client,
        "slas",
        "contract,name,target,unit,direction,period,effective_from\n"
        "HO-SOW,Availability,99.5,%,higher_is_better,monthly,2026-01-01\n",
    )
    run = finished(run, worker)
    assert run.status == TaskRun.Status.DONE, run.message
    sla = SLA.objects.get()
    assert sla.contract == sow
    assert f'href="{sla.get_absolute_url()}"' in client.get(job_url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_file_that_went_bad_after_its_preview_fails_on_the_worker_and_writes_nothing(
    worker, office_client
):
    """The job checks every row again: a name taken since the preview fails the whole file."""
    client = office_client
    url = reverse("record_import", args=["vendors"])
    text = "name,service_type,tier\nInitrode,bpo,2\nVandelay,ito,3\n"
    file = SimpleUploadedFile("v.csv", text.encode("utf-8"), content_type="text/csv")
    page = client.post(url, {"file": file})
    assert page.context["preview"].ok
    VendorFactory(name="Vandelay")  # someone was quicker
    client.post(url, {"confirm": "1", "token": page.context["token"]})
    run = finished(TaskRun.objects.get(kind="vendors_import"), worker)
    assert run.status == TaskRun.Status.FAILED
    assert "Nothing imported" in run.message and "row 3, name" in run.message
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Vandelay"]
    job = client.get(reverse("taskrun_detail", args=[run.pk])).content.decode()
    assert 'data-status="failed"' in job and "row 3, name" in job
