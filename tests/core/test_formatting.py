"""How numbers read on pages: core.formatting, its template filters, the detail cards."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.urls import reverse

from contracts.models import Contract
from core import formatting
from slas.models import SLA, Breach
from tests.factories import SLAFactory, SpendRecordFactory


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("99.900000"), "99.9"),
        (D("120.000000"), "120"),  # normalize() alone gives 1.2E+2
        (D("0.000000"), "0"),
        (D("-0.000000"), "0"),
        (D("0.000100"), "0.0001"),
        (D("-2.500000"), "-2.5"),
        (7, "7"),
        (2.25, "2.25"),
    ],
)
def test_plain_number_drops_trailing_zeros_and_never_uses_an_exponent(value, text):
    assert formatting.plain_number(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("108000"), "108,000.00"),
        (D("2992.5"), "2,992.50"),
        (D("12.3"), "12.30"),
        (3, "3.00"),
        (D("-1234567.006"), "-1,234,567.01"),
        (D("0"), "0.00"),
        (D("-0.001"), "0.00"),
    ],
)
def test_money_has_two_decimals_and_grouped_thousands(value, text):
    assert formatting.money(value) == text


def test_money_with_currency_number_and_percent():
    assert formatting.money(D("12000"), "EUR") == "12,000.00 EUR"
    assert formatting.number(D("1234567.500000")) == "1,234,567.5"
    assert formatting.number(D("99.900000")) == "99.9"
    assert formatting.number(D("1234.56"), 0) == "1,235"
    assert formatting.number(D("-0.4"), 0) == "0"
    assert formatting.percent(D("12.50")) == "12.5\u202f%"


def test_dates_read_iso_and_times_in_the_office_zone(settings):
    import datetime as dt

    from django.utils import timezone

    settings.TIME_ZONE = "Europe/Paris"
    moment = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
    with timezone.override("Europe/Paris"):
        assert formatting.iso_datetime(moment) == "2026-12-04 10:30 CET"
        assert formatting.iso_date(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == "2027-01-01"
    assert formatting.iso_date(dt.date(2027, 3, 31)) == "2027-03-31"
    assert formatting.display(None) == ""
    assert formatting.display(True) == "yes"


def test_django_prints_dates_iso_everywhere():
    import datetime as dt

    rendered = Template("{{ d }} {{ d|date }} {{ d|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"d": dt.date(2027, 3, 31)})
    )
    assert rendered == "2027-03-31 2027-03-31 2027-03-31"


@pytest.mark.parametrize(
    ("value", "reference", "text"),
    [
        (D("87.087333"), D("90.000000"), "87.1"),  # the dashboard's BHP tickets SLA
        (D("99.846700"), D("99.900000"), "99.85"),
        (D("99.944000"), D("99.950000"), "99.944"),
        (D("87.000000"), D("90.000000"), "87"),
        (D("4.999900"), D("5"), "5"),
    ],
)
def test_rounded_like_keeps_one_place_more_than_the_reference(value, reference, text):
    assert formatting.rounded_like(value, reference=reference) == text


def test_field_value_keeps_cents_on_money_and_drops_padding_elsewhere():
    credit = Breach._meta.get_field("credit")
    target = SLA._meta.get_field("target")
    at_risk = Contract._meta.get_field("at_risk_percent")
    assert formatting.is_money_field(credit)
    assert formatting.is_money_field(Contract._meta.get_field("monthly_charge"))
    assert not formatting.is_money_field(target)
    assert not formatting.is_money_field(at_risk)
    assert formatting.field_value(credit, D("2200")) == "2,200.00"
    assert formatting.field_value(target, D("99.900000")) == "99.9"
    assert formatting.field_value(at_risk, D("12.50")) == "12.5"
    assert formatting.field_value(target, None) is None
    assert formatting.field_value(target, "text") == "text"


def test_template_filters():
    template = Template(
        "{% load formatting %}[{{ a|plain_number }}] [{{ b|money }}] [{{ c|plain_number }}] "
        "[{{ d|money }}] [{{ e|plain_number }}]"
    )
    context = Context({"a": D("120.000000"), "b": D("5"), "c": None, "d": "", "e": "n/a"})
    assert template.render(context) == "[120] [5.00] [None] [] [n/a]"


@pytest.mark.django_db
def test_detail_cards_show_decimals_without_padding_and_money_with_cents(gov_client):
    sla = SLAFactory(target=D("120"), allocation_percent=D("12.5"))
    spend = SpendRecordFactory(contract=sla.contract, amount=D("98000"))

    page = gov_client.get(reverse("slas:sla_detail", args=[sla.pk]))
    fields = dict(page.context["fields"])
    assert (fields["Target"], fields["Allocation percent"]) == ("120", "12.5")
    html = page.content.decode()
    assert "<dd>120</dd>" in html and "120.000000" not in html

    page = gov_client.get(reverse("contracts:spendrecord_detail", args=[spend.pk]))
    assert dict(page.context["fields"])["Amount"] == "98,000.00"
    html = page.content.decode()
    assert "<dd>98,000.00</dd>" in html
