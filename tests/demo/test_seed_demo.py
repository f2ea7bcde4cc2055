"""``manage.py seed_demo``: idempotent, deterministic, and the portfolio tells its stories."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from contracts.models import Contract, SpendRecord
from core import roles
from demo.seed import seed
from slas.models import SLA, Breach, Measurement, Result
from vendors.models import Certification, Contact, Vendor

pytestmark = pytest.mark.django_db
User = get_user_model()
TODAY = date.today()


def counts() -> dict[str, int]:
    """Rows of every model of our apps, plus users."""
    labels = ("core", "vendors", "contracts", "slas")
    return {
        model._meta.label: model._default_manager.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
        if model._meta.label != "core.TaskRun"
    }


def run_command(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    seed(today=TODAY)


# --- idempotence -------------------------------------------------------------------


def test_second_run_duplicates_nothing_and_changes_no_value():
    first_output = run_command()
    first = counts()
    snapshot = list(Measurement.objects.order_by("sla_id", "date").values_list("value", flat=True))
    breaches = list(Breach.objects.order_by("sla_id", "period_start").values("credit", "status"))

    second_output = run_command()

    assert counts() == first
    # Twelve in the portfolio, and the two losing candidates of the sourcing event.
    assert first["vendors.Vendor"] == 14
    assert not Measurement.objects.values("sla", "date").annotate(n=Count("id")).filter(n__gt=1)
    assert snapshot == list(
        Measurement.objects.order_by("sla_id", "date").values_list("value", flat=True)
    )
    assert breaches == list(
        Breach.objects.order_by("sla_id", "period_start").values("credit", "status")
    )
    assert "Demo portfolio" in first_output
    assert "0 rows created, 0 updated" in second_output


def test_seed_on_another_day_refreshes_dates_without_duplicates():
    """Run at month end of a leap year, then today: same vendors, contracts, SLAs."""
    seed(today=date(2028, 3, 31))
    before = {k: v for k, v in counts().items() if k != "slas.Measurement"}
    seed(today=TODAY)
    after = counts()
    for label in ("vendors.Vendor", "contracts.Contract", "slas.SLA", "core.User"):
        assert after[label] == before[label]
    assert not Measurement.objects.values("sla", "date").annotate(n=Count("id")).filter(n__gt=1)


def test_bad_today_is_a_clear_command_error():
    with pytest.raises(CommandError, match="--today"):
        run_command("--today", "2026-13-01")
    assert Vendor.objects.count() == 0


# --- the promised portfolio -------------------------------------------------------


def test_users_one_per_role_who_can_sign_in(seeded, client):
    expected = {
        "demo-admin": roles.ADMIN,
        "demo-governance": roles.GOVERNANCE_OFFICE,
        "demo-manager": roles.VENDOR_MANAGER,
        "demo-executive": roles.EXECUTIVE,
        "demo-auditor": roles.AUDITOR,
        "demo-vendor": roles.VENDOR_USER,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert roles.role_of(user) == role
        assert user.check_password("covenant-demo")
    assert User.objects.get(username="demo-vendor").vendor.name == "Northwind BPO"
    owned = Vendor.objects.filter(relationship_owner__username="demo-manager")
    assert owned.count() == 3
    assert client.login(username="demo-governance", password="covenant-demo")


def test_vendors_span_tiers_types_statuses_and_countries(seeded):
    vendors = Vendor.objects.all()
    assert vendors.count() >= 12
    assert set(vendors.values_list("tier", flat=True)) == {1, 2, 3, 4}
    assert set(vendors.values_list("service_type", flat=True)) == {"bpo", "ito", "both"}
    statuses = list(vendors.values_list("status", flat=True))
    assert statuses.count("active") >= 8
    for status in ("onboarding", "exiting", "prospect"):
        assert statuses.count(status) == 1
    assert {"India", "Philippines", "Poland", "Ireland", "Portugal", "Mexico", "South Africa",
            "Romania"} <= set(vendors.values_list("country", flat=True))  # fmt: skip
    sub = Vendor.objects.get(name="Manila Digital Works")
    assert sub.parent.name == "Luzon Contact Solutions"
    assert not vendors.filter(tier_reason="").exists()


def test_certifications_expired_and_expiring_relative_to_today(seeded):
    states = defaultdict(list)
    for cert in Certification.objects.all():
        states[cert.expiry_state(TODAY)].append(cert)
    assert len(states["expired"]) >= 3
    assert len(states["expiring"]) >= 3
    assert {c.kind for c in Certification.objects.all()} >= {
        "iso27001", "soc2_type2", "cmmi", "pci_dss", "iso9001", "hipaa"
    }  # fmt: skip
    assert set(Certification.objects.filter(kind="cmmi").values_list("cmmi_level", flat=True)) == {
        3,
        5,
    }


def test_contacts_form_a_communication_matrix(seeded):
    northwind = Contact.objects.filter(vendor__name="Northwind BPO")
    pairs = set(northwind.values_list("side", "level"))
    assert pairs == {
        (side, level)
        for side in ("client", "vendor")
        for level in ("operational", "tactical", "strategic")
    }


def test_contracts_money_renewals_and_notice_deadlines(seeded):
    contracts = Contract.objects.all()
    assert set(contracts.values_list("contract_type", flat=True)) == {"msa", "sow"}
    assert contracts.filter(parent__isnull=False, contract_type="sow").count() >= 3
    assert contracts.filter(status="expired").count() == 1
    assert contracts.filter(status="draft").count() == 1
    assert set(contracts.values_list("renewal", flat=True)) == {"none", "automatic", "by_agreement"}
    charged = contracts.exclude(monthly_charge=0)
    for contract in charged:
        assert Decimal("40000") <= contract.monthly_charge <= Decimal("900000")
        assert Decimal("8") <= contract.at_risk_percent <= Decimal("15")
        assert Decimal("10") <= contract.target_savings_percent <= Decimal("30")
        assert contract.baseline_annual_cost > contract.monthly_charge * 12
    assert set(charged.values_list("currency", flat=True)) == {"EUR", "USD"}
    assert set(charged.values_list("earn_back_periods", flat=True)) == {0, 2, 3}
    soon = contracts.filter(
        status="active", notice_deadline__gte=TODAY, notice_deadline__lte=TODAY + timedelta(90)
    )
    assert soon.count() >= 3
    # NWB-MSA-2024: term ends at the month end 130 days ahead, 90 days' notice.
    msa = Contract.objects.get(reference="NWB-MSA-2024")
    assert msa.notice_deadline == msa.end_date - timedelta(days=90)


def test_obligations_change_requests_exit_plans_and_spend(seeded):
    from contracts.models import ChangeRequest, ExitPlan, Obligation

    overdue = [o for o in Obligation.objects.all() if o.is_overdue(TODAY)]
    assert len(overdue) >= 5
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == {
        "proposed", "assessed", "approved", "rejected", "implemented"
    }  # fmt: skip
    tier_one = set(Vendor.objects.filter(tier=1).values_list("pk", flat=True))
    planned = set(ExitPlan.objects.values_list("contract__vendor", flat=True))
    assert tier_one <= planned
    assert all(plan.steps.count() == 5 for plan in ExitPlan.objects.all())
    # 18 months of spend for a contract running all that time, one row per month.
    spend = SpendRecord.objects.filter(contract__reference="MER-MSA-2023")
    assert spend.count() == 18
    assert spend.values("month").distinct().count() == 18


def test_slas_allocations_periods_and_pairs(seeded):
    per_contract = SLA.objects.values("contract").annotate(total=Sum("allocation_percent"))
    assert all(row["total"] <= 100 for row in per_contract)
    assert not SLA.objects.filter(kind="kpi").exclude(allocation_percent=0).exists()
    periods = list(SLA.objects.values_list("period", flat=True))
    assert periods.count("daily") == 1
    assert periods.count("quarterly") == 1
    assert periods.count("weekly") >= 2
    assert periods.count("monthly") > len(periods) / 2
    names = set(SLA.objects.values_list("name", flat=True))
    for name in ("Transactions processed per hour", "Cost per transaction", "Processing accuracy",
                 "Customer complaints", "Improvement ideas implemented",
                 "Share of processes automated", "Service availability", "P1 response time",
                 "P1 resolution time", "Customer satisfaction (CSAT)", "First-contact resolution",
                 "Ticket backlog"):  # fmt: skip
        assert name in names
    assert SLA.objects.filter(direction="lower_is_better", name="P1 response time").exists()


def test_measurements_cover_18_months_ending_yesterday(seeded):
    daily = SLA.objects.get(period="daily")
    dates = list(daily.measurements.order_by("date").values_list("date", flat=True))
    assert dates[-1] == TODAY - timedelta(days=1)
    assert dates[0].day == 1
    assert len(dates) == (dates[-1] - dates[0]).days + 1  # every day, no gap
    monthly = SLA.objects.get(contract__reference="MER-MSA-2023", name="Service availability")
    firsts = list(monthly.measurements.values_list("date", flat=True))
    assert len(firsts) == 18 and {d.day for d in firsts} == {1}
    assert max(firsts) < TODAY.replace(day=1)
    # Nothing outside an SLA's window: the draft contract's SLA has no data yet.
    assert not Measurement.objects.filter(sla__contract__status="draft").exists()


# --- evaluated: breaches, streaks, the cap, earn-back ------------------------------


def test_breaches_including_a_critical_one(seeded):
    assert Breach.objects.filter(severity="major").exists()
    critical = Breach.objects.get(
        sla__contract__reference="NWB-SOW-01", sla__name="Processing accuracy", severity="critical"
    )
    assert critical.actual == Decimal("98.62")
    # Credit of a breach: at-risk amount 420,000 × 12 % = 50,400; × 30 % = 15,120.00.
    assert critical.credit_uncapped == Decimal("15120.00")


def test_an_at_risk_streak_of_three_months(seeded):
    csat = SLA.objects.get(contract__reference="LCS-MSA-2024", name="Customer satisfaction (CSAT)")
    statuses = list(csat.results.order_by("period_start").values_list("status", flat=True))
    assert "at_risk,at_risk,at_risk" in ",".join(statuses)


def test_a_contract_month_where_the_cap_bites(seeded):
    months = (
        Breach.objects.filter(sla__kind="sla")
        .exclude(status__in=["waived", "withdrawn"])
        .values("sla__contract", "credit_month")
        .annotate(uncapped=Sum("credit_uncapped"), capped=Sum("credit"))
    )
    bitten = []
    for row in months:
        contract = Contract.objects.get(pk=row["sla__contract"])
        if row["uncapped"] > contract.at_risk_amount:
            assert row["capped"] == contract.at_risk_amount
            bitten.append(contract.reference)
    assert "MER-MSA-2023" in bitten
    # Meridian, month −5: availability (25 %) + ≥ 4 weekly backlog breaches (20 % each)
    # + 2 nightly batch breaches (15 % each) ≥ 135 % of 108,000.00 USD.
    month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    for _ in range(4):
        month = (month - timedelta(days=1)).replace(day=1)
    cap_month = Breach.objects.filter(
        sla__contract__reference="MER-MSA-2023", credit_month=month
    ).aggregate(uncapped=Sum("credit_uncapped"), capped=Sum("credit"))
    assert cap_month["uncapped"] >= Decimal("145800.00")
    assert cap_month["capped"] == Decimal("108000.00")


def test_earn_back_earned_not_earned_and_pending(seeded):
    fcr = SLA.objects.get(contract__reference="LCS-MSA-2024", name="First-contact resolution")
    states = list(fcr.breaches.order_by("period_start").values_list("earn_back", flat=True))
    assert states == ["earned_back", "not_earned", "pending"]
    liffey = Breach.objects.get(
        sla__contract__reference="LCO-MSA-2024", sla__name="Service availability"
    )
    assert liffey.earn_back == "earned_back"
    assert liffey.credit == Decimal("4500.00")  # 150,000 × 10 % × 30 %, shown though earned back
    assert not Breach.objects.filter(sla__kind="kpi").exclude(credit=0).exists()
    assert Result.objects.filter(sla__kind="kpi").exists()


def test_past_breaches_went_through_the_workflow(seeded):
    resolved = Breach.objects.filter(status="resolved", sla__kind="sla")
    assert resolved.count() >= 10
    assert not resolved.filter(root_cause="").exists()
    assert all(b.transitions.count() == 2 for b in resolved)  # → remediating → resolved
    waived = Breach.objects.get(status="waived")
    assert waived.sla.name == "Month-end close support"
    assert waived.waiver_reason and waived.credit == 0
    assert Breach.objects.filter(status="remediating").exists()
    assert Breach.objects.filter(status="acknowledged", sla__kind="sla").exists()
    # The last three months are left for the office to handle.
    assert Breach.objects.filter(status="open", sla__kind="sla").count() >= 4
