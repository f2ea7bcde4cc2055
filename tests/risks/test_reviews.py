"""Reviews that come due: the cadence per tier, the overdue flag, the daily job (run_job --at)
and notices sent once per due date."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import roles
from notifications.models import Notification
from risks import selectors, services
from risks.models import ReviewCadence, ReviewReminder
from tests.risks.conftest import make_assessment

pytestmark = pytest.mark.django_db

D = dt.date


def run_job(at: str) -> dict:
    out = StringIO()
    call_command("run_job", "risk-reviews-due", "--at", at, stdout=out)
    return json.loads(out.getvalue())


def notified(at: str) -> tuple[int, int]:
    """(risk reviews, reassessments) notified by the job run at ``at``."""
    report = run_job(at)
    return report["risk_reviews_notified"], report["reassessments_notified"]


def _risk(vendor, owner, *, identified: dt.date, **extra):
    data = {
        "vendor": vendor,
        "title": extra.pop("title", "Offshore data"),
        "category": "privacy",
        "likelihood": 4,
        "impact": 4,
        "owner": owner,
        **extra,
    }
    return services.risk_create(actor=owner, data=data, today=identified)


def test_default_cadence_rows_exist_and_set_the_next_review(north, south, gov_user):
    assert dict(ReviewCadence.objects.values_list("tier", "months")) == {1: 3, 2: 6, 3: 12, 4: 12}
    one = _risk(north, gov_user, identified=D(2026, 8, 31))  # tier 1: 3 months
    two = _risk(south, gov_user, identified=D(2026, 8, 31))  # tier 2: 6 months
    assert one.next_review == D(2026, 11, 30)  # clamped to the month's end
    assert two.next_review == D(2027, 2, 28)
    ReviewCadence.objects.filter(tier=1).update(months=1)
    review = services.risk_review(
        risk=one, actor=gov_user, data={"reviewed_on": D(2026, 12, 1)}, today=D(2026, 12, 4)
    )
    assert review.next_review == one.next_review == D(2027, 1, 1)


def test_review_records_scores_and_refuses_bad_input(north, gov_user):
    risk = _risk(north, gov_user, identified=D(2026, 6, 1))
    services.risk_review(
        risk=risk,
        actor=gov_user,
        data={"reviewed_on": D(2026, 9, 1), "residual_likelihood": 2, "note": "Controls tested"},
        today=D(2026, 12, 4),
    )
    rows = list(risk.reviews.order_by("reviewed_on").values_list("kind", "residual_likelihood"))
    assert rows == [("identified", 4), ("reviewed", 2)]
    risk.refresh_from_db()
    assert risk.residual_score == 8 and risk.next_review == D(2026, 12, 1)
    for bad, field in (
        ({"reviewed_on": D(2026, 12, 5)}, "reviewed_on"),  # after today
        ({"next_review": D(2026, 8, 1), "reviewed_on": D(2026, 9, 2)}, "next_review"),
        ({"residual_impact": 5, "residual_likelihood": 5}, "residual_impact"),
    ):
        with pytest.raises(Exception) as caught:
            services.risk_review(risk=risk, actor=gov_user, data=bad, today=D(2026, 12, 4))
        assert field in caught.value.message_dict
    assert risk.reviews.count() == 2


def test_overdue_flag(north, gov_user):
    risk = _risk(north, gov_user, identified=D(2026, 8, 4))  # next review 2026-11-04
    assert risk.review_state(D(2026, 10, 20)) == "scheduled"  # 15 days ahead
    assert risk.review_state(D(2026, 10, 21)) == "due"  # exactly 14 days ahead
    assert risk.review_state(D(2026, 11, 4)) == "due"  # on the day
    assert risk.review_state(D(2026, 11, 5)) == "overdue"
    services.risk_update(instance=risk, actor=gov_user, data={"status": "closed"})
    assert risk.review_state(D(2026, 11, 5)) is None  # closed risks come due no more


def test_job_notifies_once_per_due_date(north, south, users):
    owner = users[roles.GOVERNANCE_OFFICE]
    risk = _risk(north, owner, identified=D(2026, 9, 1))  # next review 2026-12-01
    make_assessment(north, date=D(2026, 9, 10))  # North reassessment due 2026-12-10
    south.status = "prospect"  # not in service: never reassessed
    south.save()

    assert notified("2026-11-16T08:00:00") == (0, 0)
    # 2026-11-17 + 14 days = 2026-12-01: the risk review is due; the reassessment not yet.
    assert notified("2026-11-17T08:00:00") == (1, 0)
    assert notified("2026-11-17T09:00:00") == (0, 0)
    notes = Notification.objects.filter(kind="review_due")
    assert list(notes.values_list("user", "url")) == [(owner.pk, risk.get_absolute_url())]
    # Overdue now, and the reassessment (2026-12-10) has come due: it goes to North's manager.
    assert notified("2026-12-05T08:00:00") == (0, 1)
    manager = users[roles.VENDOR_MANAGER]
    assert notes.filter(user=manager).count() == 1
    assert "overdue" not in notes.get(user=owner).title
    # A review moves the date: the new date is notified once more, when it comes due.
    services.risk_review(risk=risk, actor=owner, data={}, today=D(2026, 12, 5))
    assert notified("2027-02-18T08:00:00")[0] == 0  # due 2027-03-05: 15 days ahead
    assert notified("2027-02-19T08:00:00")[0] == 1
    assert ReviewReminder.objects.filter(subject="risk").count() == 2
    assert notes.filter(user=owner).count() == 2


def test_without_an_owner_the_office_is_told(north, users):
    north.relationship_owner = None
    north.save()
    _risk(north, None, identified=D(2026, 1, 1))
    run_job("2026-12-04T08:00:00")
    office = users[roles.GOVERNANCE_OFFICE]
    assert Notification.objects.filter(kind="review_due", user=office).count() == 2


def test_my_reviews_page_and_panel(north, users, client_for):
    owner = users[roles.VENDOR_MANAGER]
    risk = _risk(north, owner, identified=D(2025, 1, 1), title="Mine")
    _risk(north, users[roles.GOVERNANCE_OFFICE], identified=D(2025, 1, 1), title="Theirs")
    today = D(2026, 12, 4)
    mine = selectors.my_reviews(user=owner, today=today)
    assert [(i.subject, i.object_id, i.state) for i in mine] == [
        ("risk", risk.pk, "overdue"),
        ("reassessment", north.pk, "overdue"),  # owner of North, never assessed
    ] or [(i.subject, i.object_id) for i in mine][0] == ("risk", risk.pk)
    page = client_for(owner).get(reverse("risks:my_reviews"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mine" in body and "Theirs" not in body
    everything = client_for(owner).get(reverse("risks:my_reviews") + "?all=true")
    assert "Theirs" in everything.content.decode()


def test_cadence_page_edit_rights(users, client_for):
    cadence = ReviewCadence.objects.get(tier=1)
    url = reverse("risks:reviewcadence_edit", args=[cadence.pk])
    for role in (roles.EXECUTIVE, roles.VENDOR_MANAGER, roles.AUDITOR):
        assert client_for(users[role]).post(url, {"months": 2}).status_code == 403, role
    gov = client_for(users[roles.GOVERNANCE_OFFICE])
    assert gov.post(url, {"months": 0}).status_code == 200  # form error, nothing written
    cadence.refresh_from_db()
    assert cadence.months == 3
    assert gov.post(url, {"months": 2}).status_code == 302
    cadence.refresh_from_db()
    assert cadence.months == 2
    assert client_for(users[roles.VENDOR_USER]).get(url).status_code == 404


def test_review_pages_in_a_constant_number_of_queries(north, south, users, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = users[roles.GOVERNANCE_OFFICE]
    client = client_for(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("risks:my_reviews") + "?all=true").status_code == 200
            assert client.get(reverse("dashboard")).status_code == 200
            assert client.get(reverse("risks:heatmap")).status_code == 200
            assert client.get(north.get_absolute_url() + "?tab=risks").status_code == 200
        return len(ctx.captured_queries)

    _risk(north, office, identified=D(2025, 1, 1), title="first")
    before = count()
    for n, vendor in enumerate((north, south) * 3):
        owner = users[roles.VENDOR_MANAGER] if n % 2 else None
        _risk(vendor, owner, identified=D(2025, 1, 1), title=f"r{n}")
    assert count() == before
