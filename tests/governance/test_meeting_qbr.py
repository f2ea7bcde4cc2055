"""The QBR meeting of a quarter links its report (``reports.QBRReport.meeting``).

Requested from the meeting's page (vendor, quarter and meeting filled in) or
through the API with ``meeting``; a meeting of another vendor, or not a QBR,
is a field error that writes nothing. The meeting's page lists its reports.
Reports are not rendered here (their on-commit render never runs): the link
is what is tested.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core import roles
from governance.models import Forum, Meeting
from reports.models import QBRReport
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(vendor):
    forum = Forum.objects.create(name="JSC", kind="jsc", cadence="quarterly", vendor=vendor)
    other = VendorFactory(name="Other Vendor")
    return {
        "qbr": Meeting.objects.create(forum=forum, vendor=vendor, date=dt.date(2026, 10, 14),
                                      kind="qbr", title="Q3 review"),
        "jsc": Meeting.objects.create(forum=forum, vendor=vendor, date=dt.date(2026, 11, 2),
                                      kind="jsc", title="Steering"),
        "other": Meeting.objects.create(forum=forum, vendor=other, date=dt.date(2026, 10, 20),
                                        kind="qbr", title="Other's QBR"),
    }  # fmt: skip


def test_the_api_links_a_report_to_its_qbr_meeting(vendor, meetings, gov_api):
    body = {"vendor": vendor.pk, "quarter": "2026Q3", "meeting": meetings["qbr"].pk}
    response = gov_api.post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["meeting"] == meetings["qbr"].pk
    report = QBRReport.objects.get()
    assert report.meeting == meetings["qbr"]
    assert gov_api.get(f"/api/v1/qbr-reports/{report.pk}/").json()["meeting"] == meetings["qbr"].pk
    assert list(meetings["qbr"].qbr_reports.all()) == [report]


@pytest.mark.parametrize(
    ("meeting", "message"),
    [
        ("other", "This meeting is with another vendor than the report's."),
        ("jsc", "Choose a meeting of kind QBR."),
    ],
)
def test_a_meeting_of_another_vendor_or_kind_is_a_field_error(
    vendor, meetings, gov_api, meeting, message
):
    body = {"vendor": vendor.pk, "quarter": "2026Q3", "meeting": meetings[meeting].pk}
    response = gov_api.post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"meeting": [message]}
    assert not QBRReport.objects.exists()


@pytest.mark.parametrize("value", [999999, "x", 0])
def test_an_unknown_meeting_is_a_field_error(vendor, gov_api, value):
    body = {"vendor": vendor.pk, "quarter": "2026Q3", "meeting": value}
    response = gov_api.post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["meeting"]
    assert not QBRReport.objects.exists()


def test_the_portfolio_pack_links_no_meeting(meetings, gov_api):
    body = {"portfolio": True, "quarter": "2026Q3", "meeting": meetings["qbr"].pk}
    response = gov_api.post("/api/v1/qbr-reports/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == ["meeting"]


def test_a_vendor_representative_sees_no_meeting_link(vendor, meetings, gov_user, make_user,
                                                     api_client_for):  # fmt: skip
    from reports.services import qbr_request, vendor_report_setting_set

    vendor_report_setting_set(actor=gov_user, vendor=vendor, vendor_access="vendor_edition")
    report = qbr_request(actor=gov_user, vendor=vendor, quarter="2026Q3", edition="vendor",
                         meeting=meetings["qbr"])  # fmt: skip
    representative = api_client_for(make_user(roles.VENDOR_USER, vendor=vendor))
    data = representative.get(f"/api/v1/qbr-reports/{report.pk}/").json()
    assert data["id"] == report.pk and "meeting" not in data


def test_the_meeting_page_requests_and_lists_the_quarters_qbr(vendor, meetings, client,
                                                             gov_user):  # fmt: skip
    client.force_login(gov_user)
    page = client.get(meetings["qbr"].get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    request_url = f"/reports/qbr-reports/add/?meeting={meetings['qbr'].pk}"
    assert "Request the quarter's QBR" in html and request_url in html
    assert "No report linked to this meeting yet." in html

    form = client.get(request_url).context["form"]
    assert form["vendor"].initial == vendor.pk
    assert form["quarter"].initial == "2026Q3"  # the quarter ended before 2026-10-14
    assert form["meeting"].initial == meetings["qbr"].pk
    post = {"vendor": vendor.pk, "quarter": "2026Q3", "edition": "internal",
            "meeting": meetings["other"].pk}  # fmt: skip
    refused = client.post("/reports/qbr-reports/add/", post)
    assert refused.status_code == 400
    assert refused.context["form"].errors["meeting"] == [
        "This meeting is with another vendor than the report's."
    ]
    assert not QBRReport.objects.exists()
    response = client.post("/reports/qbr-reports/add/", {**post, "meeting": meetings["qbr"].pk})
    assert response.status_code == 302
    report = QBRReport.objects.get()
    assert report.meeting == meetings["qbr"]
    html = client.get(meetings["qbr"].get_absolute_url()).content.decode()
    assert report.get_absolute_url() in html and "No report linked" not in html


def test_other_meetings_and_read_only_staff_get_no_button(meetings, client, gov_user, executive):
    client.force_login(gov_user)
    html = client.get(meetings["jsc"].get_absolute_url()).content.decode()
    assert 'id="qbr-reports"' not in html and "Request the quarter" not in html
    client.force_login(executive)
    html = client.get(meetings["qbr"].get_absolute_url()).content.decode()
    assert 'id="qbr-reports"' in html and "Request the quarter" not in html


def test_the_report_page_links_back_to_its_meeting(vendor, meetings, client, gov_user):
    from reports.services import qbr_request

    report = qbr_request(actor=gov_user, vendor=vendor, quarter="2026Q3", meeting=meetings["qbr"])
    client.force_login(gov_user)
    html = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{meetings["qbr"].get_absolute_url()}"' in html
    assert f'name="meeting" value="{meetings["qbr"].pk}"' in html  # "Render again" keeps it
