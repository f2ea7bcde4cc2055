"""Vendor 360, global search, the dashboard, error pages and the fixes of issue #14."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import roles
from slas.models import SLA
from tests.factories import ContractFactory, SLAFactory, VendorFactory
from vendors import vendor360

pytestmark = pytest.mark.django_db


def test_every_vendor_360_tab_answers_whole_and_as_an_htmx_panel(signed_in, make_portfolio):
    breach = make_portfolio(1, prefix="Acme")[0]
    vendor = breach.sla.contract.vendor
    client = signed_in()
    url = vendor.get_absolute_url()
    for key, _label in vendor360.TABS:
        page = client.get(url, {"tab": key})
        assert page.status_code == 200, key
        html = page.content.decode()
        assert 'role="tablist"' in html and 'aria-selected="true" tabindex="0"' in html
        panel = client.get(url, {"tab": key}, HTTP_HX_REQUEST="true")
        assert panel.status_code == 200, key
        assert "<html" not in panel.content.decode(), key  # just the panel
    breaches = client.get(url, {"tab": "breaches"}, HTTP_HX_REQUEST="true").content.decode()
    assert breach.sla.contract.reference in breaches
    contracts = client.get(url, {"tab": "contracts"}, HTTP_HX_REQUEST="true").content.decode()
    assert f"/contracts/contracts/add/?vendor={vendor.pk}" in contracts  # "Add contract"


def test_vendor_360_hides_internal_tabs_from_the_vendors_representative(signed_in):
    vendor = VendorFactory(name="Acme")
    client = signed_in(roles.VENDOR_USER, vendor=vendor)
    html = client.get(vendor.get_absolute_url(), {"tab": "history"}).content.decode()
    assert 'id="tab-history"' not in html and 'id="tab-risks"' not in html
    overview = 'id="tab-overview" href="?tab=overview" aria-controls="tabpanel"'
    assert overview in html


def test_vendor_360_uses_a_constant_number_of_queries(
    signed_in, make_portfolio, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in()
    counts = {}
    for n in (1, 5):
        breaches = make_portfolio(n, prefix=f"P{n}-")
        vendor = breaches[0].sla.contract.vendor
        # Give the first vendor n contracts and SLAs more.
        for i in range(n):
            SLAFactory(contract=ContractFactory(vendor=vendor, reference=f"P{n}-X{i}"))
        for key, _ in vendor360.TABS:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(vendor.get_absolute_url(), {"tab": key}).status_code == 200
            counts[(n, key)] = len(ctx.captured_queries)
    for key, _ in vendor360.TABS:
        assert counts[(1, key)] == counts[(5, key)], (key, counts[(1, key)], counts[(5, key)])


def test_global_search_groups_results_by_kind_and_keeps_scope(signed_in, make_portfolio):
    make_portfolio(2, prefix="Zeta")
    other = VendorFactory(name="Zetaplex")
    client = signed_in(roles.VENDOR_USER, vendor=other)
    html = client.get(reverse("search"), {"q": "zeta"}).content.decode()
    assert "Zetaplex" in html
    assert "Zeta0 Corp" not in html and "Zeta-C0" not in html  # another vendor's: unseen
    gov = signed_in()
    page = gov.get(reverse("search"), {"q": "zeta availability"})
    kinds = [g.kind for g in page.context["groups"]]
    assert kinds == ["SLAs", "Breaches"]  # every word must match: no vendor is "availability"
    labels = [h.label for h in page.context["groups"][0].hits]
    assert labels == ["Zeta-C0 — Availability", "Zeta-C1 — Availability"]
    assert page.context["groups"][0].url == "/slas/?search=zeta+availability"


def test_global_search_queries_are_constant_and_short_queries_search_nothing(
    signed_in, make_portfolio, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in()
    counts = []
    for n in (1, 5):
        make_portfolio(n, prefix=f"Q{n}x")
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("search"), {"q": f"Q{n}x"})
        assert len(page.context["groups"]) == 4  # vendors, contracts, SLAs, breaches
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert client.get(reverse("search"), {"q": "a"}).context["groups"] == []


def test_sla_choices_read_contract_reference_and_name(signed_in):
    first = SLAFactory(name="Availability", contract=ContractFactory(reference="MSA-1"))
    SLAFactory(name="Availability", contract=ContractFactory(reference="MSA-2"))
    client = signed_in()
    form = client.get(reverse("slas:measurement_add")).content.decode()
    assert f'<option value="{first.pk}">MSA-1 — Availability</option>' in form
    breaches = client.get(reverse("slas:breach_list")).content.decode()
    assert f'<option value="{first.pk}">MSA-1 — Availability</option>' in breaches


def test_add_measurement_shows_only_to_roles_that_may(signed_in):
    sla = SLAFactory()
    for role, shown in [(roles.GOVERNANCE_OFFICE, True), (roles.AUDITOR, False)]:
        html = signed_in(role).get(sla.get_absolute_url()).content.decode()
        assert ("Add measurement" in html) is shown, role


def test_search_filters_match_the_vendor_name(signed_in, make_portfolio):
    make_portfolio(2, prefix="Kappa")
    client = signed_in()
    for name in ("slas:breach_list", "slas:measurement_list"):
        page = client.get(reverse(name), {"search": "kappa1 corp"})
        assert page.context["table"].paginator.count >= 1, name
        names = {r.record.sla.contract.vendor.name for r in page.context["table"].page.object_list}
        assert names == {"Kappa1 Corp"}, name


def test_contract_page_offers_add_sla_prefilled(signed_in):
    contract = ContractFactory(reference="MSA-9")
    html = signed_in().get(contract.get_absolute_url()).content.decode()
    assert f"/slas/add/?contract={contract.pk}" in html
    form = signed_in().get(reverse("slas:sla_add"), {"contract": contract.pk})
    assert form.context["form"].initial["contract"] == str(contract.pk)
    assert SLA.objects.count() == 0


def test_labels_read_as_people_write_them(signed_in):
    html = signed_in().get(reverse("vendors:certification_list")).content.decode()
    assert "CMMI level" in html and "Cmmi level" not in html


def test_menu_is_disclosure_buttons_with_a_skip_link_and_jobs(signed_in):
    html = signed_in().get(reverse("vendors:vendor_list")).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert 'class="menu-title" aria-expanded="false"' in html
    assert reverse("taskrun_list") in html
    assert 'aria-keyshortcuts="/"' in html


def test_404_page_is_in_the_same_look(signed_in):
    page = signed_in().get("/vendors/vendors/999999/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Page not found" in html and 'class="skip-link"' in html


def test_dashboard_charts_tiles_and_constant_queries(signed_in, make_portfolio):
    """Two breached Januaries of 2026 (98.5 % against 99.5 %), credits of SLA allocation 20 %."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from slas import dashboard
    from slas.models import Breach

    client = signed_in()
    counts = []
    for n, prefix in ((1, "D1-"), (5, "D5-")):
        make_portfolio(n, prefix=prefix)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("dashboard"))
        assert page.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    html = page.content.decode()
    assert 'class="tiles"' in html and 'data-tile="open-breaches-by-severity"' in html
    panel = dashboard.severity_panel(user=page.wsgi_request.user)
    assert panel["count"] == 6 == Breach.objects.count()
    assert {b["label"]: b["value"] for b in panel["bars"]} == {"Major": 6, "Critical": 0}
    attainment = dashboard.attainment_panel(user=page.wsgi_request.user, today=dt.date(2026, 1, 31))
    # Six SLAs, each one evaluated January, all breached: 0 % this month and quarter.
    assert [note for _, _, note in attainment["rows"]] == ["0 %", "0 %"]
    assert timezone.localdate()  # the live panels use today; the figures above are pinned
