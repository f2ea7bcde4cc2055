"""Services: stored notice deadline, the daily job, validation, workflow, spend upsert."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import (
    ChangeRequest,
    Contract,
    ContractReminder,
    ContractRollover,
    SpendRecord,
)
from core import roles
from tests.factories import ChangeRequestFactory, ContractFactory, VendorFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat
# The services roll a tacit renewal over to its current term at once; these
# tests work out deadlines of contracts entered on 1 January 2026.
AS_OF = D("2026-01-01")


def contract_data(vendor, **overrides):
    data = {
        "vendor": vendor,
        "reference": "C-100",
        "title": "Service desk",
        "contract_type": "msa",
        "start_date": D("2024-01-01"),
        "end_date": D("2026-12-31"),
        "renewal": "automatic",
        "renewal_months": 12,
        "notice_days": 90,
        "monthly_charge": Decimal("50000.00"),
        "status": "active",
    }
    return {**data, **overrides}


# --- create / update store the notice deadline ---------------------------------------


def test_create_stores_the_notice_deadline():
    contract = services.contract_create(today=AS_OF, data=contract_data(VendorFactory()))
    contract.refresh_from_db()
    assert contract.notice_deadline == D("2026-10-02")  # 2026-12-31 − 90 days


def test_update_recomputes_the_notice_deadline():
    contract = services.contract_create(today=AS_OF, data=contract_data(VendorFactory()))
    services.contract_update(instance=contract, today=AS_OF, data={"notice_days": 0})
    contract.refresh_from_db()
    assert contract.notice_deadline == D("2026-12-31")
    services.contract_update(instance=contract, today=AS_OF, data={"end_date": D("2027-03-31")})
    contract.refresh_from_db()
    assert contract.notice_deadline == D("2027-03-31")
    services.contract_update(
        instance=contract, today=AS_OF, data={"renewal": "none", "renewal_months": 0}
    )
    contract.refresh_from_db()
    assert contract.notice_deadline is None  # nothing to give notice against


def test_a_notice_deadline_sent_by_the_client_is_ignored():
    contract = services.contract_create(
        today=AS_OF, data=contract_data(VendorFactory(), notice_deadline=D("2020-01-01"))
    )
    assert contract.notice_deadline == D("2026-10-02")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": D("2023-12-31")}, "end_date"),
        ({"monthly_charge": Decimal("-1")}, "monthly_charge"),
        ({"baseline_annual_cost": Decimal("-0.01")}, "baseline_annual_cost"),
        ({"at_risk_percent": Decimal("100.01")}, "at_risk_percent"),
        ({"target_savings_percent": Decimal("-1")}, "target_savings_percent"),
        ({"renewal_months": 0}, "renewal_months"),
    ],
)
def test_invalid_contracts_name_the_field_and_write_nothing(overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.contract_create(today=AS_OF, data=contract_data(VendorFactory(), **overrides))
    assert field in exc.value.message_dict
    assert not Contract.objects.filter(reference="C-100").exists()


def test_sow_parent_must_be_an_msa_of_the_same_vendor():
    vendor, other = VendorFactory(), VendorFactory()
    msa = ContractFactory(vendor=vendor, contract_type="msa")
    sow = services.contract_create(
        today=AS_OF, data=contract_data(vendor, reference="SOW-1", contract_type="sow", parent=msa)
    )
    assert sow.parent == msa
    amendment = services.contract_create(
        today=AS_OF,
        data=contract_data(vendor, reference="AM-1", contract_type="amendment", parent=msa),
    )
    assert amendment.parent == msa
    refused = [
        ({"contract_type": "sow", "parent": sow}, "must be an MSA"),
        ({"contract_type": "sow", "parent": ContractFactory(vendor=other)}, "same vendor"),
        ({"contract_type": "msa", "parent": msa}, "cannot have a parent"),
    ]
    for index, (overrides, text) in enumerate(refused):
        with pytest.raises(ValidationError) as exc:
            services.contract_create(
                today=AS_OF, data=contract_data(vendor, reference=f"X-{index}", **overrides)
            )
        assert text in exc.value.message_dict["parent"][0]
    # A SOW may stand alone.
    assert (
        services.contract_create(
            today=AS_OF, data=contract_data(vendor, reference="SOW-2", contract_type="sow")
        ).parent
        is None
    )


# --- the daily job -------------------------------------------------------------------


def make(vendor, **overrides):
    return services.contract_create(today=AS_OF, data=contract_data(vendor, **overrides))


def test_daily_job_rolls_over_a_tacit_renewal_after_the_deadline_only(north_south):
    contract = make(north_south["north"])  # ends 2026-12-31, 90 days' notice → 2026-10-02
    report = services.contract_dates_daily(today=D("2026-10-02"))
    assert report.rolled_over == 0
    contract.refresh_from_db()
    assert contract.end_date == D("2026-12-31")

    report = services.contract_dates_daily(today=D("2026-10-03"))
    assert report.rolled_over == 1
    contract.refresh_from_db()
    assert contract.end_date == D("2027-12-31")
    assert contract.notice_deadline == D("2027-10-02")
    rollover = ContractRollover.objects.get(contract=contract)
    assert (rollover.from_end_date, rollover.to_end_date) == (D("2026-12-31"), D("2027-12-31"))
    assert rollover.notice_deadline == D("2026-10-02")

    # Running again the same day changes nothing.
    assert services.contract_dates_daily(today=D("2026-10-03")).rolled_over == 0
    contract.refresh_from_db()
    assert contract.end_date == D("2027-12-31")
    assert ContractRollover.objects.filter(contract=contract).count() == 1


def test_daily_job_catches_up_several_terms_after_a_long_pause(north_south):
    contract = make(north_south["north"], end_date=D("2024-02-29"), notice_days=0)
    services.contract_dates_daily(today=D("2027-03-01"))
    contract.refresh_from_db()
    # 2024-02-29 → 2025-02-28 → 2026-02-28 → 2027-02-28 → 2028-02-29 (month ends kept).
    assert contract.end_date == D("2028-02-29")
    assert list(
        ContractRollover.objects.filter(contract=contract)
        .order_by("from_end_date")
        .values_list("to_end_date", flat=True)
    ) == [D("2025-02-28"), D("2026-02-28"), D("2027-02-28"), D("2028-02-29")]


def test_daily_job_leaves_terminated_draft_and_noticed_contracts_alone(north_south):
    vendor = north_south["north"]
    terminated = make(vendor, reference="T", status="terminated")
    draft = make(vendor, reference="D", status="draft")
    noticed = make(vendor, reference="N", renewal="none", renewal_months=0)
    services.contract_dates_daily(today=D("2026-11-01"))
    for contract in (terminated, draft, noticed):
        contract.refresh_from_db()
        assert contract.end_date == D("2026-12-31")


def test_daily_job_expires_ended_contracts_that_do_not_roll(north_south):
    vendor = north_south["north"]
    fixed = make(vendor, reference="F", renewal="none", renewal_months=0)
    agreed = make(vendor, reference="A", renewal="by_agreement")
    auto = make(vendor, reference="R")
    assert services.contract_dates_daily(today=D("2026-12-31")).expired == 0  # last day in force
    report = services.contract_dates_daily(today=D("2027-01-01"))
    assert report.expired == 2
    assert Contract.objects.get(pk=fixed.pk).status == "expired"
    assert Contract.objects.get(pk=agreed.pk).status == "expired"
    auto.refresh_from_db()
    assert (auto.status, auto.end_date) == ("active", D("2027-12-31"))


def test_reminders_go_out_90_30_and_7_days_before_once_each(north_south):
    contract = make(north_south["north"], reference="REM")  # deadline 2026-10-02
    sent_on = {}
    day = D("2026-06-01")
    while day <= D("2026-10-02"):
        for _ in range(2):  # twice a day: the second run sends nothing
            services.contract_dates_daily(today=day)
        for message in mail.outbox[len(sent_on) :]:
            sent_on[message.subject] = day
        day += timedelta(days=1)
    assert sent_on == {
        "Notice deadline in 90 days: REM (North)": D("2026-07-04"),
        "Notice deadline in 30 days: REM (North)": D("2026-09-02"),
        "Notice deadline in 7 days: REM (North)": D("2026-09-25"),
    }
    assert all(m.to == ["owner@north.example"] for m in mail.outbox)
    assert "renews automatically for 12 months, until 2027-12-31" in mail.outbox[0].body
    assert set(
        ContractReminder.objects.filter(contract=contract).values_list("days_before", flat=True)
    ) == {90, 30, 7}


def test_a_missed_day_sends_only_the_most_urgent_reminder(north_south):
    make(north_south["north"], reference="LATE")  # deadline 2026-10-02
    services.contract_dates_daily(today=D("2026-09-10"))  # 22 days before: the 30-day one
    assert [m.subject for m in mail.outbox] == ["Notice deadline in 30 days: LATE (North)"]


def test_reminders_without_an_owner_go_to_the_governance_office(make_user, north_south):
    office = make_user(roles.GOVERNANCE_OFFICE)
    office.email = "office@example.com"
    office.save()
    make(north_south["south"], reference="NOOWNER")  # South's manager has no e-mail
    services.contract_dates_daily(today=D("2026-07-04"))
    assert [m.to for m in mail.outbox] == [["office@example.com"]]


def test_a_new_deadline_after_a_roll_over_gets_its_own_reminders(north_south):
    contract = make(north_south["north"], reference="AGAIN")
    services.contract_dates_daily(today=D("2026-09-25"))
    services.contract_dates_daily(today=D("2026-10-03"))  # rolled: deadline 2027-10-02
    services.contract_dates_daily(today=D("2027-07-04"))
    assert list(
        ContractReminder.objects.filter(contract=contract)
        .order_by("deadline")
        .values_list("deadline", "days_before")
    ) == [(D("2026-10-02"), 7), (D("2027-10-02"), 90)]


# --- change requests -----------------------------------------------------------------


def test_change_request_workflow_records_the_decision(gov_user):
    cr = ChangeRequestFactory()
    cr = services.change_request_transition(
        change_request=cr, to_status="assessed", actor=gov_user, note="Costed at 12k/month."
    )
    assert cr.status == "assessed" and cr.decided_by is None
    cr = services.change_request_transition(
        change_request=cr, to_status="approved", actor=gov_user, note="JSC approved."
    )
    assert cr.status == "approved"
    assert cr.decided_by == gov_user and cr.decided_at is not None
    assert "Assessed by" in cr.decision_note and "JSC approved." in cr.decision_note
    cr = services.change_request_transition(
        change_request=cr, to_status="implemented", actor=gov_user
    )
    assert ChangeRequest.objects.get(pk=cr.pk).status == "implemented"


def test_rejecting_records_who_and_closes(gov_user):
    cr = ChangeRequestFactory(status="assessed")
    cr = services.change_request_transition(change_request=cr, to_status="rejected", actor=gov_user)
    assert (cr.status, cr.decided_by) == ("rejected", gov_user)
    with pytest.raises(ValidationError) as exc:
        services.change_request_transition(
            change_request=cr, to_status="implemented", actor=gov_user
        )
    assert "closed" in exc.value.message_dict["status"][0]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("proposed", "approved"),  # must be assessed first
        ("proposed", "implemented"),
        ("assessed", "implemented"),
        ("approved", "rejected"),
        ("implemented", "proposed"),
        ("proposed", "bogus"),
    ],
)
def test_illegal_transitions_are_refused_on_status(gov_user, start, to):
    cr = ChangeRequestFactory(status=start)
    with pytest.raises(ValidationError) as exc:
        services.change_request_transition(change_request=cr, to_status=to, actor=gov_user)
    assert "status" in exc.value.message_dict
    cr.refresh_from_db()
    assert cr.status == start and cr.decided_by is None


# --- spend ---------------------------------------------------------------------------


def test_spend_upsert_replaces_the_same_month():
    contract = ContractFactory()
    first, created = services.spend_record_upsert(
        data={"contract": contract, "month": D("2026-03-01"), "amount": Decimal("90000.00")}
    )
    assert created
    again, created = services.spend_record_upsert(
        data={"contract": contract.pk, "month": D("2026-03-01"), "amount": Decimal("91500.50")}
    )
    assert not created and again.pk == first.pk
    assert SpendRecord.objects.get(contract=contract).amount == Decimal("91500.50")


@pytest.mark.parametrize(
    ("month", "amount", "field"),
    [("2026-03-15", "1.00", "month"), ("2026-03-01", "-5.00", "amount")],
)
def test_spend_validation_names_the_field(month, amount, field):
    with pytest.raises(ValidationError) as exc:
        services.spend_record_upsert(
            data={"contract": ContractFactory(), "month": D(month), "amount": Decimal(amount)}
        )
    assert field in exc.value.message_dict
    assert not SpendRecord.objects.exists()


def test_spend_update_onto_a_taken_month_is_refused():
    contract = ContractFactory()
    services.spend_record_create(
        data={"contract": contract, "month": D("2026-01-01"), "amount": Decimal("1")}
    )
    feb = services.spend_record_create(
        data={"contract": contract, "month": D("2026-02-01"), "amount": Decimal("2")}
    )
    with pytest.raises(ValidationError) as exc:
        services.spend_record_update(instance=feb, data={"month": D("2026-01-01")})
    assert "month" in exc.value.message_dict


def test_exit_step_dates_are_checked():
    from tests.factories import ExitPlanFactory

    plan = ExitPlanFactory()
    with pytest.raises(ValidationError) as exc:
        services.exit_step_create(
            data={
                "plan": plan,
                "title": "Data return",
                "start_date": D("2026-05-01"),
                "due_date": D("2026-04-30"),
            }
        )
    assert "due_date" in exc.value.message_dict


def test_task_runs_the_daily_job_for_a_given_day(north_south):
    from contracts.tasks import contract_dates_daily_task

    make(north_south["north"], reference="TASK")
    # Called in-process: the task is a thin wrapper (a real worker is not needed to test it).
    result = contract_dates_daily_task("2026-10-03")
    assert result == {"rolled_over": 1, "expired": 0, "reminders_sent": 0}


# --- a tacit renewal entered after its deadline ----------------------------------------


def test_a_tacit_renewal_entered_after_its_deadline_shows_its_current_term_at_once():
    # Entered on 4 December 2026 with a term ending 2024-12-31 (notice 90 days, 12-month
    # renewals): the deadlines 2024-10-02, 2025-10-02 and 2026-10-02 have all passed, so the
    # term in force ends 2027-12-31 and its notice deadline is 2027-12-31 − 90 days = 2027-10-02.
    contract = services.contract_create(
        today=D("2026-12-04"), data=contract_data(VendorFactory(), end_date=D("2024-12-31"))
    )
    assert (contract.end_date, contract.notice_deadline) == (D("2027-12-31"), D("2027-10-02"))
    contract.refresh_from_db()
    assert (contract.end_date, contract.notice_deadline) == (D("2027-12-31"), D("2027-10-02"))
    assert list(
        ContractRollover.objects.filter(contract=contract)
        .order_by("from_end_date")
        .values_list("from_end_date", "to_end_date", "notice_deadline")
    ) == [
        (D("2024-12-31"), D("2025-12-31"), D("2024-10-02")),
        (D("2025-12-31"), D("2026-12-31"), D("2025-10-02")),
        (D("2026-12-31"), D("2027-12-31"), D("2026-10-02")),
    ]
    # The daily job finds nothing more to do for it.
    assert services.contract_dates_daily(today=D("2026-12-04")).rolled_over == 0


def test_an_update_onto_a_passed_deadline_rolls_over_at_once_but_a_draft_does_not():
    draft = services.contract_create(
        today=AS_OF, data=contract_data(VendorFactory(), end_date=D("2024-12-31"), status="draft")
    )
    assert draft.end_date == D("2024-12-31")  # not in force: nothing renews
    contract = services.contract_create(
        today=AS_OF, data=contract_data(VendorFactory(), reference="C-2")
    )
    services.contract_update(
        instance=contract, today=D("2026-12-04"), data={"end_date": D("2026-06-30")}
    )
    contract.refresh_from_db()
    # 2026-06-30 − 90 = 2026-04-01 passed; one renewal: 2027-06-30, deadline 2027-04-01.
    assert (contract.end_date, contract.notice_deadline) == (D("2027-06-30"), D("2027-04-01"))
