"""Pages and API of the sourcing app, and the vendor representative's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import roles
from sourcing import services
from tests.conftest import token_client
from tests.sourcing.conftest import give

pytestmark = pytest.mark.django_db


def _scored(s):
    give(s, s["ann"], 0, [4, 3, 5])
    give(s, s["bob"], 0, [5, 2, 4])
    give(s, s["ann"], 1, [5, 3, 3])
    give(s, s["bob"], 1, [4, 4, 4])
    services.evaluator_submit(event=s["event"], actor=s["ann"])
    services.evaluator_submit(event=s["event"], actor=s["bob"])


def test_pages_render_for_the_office(event_setup, gov_client):
    s = event_setup
    _scored(s)
    event = s["event"]
    for url in (
        reverse("sourcing:sourcingevent_list"),
        event.get_absolute_url(),
        reverse("sourcing:sourcingevent_comparison", args=[event.pk]),
        reverse("sourcing:proposal_list"),
        reverse("sourcing:transitionstep_list"),
        reverse("sourcing:candidate_list"),
        event.history_url,
    ):
        assert gov_client.get(url).status_code == 200, url
    text = gov_client.get(reverse("sourcing:sourcingevent_comparison", args=[event.pk])).content
    text = text.decode()
    # Bravo 78.00 (ranked 1), Alpha 76.00; Charlie unscored: missing, unranked.
    assert "78.00" in text and "76.00" in text and "missing" in text


def test_criteria_page_refuses_weights_not_summing_to_100(gov_client, gov_user):
    event = services.event_create(actor=gov_user, data={"title": "RFP"})
    url = reverse("sourcing:sourcingevent_criteria", args=[event.pk])
    response = gov_client.post(url, {"criteria": "Cost: 50\nQuality: 40"})
    assert response.status_code == 400
    assert "The weights must sum to 100; they sum to 90." in response.content.decode()
    assert event.criteria.count() == 0
    response = gov_client.post(url, {"criteria": "Cost: 60\nQuality: 40"})
    assert response.status_code == 302
    assert [c.name for c in event.criteria.all()] == ["Cost", "Quality"]


def test_award_page_refused_with_blocking_item(event_setup, gov_client, gov_user):
    s = event_setup
    winner = s["candidates"][0]
    services.due_diligence_create(
        actor=gov_user, data={"candidate": winner, "kind": "references", "blocking": True}
    )
    url = reverse("sourcing:sourcingevent_action", args=[s["event"].pk, "award"])
    response = gov_client.post(
        url, {"candidate": winner.pk, "award_rationale": "Cheap"}, follow=True
    )
    assert "Blocking due diligence is open for this candidate: References." in (
        response.content.decode()
    )
    winner.vendor.refresh_from_db()
    assert winner.vendor.status == "prospect"


def test_api_ranking_award_and_400s(event_setup, gov_user):
    s = event_setup
    _scored(s)
    api = token_client(gov_user)
    event_url = reverse("sourcingevent-detail", args=[s["event"].pk])
    ranking = api.get(event_url + "ranking/").json()
    assert [(r["vendor"], r["rank"], r["average"]) for r in ranking] == [
        ("Bravo", 1, "78.00"),
        ("Alpha", 2, "76.00"),
        ("Charlie", None, None),
    ]
    blocked = s["candidates"][1]
    services.due_diligence_create(
        actor=gov_user, data={"candidate": blocked, "kind": "soc2", "blocking": True}
    )
    response = api.post(
        event_url + "award/", {"candidate": blocked.pk, "award_rationale": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "SOC 2 report" in response.json()["candidate"][0]
    response = api.post(
        event_url + "award/",
        {"candidate": s["candidates"][0].pk, "award_rationale": "Runner-up clears diligence"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "awarded"
    # Criteria of a draft event: 400 naming ``criteria``.
    draft = services.event_create(actor=gov_user, data={"title": "Second"})
    response = api.post(
        reverse("sourcingevent-detail", args=[draft.pk]) + "criteria/",
        {"criteria": [{"name": "Cost", "weight": "99"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["criteria"] == ["The weights must sum to 100; they sum to 99."]
    response = api.post(
        reverse("score-list"),
        {"proposal": s["proposals"][0].pk, "criterion": s["criteria"][0].pk, "score": 9},
        format="json",
    )
    assert response.status_code == 400 and "score" in response.json()


def test_vendor_user_sees_only_its_proposal_status(event_setup, make_user, client):
    s = event_setup
    _scored(s)
    rep = make_user(roles.VENDOR_USER, vendor=s["vendors"][0])
    api = token_client(rep)
    proposals = api.get(reverse("proposal-list")).json()["results"]
    assert [(p["id"], p["status"]) for p in proposals] == [
        (s["proposals"][0].pk, "under_evaluation")
    ]
    for name in ("sourcingevent-list", "score-list", "candidate-list", "criterion-list"):
        assert api.get(reverse(name)).json()["results"] == [], name
    assert api.get(reverse("sourcingevent-detail", args=[s["event"].pk])).status_code == 404
    assert api.get(reverse("proposal-detail", args=[s["proposals"][1].pk])).status_code == 404
    client.force_login(rep)
    assert client.get(s["event"].get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("sourcing:sourcingevent_comparison", args=[s["event"].pk])).status_code
        == 404
    )


def test_event_list_query_count_is_constant(
    event_setup, gov_user, gov_client, django_assert_max_num_queries
):
    for n in range(5):
        services.event_create(actor=gov_user, data={"title": f"RFP {n}"})
    with django_assert_max_num_queries(12):
        assert gov_client.get(reverse("sourcing:sourcingevent_list")).status_code == 200
    api = token_client(gov_user)
    with django_assert_max_num_queries(8):
        assert api.get(reverse("sourcingevent-list")).status_code == 200


def test_proposal_document_upload_and_refusal(event_setup, gov_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = event_setup
    api = token_client(gov_user)
    url = reverse("proposal-detail", args=[s["proposals"][0].pk])
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = api.patch(url, {"document": bad}, format="multipart")
    assert response.status_code == 400
    assert "not accepted" in response.json()["document"][0]
    good = SimpleUploadedFile("offer.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = api.patch(url, {"document": good}, format="multipart")
    assert response.status_code == 200, response.content
    assert "offer" in response.json()["document"]


def test_global_search_finds_events_for_the_office_only(event_setup, gov_client, make_user, client):
    text = gov_client.get(reverse("search"), {"q": "Service desk"}).content.decode()
    assert "Service desk RFP" in text
    rep = make_user(roles.VENDOR_USER, vendor=event_setup["vendors"][0])
    client.force_login(rep)
    assert (
        "Service desk RFP"
        not in client.get(reverse("search"), {"q": "Service desk"}).content.decode()
    )


def test_executive_reads_but_may_not_write(event_setup, executive):
    s = event_setup
    api = token_client(executive)
    url = reverse("sourcingevent-detail", args=[s["event"].pk])
    assert api.get(url).status_code == 200
    response = api.post(
        url + "award/", {"candidate": s["candidates"][0].pk, "award_rationale": "x"}, format="json"
    )
    assert response.status_code == 403
    assert api.patch(url, {"title": "Mine"}, format="json").status_code == 403
    assert api.get(reverse("sourcingevent-detail", args=[999999])).status_code == 404
    s["event"].refresh_from_db()
    assert (s["event"].status, s["event"].title) == ("open", "Service desk RFP")


def test_api_lists_have_a_constant_number_of_queries(
    event_setup, gov_user, django_assert_max_num_queries
):
    s = event_setup
    give(s, s["ann"], 0, [4, 3, 5])
    services.due_diligence_create(
        actor=gov_user, data={"candidate": s["candidates"][0], "kind": "financials"}
    )
    api = token_client(s["ann"])
    names = ("proposal-list", "score-list", "candidate-list", "duediligenceitem-list")
    counts = {}
    for name in names:
        with django_assert_max_num_queries(10) as few:
            assert api.get(reverse(name)).status_code == 200
        counts[name] = len(few.captured_queries)
    # More rows of every kind: the same number of queries.
    give(s, s["ann"], 1, [4, 3, 5])
    give(s, s["ann"], 2, [1, 1, 1])
    for candidate in s["candidates"]:
        services.due_diligence_create(
            actor=gov_user, data={"candidate": candidate, "kind": "references"}
        )
    for name in names:
        with django_assert_max_num_queries(counts[name], info=name):
            assert api.get(reverse(name)).status_code == 200


def test_a_due_diligence_item_saved_on_a_page_returns_to_its_event(event_setup, gov_client):
    """The form view's ``return_to = "candidate.event"`` follows the path to the event."""
    s = event_setup
    candidate = s["candidates"][0]
    response = gov_client.post(
        reverse("sourcing:duediligenceitem_add"),
        {"candidate": candidate.pk, "kind": "references", "status": "open", "note": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == s["event"].get_absolute_url()
    assert candidate.due_diligence.filter(kind="references").exists()
