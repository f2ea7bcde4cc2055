"""The slas pages: lists, detail, forms, workflow forms, scorecards and credits, by role.

Scorecard colours and credit sums are checked against hand-made Results and
Breaches (see each test), query counts against growing data.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from slas.evaluation import evaluate
from slas.models import Breach, BreachTransition, Measurement, Result
from tests.factories import ContractFactory, SLAFactory
from tests.slas.test_ingestion import build_world


@pytest.fixture
def w(db):
    return build_world()


def login(client, user):
    client.force_login(user)
    return client


def seed(w):
    """SLA a: Jan 99.2 (breached), Feb 99.6 (at risk), Mar 99.9 (met); SLA b: Jan 98 (breached)."""
    for sla, values in ((w.a, ("99.2", "99.6", "99.9")), (w.b, ("98",))):
        for month, value in enumerate(values, start=1):
            Measurement.objects.create(sla=sla, date=dt.date(2026, month, 1), value=D(value))
    evaluate(today=dt.date(2030, 1, 1))


LIST_PAGES = [
    "slas:sla_list",
    "slas:measurement_list",
    "slas:breach_list",
    "slas:credit_list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("who", ["gov", "ma", "exe", "aud", "ua"])
def test_list_pages_render_for_every_role(client, w, name, who):
    seed(w)
    r = login(client, getattr(w, who)).get(reverse(name))
    assert r.status_code == 200
    html = r.content.decode()
    if who == "ua":  # a vendor representative never sees another vendor
        assert "Globex" not in html and "Uptime" not in html


def test_anonymous_is_sent_to_login(client, w):
    r = client.get(reverse("slas:sla_list"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_use_constant_queries(client, w, name, django_assert_max_num_queries):
    seed(w)
    login(client, w.gov)
    client.get(reverse(name))  # warm caches (content types, session)
    for n in range(8):
        sla = SLAFactory(contract=w.ca, name=f"Extra {n}", effective_from=dt.date(2025, 1, 1))
        Measurement.objects.create(sla=sla, date=dt.date(2026, 1, 1), value=D("90"))
    evaluate(today=dt.date(2030, 1, 1))
    with django_assert_max_num_queries(20):
        assert client.get(reverse(name)).status_code == 200


def test_sla_list_filters(client, w):
    seed(w)
    login(client, w.gov)
    html = client.get(reverse("slas:sla_list"), {"status": "breached"}).content.decode()
    assert ">Uptime</a>" in html and ">Availability</a>" not in html
    html = client.get(reverse("slas:sla_list"), {"vendor": w.va.pk}).content.decode()
    assert ">Availability</a>" in html and ">Uptime</a>" not in html


def test_sla_detail_explains_a_period(client, w, django_assert_max_num_queries):
    seed(w)
    Measurement.objects.create(sla=w.a, date=dt.date(2026, 2, 15), value=D("99.8"))
    evaluate(sla_ids=[w.a.pk], today=dt.date(2030, 1, 1))  # Feb: mean(99.6, 99.8) = 99.7
    login(client, w.ua)
    with django_assert_max_num_queries(25):
        r = client.get(w.a.get_absolute_url(), {"period": "2026-02-10"})
    html = r.content.decode()
    why = html[html.index('id="why"') : html.index("Results (")]
    assert "2026-02-01 – 2026-02-28" in why
    assert "Mean of 2 measurements = <strong>99.7</strong>" in why
    assert "Target used</dt><dd>99.5" in why and "Warning level used</dt><dd>99.8" in why
    assert "2026-02-15" in why and "2026-01-01" not in why
    assert "<svg" in html  # the trend chart
    assert client.get(w.b.get_absolute_url()).status_code == 404


def test_sla_forms_by_role(client, w):
    login(client, w.gov)
    data = {
        "contract": w.ca.pk,
        "name": "CSAT",
        "kind": "kpi",
        "category": "satisfaction",
        "focus": "outcome",
        "unit": "score",
        "direction": "higher_is_better",
        "target": "4.2",
        "period": "quarterly",
        "aggregation": "mean",
        "allocation_percent": "10",
        "effective_from": "2026-01-01",
    }
    r = client.post(reverse("slas:sla_add"), data)
    assert r.status_code == 200  # a KPI carries no allocation: form error, nothing written
    assert "A KPI carries no service credit" in r.content.decode()
    r = client.post(reverse("slas:sla_add"), {**data, "allocation_percent": "0"})
    assert r.status_code == 302
    client.force_login(w.exe)
    assert client.get(reverse("slas:sla_add")).status_code == 403
    assert client.get(reverse("slas:sla_edit", args=[w.a.pk])).status_code == 403
    client.force_login(w.ua)
    assert client.get(reverse("slas:sla_edit", args=[w.b.pk])).status_code == 404


def test_manual_measurement_form(client, w):
    login(client, w.ua)
    url = reverse("slas:measurement_add")
    r = client.post(url, {"sla": w.a.pk, "date": "2024-01-01", "value": "99"})
    assert r.status_code == 200
    assert "outside the SLA&#x27;s effective window" in r.content.decode()
    r = client.post(url, {"sla": w.b.pk, "date": "2026-01-01", "value": "99"})
    assert r.status_code == 200 and not Measurement.objects.exists()  # not offered to ua
    r = client.post(url, {"sla": w.a.pk, "date": "2026-01-01", "value": "99", "note": "n"})
    assert r.status_code == 302
    r = client.post(url, {"sla": w.a.pk, "date": "2026-01-01", "value": "98"})
    assert r.status_code == 302  # same key again: replaced, not an error
    m = Measurement.objects.get()
    assert (m.value, m.source, m.recorded_by) == (D("98"), "manual", w.ua)
    assert client.get(m.get_absolute_url()).status_code == 200
    assert client.get(m.history_url).status_code == 200
    client.force_login(w.exe)
    assert client.get(url).status_code == 403


def test_breach_page_and_workflow_forms(client, w):
    seed(w)
    b = Breach.objects.get(sla=w.a)
    login(client, w.ma)
    html = client.get(b.get_absolute_url()).content.decode()
    assert "workflow-acknowledge" in html and "workflow-remediate" in html
    assert "workflow-waive" not in html  # the vendor manager may not waive
    url = reverse("slas:breach_transition", args=[b.pk, "remediate"])
    r = client.post(url, {"remediate-root_cause": "Disk", "remediate-corrective_action": ""})
    assert r.status_code == 400
    assert "This field is required." in r.content.decode()
    r = client.post(
        url,
        {
            "remediate-root_cause": "Disk",
            "remediate-corrective_action": "Replace",
            "remediate-remediation_owner": "Ops",
            "remediate-remediation_due": "2026-03-31",
        },
    )
    assert r.status_code == 302
    b.refresh_from_db()
    assert (b.status, b.root_cause) == ("remediating", "Disk")
    r = client.post(reverse("slas:breach_transition", args=[b.pk, "acknowledge"]), {})
    assert r.status_code == 400 and "Cannot acknowledge" in r.content.decode()
    assert (
        client.post(
            reverse("slas:breach_transition", args=[b.pk, "waive"]), {"waive-reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(w.gov)
    r = client.post(reverse("slas:breach_transition", args=[b.pk, "waive"]), {"waive-reason": ""})
    assert r.status_code == 400
    r = client.post(
        reverse("slas:breach_transition", args=[b.pk, "waive"]), {"waive-reason": "JSC"}
    )
    assert r.status_code == 302
    assert BreachTransition.objects.filter(breach=b).count() == 2
    client.force_login(w.ua)
    assert client.get(b.get_absolute_url()).status_code == 200
    assert "workflow-" not in client.get(b.get_absolute_url()).content.decode()
    assert (
        client.post(reverse("slas:breach_transition", args=[b.pk, "reopen"]), {}).status_code == 403
    )
    other = Breach.objects.get(sla=w.b)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("slas:breach_transition", args=[other.pk, "acknowledge"])).status_code
        == 404
    )


def _cells(html: str, sla_id: int) -> list[str]:
    row = re.search(rf'<tr data-sla="{sla_id}">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r'class="cell(?: empty)?"(?: data-status="(\w+)")?', row)


def test_contract_scorecard_cells_and_allocation(client, w, django_assert_max_num_queries):
    """Hand-made results for SLA a: 14 monthly periods; the last 12 are shown, oldest first."""
    statuses = ["met", "breached"] + ["met", "at_risk", "breached", "met"] * 3
    for i, status in enumerate(statuses):
        start = dt.date(2025 + (i // 12), i % 12 + 1, 1)
        Result.objects.create(
            sla=w.a,
            period_start=start,
            period_end=start + dt.timedelta(days=27),
            actual=D("99.6"),
            status=status,
            target=D("99.5"),
        )
    SLAFactory(contract=w.ca, name="Second", allocation_percent=D("90"))  # 20 + 90 = 110 %
    login(client, w.gov)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("slas:contract_scorecard", args=[w.ca.pk]))
    html = r.content.decode()
    assert _cells(html, w.a.pk) == statuses[2:]
    assert len(_cells(html, w.a.pk)) == 12
    assert "allocate 110 % of the at-risk pool" in html
    assert html.count("<svg") >= 2
    client.force_login(w.ub)
    assert client.get(reverse("slas:contract_scorecard", args=[w.ca.pk])).status_code == 404


def test_vendor_scorecard_pads_missing_periods(client, w):
    Result.objects.create(
        sla=w.a,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        actual=D("99"),
        status="breached",
        target=D("99.5"),
    )
    login(client, w.ua)
    html = client.get(reverse("slas:vendor_scorecard", args=[w.va.pk])).content.decode()
    assert _cells(html, w.a.pk) == [""] * 11 + ["breached"]
    assert client.get(reverse("slas:vendor_scorecard", args=[w.vb.pk])).status_code == 404


def test_credit_page_sums_by_contract_and_month(client, w):
    """Contract A: at-risk 1,000.00. Three SLAs at 50 %, 40 %, 30 % breached in Jan 2026.

    Uncapped 500 + 400 + 300 = 1,200.00 > cap 1,000.00, so the shares are
    1000 × 500/1200 = 416.67, 1000 × 400/1200 = 333.33, 1000 × 300/1200 = 250.00
    (sum 1,000.00 exactly). A fourth SLA (20 %, 200.00) is waived: no credit, shown as waived.
    """
    slas = [
        SLAFactory(contract=w.ca, name=f"S{p}", allocation_percent=D(p), target=D("99.5"))
        for p in ("50", "40", "30")
    ]
    for sla in [*slas, w.a]:
        Measurement.objects.create(sla=sla, date=dt.date(2026, 1, 1), value=D("90"))
    evaluate(today=dt.date(2030, 1, 1))
    from slas.services import breach_waive

    breach_waive(breach=Breach.objects.get(sla=w.a), actor=w.gov, reason="JSC")
    credits = dict(Breach.objects.filter(sla__in=slas).values_list("sla__name", "credit"))
    assert credits == {"S50": D("416.67"), "S40": D("333.33"), "S30": D("250.00")}
    other = ContractFactory(vendor=w.vb, monthly_charge=D("5000"), at_risk_percent=D("10"))
    o = SLAFactory(contract=other, allocation_percent=D("50"))
    Measurement.objects.create(sla=o, date=dt.date(2026, 2, 1), value=D("1"))
    evaluate(sla_ids=[o.pk], today=dt.date(2030, 1, 1))
    login(client, w.gov)
    r = client.get(reverse("slas:credit_list"), {"contract": w.ca.pk})
    row = r.context["rows"][0]
    assert (row["month"], row["breaches"]) == (dt.date(2026, 1, 1), 4)
    assert (row["credits_uncapped"], row["at_risk_amount"], row["credits_due"]) == (
        D("1200.00"), D("1000.00"), D("1000.00"),
    )  # fmt: skip
    assert (row["credits_waived"], row["credits_earned_back"], row["net_credit"]) == (
        D("200.00"), D("0.00"), D("1000.00"),
    )  # fmt: skip
    assert row["capped"] is True
    assert len(r.context["rows"]) == 1
    r = client.get(reverse("slas:credit_list"), {"month": "2026-02"})
    assert [(x["reference"], x["credits_due"], x["at_risk_amount"]) for x in r.context["rows"]] == [
        (other.reference, D("250.00"), D("500.00"))
    ]
    client.force_login(w.ua)
    r = client.get(reverse("slas:credit_list"))
    assert [x["reference"] for x in r.context["rows"]] == ["A-1"]


def test_dashboard_panels(client, w):
    seed(w)
    login(client, w.ua)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Open breaches" in html and "SLAs trending to breach" in html
    assert "Uptime" not in html


@pytest.mark.parametrize("year", ["1e30", "2.5", "-1", "0", "99999", "abc"])
def test_credit_page_answers_a_bad_year_with_a_form_error(client, w, year):
    login(client, w.gov)
    r = client.get(reverse("slas:credit_list"), {"year": year})
    assert r.status_code == 200
    assert "year" in r.context["filter"].errors
