"""The contract date engine against hand-worked dates (DESIGN.md section 2, contract dates)."""

from __future__ import annotations

from datetime import date

import pytest

from contracts import dates
from contracts.dates import ContractTerms

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),  # leap year: clamped to Feb 29
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-03-31", 1, "2024-04-30"),
        ("2024-12-15", 1, "2025-01-15"),  # across the year end
        ("2024-01-15", -1, "2023-12-15"),
        ("2024-05-31", 24, "2026-05-31"),
        ("2024-08-31", 6, "2025-02-28"),
    ],
)
def test_add_months_clamps_to_the_month_length(start, months, expected):
    assert dates.add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("end", "months", "expected"),
    [
        ("2024-12-31", 12, "2025-12-31"),
        ("2024-02-29", 12, "2025-02-28"),  # month end of a leap February
        ("2025-02-28", 12, "2026-02-28"),
        ("2023-02-28", 12, "2024-02-29"),  # Feb 28 of a common year is a month end: stays one
        ("2024-04-30", 1, "2024-05-31"),  # a month-end term ends at the next month's end
        ("2024-06-15", 12, "2025-06-15"),  # other days keep their day of month
        ("2024-01-30", 1, "2024-02-29"),  # ... clamped to the shorter month
    ],
)
def test_roll_end_date_keeps_month_ends(end, months, expected):
    assert dates.roll_end_date(D(end), months) == D(expected)


def test_notice_deadline_is_term_end_minus_notice_days():
    assert dates.notice_deadline(D("2026-12-31"), 90) == D("2026-10-02")
    assert dates.notice_deadline(D("2026-12-31"), 0) == D("2026-12-31")  # zero notice
    # Longer than a month, across the year end: 2026-01-31 − 60 days = 2025-12-02.
    assert dates.notice_deadline(D("2026-01-31"), 60) == D("2025-12-02")
    # Across Feb 29: 2024-03-10 − 10 days = 2024-02-29.
    assert dates.notice_deadline(D("2024-03-10"), 10) == D("2024-02-29")


def test_contract_notice_deadline_only_for_renewing_contracts():
    auto = ContractTerms(D("2026-06-30"), "automatic", 12, 30)
    agreed = ContractTerms(D("2026-06-30"), "by_agreement", 12, 30)
    fixed = ContractTerms(D("2026-06-30"), "none", 0, 30)
    assert dates.contract_notice_deadline(auto) == D("2026-05-31")
    assert dates.contract_notice_deadline(agreed) == D("2026-05-31")
    assert dates.contract_notice_deadline(fixed) is None


def test_next_renewal_date_is_the_day_after_the_term_end():
    assert dates.next_renewal_date(D("2026-12-31"), "automatic") == D("2027-01-01")
    assert dates.next_renewal_date(D("2024-02-28"), "by_agreement") == D("2024-02-29")
    assert dates.next_renewal_date(D("2026-12-31"), "none") is None


class TestCurrentTermEnd:
    terms = ContractTerms(D("2026-12-31"), "automatic", 12, 90)  # deadline 2026-10-02

    def test_before_and_on_the_deadline_nothing_moves(self):
        assert dates.current_term_end(self.terms, D("2026-06-01")) == D("2026-12-31")
        assert dates.current_term_end(self.terms, D("2026-10-02")) == D("2026-12-31")

    def test_the_day_after_the_deadline_it_rolls_over_once(self):
        assert dates.current_term_end(self.terms, D("2026-10-03")) == D("2027-12-31")
        assert dates.roll_over_ends(self.terms, D("2026-10-03")) == [D("2027-12-31")]

    def test_a_job_that_did_not_run_for_years_catches_up_term_by_term(self):
        # Deadlines: 2026-10-02, 2027-10-02, 2028-10-02 (2028-12-31 − 90 d, a leap year).
        ends = dates.roll_over_ends(self.terms, D("2028-10-03"))
        assert ends == [D("2027-12-31"), D("2028-12-31"), D("2029-12-31")]
        assert dates.current_term_end(self.terms, D("2028-10-02")) == D("2028-12-31")

    def test_daily_runs_and_one_late_run_agree(self):
        terms = ContractTerms(D("2024-02-29"), "automatic", 12, 0)
        day, end = D("2024-01-01"), terms.end_date
        while day <= D("2027-06-01"):
            end = dates.current_term_end(ContractTerms(end, "automatic", 12, 0), day)
            day = date.fromordinal(day.toordinal() + 1)
        assert end == dates.current_term_end(terms, D("2027-06-01")) == D("2028-02-29")

    def test_notice_longer_than_the_renewal_term_locks_in_several_terms(self):
        # Monthly renewal, 45 days' notice: on 2026-01-20 the deadlines of the terms
        # ending 2026-01-31 (2025-12-17) and 2026-02-28 (2026-01-14) have passed;
        # the one of the term ending 2026-03-31 (2026-02-14) has not.
        terms = ContractTerms(D("2026-01-31"), "automatic", 1, 45)
        assert dates.roll_over_ends(terms, D("2026-01-20")) == [D("2026-02-28"), D("2026-03-31")]

    def test_zero_notice_rolls_the_day_after_the_term_end(self):
        terms = ContractTerms(D("2026-06-30"), "automatic", 6, 0)
        assert dates.current_term_end(terms, D("2026-06-30")) == D("2026-06-30")
        assert dates.current_term_end(terms, D("2026-07-01")) == D("2026-12-31")

    def test_renewal_by_agreement_or_none_never_rolls(self):
        for renewal in ("by_agreement", "none"):
            terms = ContractTerms(D("2026-12-31"), renewal, 12, 90)
            assert dates.current_term_end(terms, D("2030-01-01")) == D("2026-12-31")
            assert dates.roll_over_ends(terms, D("2030-01-01")) == []


def test_is_expired_after_the_term_end_unless_automatic():
    assert dates.is_expired(ContractTerms(D("2026-12-31"), "none"), D("2027-01-01"))
    assert dates.is_expired(ContractTerms(D("2026-12-31"), "by_agreement", 12), D("2027-01-01"))
    assert not dates.is_expired(ContractTerms(D("2026-12-31"), "none"), D("2026-12-31"))
    assert not dates.is_expired(ContractTerms(D("2026-12-31"), "automatic", 12), D("2027-06-01"))


def test_reminder_dates_are_90_30_and_7_days_before():
    assert dates.reminder_dates(D("2026-10-02")) == {
        90: D("2026-07-04"),
        30: D("2026-09-02"),
        7: D("2026-09-25"),
    }


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-07-03", None),  # 91 days before
        ("2026-07-04", 90),  # exactly 90 days before
        ("2026-08-15", 90),
        ("2026-09-02", 30),
        ("2026-09-24", 30),
        ("2026-09-25", 7),
        ("2026-10-02", 7),  # the deadline itself
        ("2026-10-03", None),  # passed
    ],
)
def test_due_reminder(today, expected):
    assert dates.due_reminder(D("2026-10-02"), D(today)) == expected


def test_no_reminder_without_a_deadline():
    assert dates.due_reminder(None, D("2026-01-01")) is None
