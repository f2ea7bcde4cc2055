"""The QBR API and pages: 202 on request, PDF download, field errors, scope, polling."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from core import roles
from reports import services
from reports.models import QBRReport
from reports.services import vendor_report_setting_set
from tests.factories import VendorFactory
from tests.reports.conftest import pdf_info


@pytest.fixture
def report(acme, gov_user, qbr):
    return qbr(gov_user, acme["vendor"])


def test_post_answers_202_with_the_report(acme, api_client_for, executive, commit):
    api = api_client_for(executive)
    body = {"vendor": acme["vendor"].pk, "quarter": "2026Q3", "edition": "internal"}
    with commit():
        response = api.post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 202, response.content
    data = response.json()
    assert (data["vendor"], data["quarter"]) == (acme["vendor"].pk, "2026Q3")
    assert data["status"] == "queued"  # rendered once the request's transaction commits
    data = api.get(f"/api/v1/qbr-reports/{data['id']}/").json()
    assert data["status"] == "ready" and data["pdf_url"].endswith(f"/{data['id']}/pdf/")
    pdf = api.get(f"/api/v1/qbr-reports/{data['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert pdf_info(content)["Title"] == "QBR 2026Q3 – Acme Outsourcing"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quarter": "2026Q3"}, "vendor"),
        ({"vendor": 999999, "quarter": "2026Q3"}, "vendor"),
        ({"vendor": "x", "quarter": "2026Q3"}, "vendor"),
        ({"vendor": None, "quarter": "Q3"}, "quarter"),
        ({"vendor": None, "quarter": "2030Q1"}, "quarter"),
        ({"vendor": None, "quarter": "2026Q3", "edition": "board"}, "edition"),
    ],
)
def test_bad_requests_name_the_field_and_write_nothing(acme, gov_api, body, field):
    body = {
        **body,
        "vendor": acme["vendor"].pk if body.get("vendor", 0) is None else body.get("vendor"),
    }
    body = {k: v for k, v in body.items() if v is not None}
    response = gov_api.post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not QBRReport.objects.exists()


def test_auditors_may_not_request(acme, api_client_for, auditor):
    body = {"vendor": acme["vendor"].pk, "quarter": "2026Q3"}
    response = api_client_for(auditor).post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 403
    assert not QBRReport.objects.exists()


def test_reports_are_not_edited_or_deleted(report, gov_api):
    assert gov_api.patch(f"/api/v1/qbr-reports/{report.pk}/", {}, format="json").status_code == 405
    assert gov_api.delete(f"/api/v1/qbr-reports/{report.pk}/").status_code == 405


def test_snapshot_figures_equal_the_apis(report, gov_api, acme):
    snap = gov_api.get(f"/api/v1/qbr-reports/{report.pk}/snapshot/").json()
    statements = gov_api.get(
        "/api/v1/credit-statements/",
        {"vendor": acme["vendor"].pk, "month_after": "2026-07", "month_before": "2026-09"},
    ).json()["results"]
    due = sum(D(s["credits_due"]) for s in statements)
    net = sum(D(s["net_credit"]) for s in statements)
    assert str(due) == snap["credits"]["quarter"]["EUR"]["due"] == "8500.00"
    assert str(net) == snap["credits"]["quarter"]["EUR"]["net"]
    by_month = {s["month"][:7]: s["credits_due"] for s in statements}
    assert {s["month"][:7]: s["due"] for s in snap["credits"]["statements"]} == by_month
    for row in snap["scorecard"]["rows"]:
        results = gov_api.get("/api/v1/results/", {"sla": row["sla_id"], "page_size": 50}).json()[
            "results"
        ]
        api = {(r["period_start"], r["actual"], r["status"]) for r in results
               if "2026-07-01" <= r["period_end"] <= "2026-09-30"}  # fmt: skip
        mine = {(p["start"], p["actual"], p["status"]) for p in row["periods"]}
        assert {(s, D(a), st) for s, a, st in api} == {(s, D(a), st) for s, a, st in mine}


def test_scope_other_vendors_reports_are_absent(report, make_user, api_client_for, client):
    other = VendorFactory(name="Other Co")
    rep = make_user(roles.VENDOR_USER, vendor=other)
    api = api_client_for(rep)
    assert api.get("/api/v1/qbr-reports/").json()["count"] == 0
    assert api.get(f"/api/v1/qbr-reports/{report.pk}/pdf/").status_code == 404
    client.force_login(rep)
    assert client.get(f"/reports/qbr-reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/qbr-reports/{report.pk}/pdf/").status_code == 404


def test_vendor_users_get_the_vendor_edition_only_when_allowed(
    acme, gov_user, make_user, api_client_for, qbr
):
    vendor = acme["vendor"]
    internal = qbr(gov_user, vendor)
    shared = qbr(gov_user, vendor, edition="vendor")
    api = api_client_for(make_user(roles.VENDOR_USER, vendor=vendor))
    assert api.get("/api/v1/qbr-reports/").json()["count"] == 0  # default: none
    vendor_report_setting_set(actor=gov_user, vendor=vendor, vendor_access="vendor_edition")
    ids = [r["id"] for r in api.get("/api/v1/qbr-reports/").json()["results"]]
    assert ids == [shared.pk]
    assert api.get(f"/api/v1/qbr-reports/{internal.pk}/pdf/").status_code == 404
    assert api.get(f"/api/v1/qbr-reports/{shared.pk}/pdf/").status_code == 200


def test_the_list_has_a_constant_number_of_queries(
    acme, gov_user, gov_api, django_assert_max_num_queries
):
    for _ in range(3):
        services.qbr_request(actor=gov_user, vendor=acme["vendor"], quarter="2026Q3")
    with django_assert_max_num_queries(8):
        response = gov_api.get("/api/v1/qbr-reports/")
    assert response.json()["count"] == 3


def test_pages(report, gov_client, acme):
    page = gov_client.get(f"/reports/qbr-reports/{report.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 SLAs breached in the quarter" in html and "Download PDF" in html
    assert 'http-equiv="refresh"' not in html  # ready: no more polling
    listing = gov_client.get("/reports/qbr-reports/?search=acme")
    assert listing.status_code == 200 and "Acme Outsourcing" in listing.content.decode()
    vendor_page = gov_client.get(acme["vendor"].get_absolute_url() + "?tab=reports")
    vendor_page = vendor_page.content.decode()
    assert "Request QBR" in vendor_page and "2026Q3" in vendor_page


def test_a_queued_report_page_polls(acme, gov_user, gov_client):
    queued = QBRReport.objects.create(
        vendor=acme["vendor"], quarter="2026Q3", requested_by=gov_user
    )
    html = gov_client.get(f"/reports/qbr-reports/{queued.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html and "Download PDF" not in html
    assert gov_client.get(f"/reports/qbr-reports/{queued.pk}/pdf/").status_code == 404
    # Its worker died; the stale-run job failed the run: the page stops polling and says so.
    from core.models import TaskRun

    run = TaskRun.objects.create(kind="qbr_report", status="failed", message="Stopped.")
    QBRReport.objects.filter(pk=queued.pk).update(task_run=run)
    html = gov_client.get(f"/reports/qbr-reports/{queued.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in html and "data-lost" in html


def test_the_list_page_has_a_constant_number_of_queries(
    acme, gov_user, gov_client, django_assert_max_num_queries
):
    for _ in range(4):
        services.qbr_request(actor=gov_user, vendor=acme["vendor"], quarter="2026Q3")
    gov_client.get("/reports/qbr-reports/")  # warm the session and caches
    with django_assert_max_num_queries(12):
        response = gov_client.get("/reports/qbr-reports/")
    assert response.content.decode().count("Acme Outsourcing") >= 4


def test_the_request_form(acme, gov_client, commit):
    bad = gov_client.post(
        "/reports/qbr-reports/add/", {"vendor": acme["vendor"].pk, "quarter": "3Q"}
    )
    assert bad.status_code == 400 and "written like 2026Q3" in bad.content.decode()
    assert not QBRReport.objects.exists()
    with commit():
        good = gov_client.post(
            "/reports/qbr-reports/add/",
            {"vendor": acme["vendor"].pk, "quarter": "2026Q3", "edition": "internal"},
        )
    report = QBRReport.objects.get()
    assert report.status == "ready"
    assert good.status_code == 302 and good["Location"] == report.get_absolute_url()


def test_executives_land_on_the_portfolio(report, executive, client, acme, make_user):
    client.force_login(executive)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/reports/portfolio/"
    html = home.content.decode()
    assert "Acme Outsourcing" in html and "QBR 2026Q3 – Acme Outsourcing" in html
    # Hand-worked (conftest): contract value 3,600,000.00; credits this year May 3,000 +
    # July 5,500 + September 3,000 = 11,500.00; net spend 279,500.00 against 360,000.00,
    # savings 80,500.00 against 72,000.00 (contracts.value).
    figures = ("3,600,000.00 EUR", "11,500.00 EUR", "279,500.00 EUR", "360,000.00 EUR")
    for figure in (*figures, "80,500.00 EUR", "72,000.00 EUR"):
        assert figure in html, figure
    assert "Open breaches" not in html  # no operational lists
    client.force_login(make_user(roles.VENDOR_USER, vendor=acme["vendor"]))
    assert client.get("/reports/portfolio/").status_code == 403  # internal figures


def test_the_portfolio_pack_on_request(acme, api_client_for, executive, auditor, commit):
    body = {"portfolio": True, "quarter": "2026Q3"}
    assert (
        api_client_for(auditor).post("/api/v1/qbr-reports/", body, format="json").status_code == 403
    )
    api = api_client_for(executive)
    bad = api.post("/api/v1/qbr-reports/", {**body, "vendor": acme["vendor"].pk}, format="json")
    assert bad.status_code == 400 and "vendor" in bad.json()
    with commit():
        response = api.post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 202, response.content
    pack = QBRReport.objects.get(pk=response.json()["id"])
    assert pack.portfolio and pack.vendor is None and pack.status == "ready"
    assert pack.snapshot["vendors"][0]["name"] == "Acme Outsourcing"
    assert pack.snapshot["summary"]["credits"]["EUR"]["due"] == "8500.00"


def test_vendor_access_settings_are_the_offices(acme, gov_client, make_user, client):
    response = gov_client.post(
        "/reports/vendor-access/add/",
        {"vendor": acme["vendor"].pk, "vendor_access": "vendor_edition"},
    )
    assert response.status_code == 302
    from reports.models import VendorReportSetting

    setting = VendorReportSetting.objects.get()
    assert setting.vendor_access == "vendor_edition"
    bad = gov_client.post(
        f"/reports/vendor-access/{setting.pk}/edit/",
        {"vendor": acme["vendor"].pk, "vendor_access": "all"},
    )
    assert bad.status_code == 200 and "vendor_access" in bad.context["form"].errors
    client.force_login(make_user(roles.EXECUTIVE))
    assert client.get(f"/reports/vendor-access/{setting.pk}/edit/").status_code == 403


def test_an_idempotency_key_queues_one_report(acme, gov_api):
    body = {"vendor": acme["vendor"].pk, "quarter": "2026Q3"}
    first = gov_api.post("/api/v1/qbr-reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = gov_api.post("/api/v1/qbr-reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"] and QBRReport.objects.count() == 1
