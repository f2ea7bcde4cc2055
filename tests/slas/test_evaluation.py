"""Status, severity and aggregation rules; corrections and withdrawal (DESIGN.md section 2)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.apps import apps

from slas.evaluation import evaluate
from slas.models import Breach, Measurement, Result
from tests.slas.conftest import TODAY, breach_of, d, result_of

pytestmark = pytest.mark.django_db

# Daily SLA, one measurement a day: each day's actual is exactly its value.
HIGHER_DAYS = {
    "2026-03-01": ("99.9", "met", None),
    "2026-03-02": ("99.8", "met", None),  # exactly on the warning level: met
    "2026-03-03": ("99.7", "at_risk", None),
    "2026-03-04": ("99.5", "at_risk", None),  # on target, inside the at-risk band
    "2026-03-05": ("99.49", "breached", "major"),
    "2026-03-06": ("98.0", "breached", "major"),  # exactly on the critical level: major
    "2026-03-07": ("97.99", "breached", "critical"),
}
LOWER_DAYS = {
    "2026-03-01": ("2", "met", None),
    "2026-03-02": ("3", "met", None),  # exactly on the warning level
    "2026-03-03": ("3.5", "at_risk", None),
    "2026-03-04": ("4", "at_risk", None),  # on target, inside the band
    "2026-03-05": ("4.01", "breached", "major"),
    "2026-03-06": ("8", "breached", "major"),  # exactly on the critical level
    "2026-03-07": ("8.5", "breached", "critical"),
}


@pytest.mark.parametrize(
    ("direction", "levels", "days"),
    [
        ("higher_is_better", {"target": "99.5", "warning_level": "99.8", "critical_level": "98"},
         HIGHER_DAYS),
        ("lower_is_better", {"target": "4", "warning_level": "3", "critical_level": "8"},
         LOWER_DAYS),
    ],
)  # fmt: skip
def test_status_and_severity_for_both_directions(make_sla, measure, direction, levels, days):
    sla = make_sla(period="daily", direction=direction, **levels)
    measure(sla, {day: value for day, (value, _, _) in days.items()})
    evaluate(today=TODAY)
    for day, (_, status, severity) in days.items():
        assert result_of(sla, day).status == status, day
        breach = Breach.objects.filter(sla=sla, period_start=d(day)).first()
        assert (breach.severity if breach else None) == severity, day


@pytest.mark.parametrize(
    ("direction", "target", "value"),
    [("higher_is_better", "99.5", "99.5"), ("lower_is_better", "4", "4")],
)
def test_exactly_on_target_without_a_warning_band_is_met(
    make_sla, measure, direction, target, value
):
    sla = make_sla(period="monthly", direction=direction, target=target)
    measure(sla, {"2026-03-01": value})
    evaluate(today=TODAY)
    assert result_of(sla, "2026-03-01").status == "met"
    assert not Breach.objects.exists()


def test_the_result_keeps_the_rule_values_used(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5", warning_level="99.8", critical_level="98")
    measure(sla, {"2026-03-01": "99.9"})
    evaluate(today=TODAY)
    result = result_of(sla, "2026-03-01")
    assert (result.target, result.warning_level, result.critical_level) == (
        D("99.5"), D("99.8"), D("98"),
    )  # fmt: skip
    sla.target, sla.warning_level = D("99.95"), D("99.99")
    sla.save()
    evaluate(today=TODAY)
    result.refresh_from_db()
    assert (result.target, result.warning_level, result.status) == (
        D("99.95"), D("99.99"), "breached",
    )  # fmt: skip


# Measurements in January, entered out of order; the latest date is the 20th.
JANUARY = {"2026-01-03": "90", "2026-01-20": "97", "2026-01-10": "100"}


@pytest.mark.parametrize(
    ("aggregation", "actual"),
    [
        ("mean", D("95.666667")),  # (90 + 97 + 100) / 3 = 95.6666…
        ("sum", D("287")),
        ("min", D("90")),
        ("max", D("100")),
        ("last", D("97")),  # the value with the latest date, not the last entered
    ],
)
def test_each_aggregation(make_sla, measure, aggregation, actual):
    sla = make_sla(period="monthly", aggregation=aggregation, target="95")
    measure(sla, JANUARY)
    evaluate(today=TODAY)
    result = result_of(sla, "2026-01-01")
    assert (result.actual, result.measurement_count) == (actual, 3)
    assert result.status == ("breached" if actual < 95 else "met")


def test_status_compares_the_exact_mean_not_the_rounded_one(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5")
    # mean = 298.499999 / 3 = 99.499999666…: stored as 99.500000, but below target.
    measure(sla, {"2026-01-01": "99.5", "2026-01-02": "99.5", "2026-01-03": "99.499999"})
    evaluate(today=TODAY)
    result = result_of(sla, "2026-01-01")
    assert (result.actual, result.status) == (D("99.500000"), "breached")


def test_kpis_get_results_and_breaches_but_no_credit(make_sla, measure):
    kpi = make_sla(kind="kpi", allocation_percent=0, period="monthly")
    measure(kpi, {"2026-01-05": "90"})
    evaluate(today=TODAY)
    breach = breach_of(kpi, "2026-01-01")
    assert (breach.credit_uncapped, breach.credit, breach.earn_back) == (0, 0, "not_applicable")


# --- corrections --------------------------------------------------------------------------


def test_a_correction_withdraws_the_breach_and_a_second_one_reopens_it(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5")  # allocation 20 % of 1,000.00
    measure(sla, {"2026-01-10": "98"})
    evaluate(today=TODAY)
    breach = breach_of(sla, "2026-01-01")
    assert (breach.status, breach.credit) == ("open", D("200.00"))
    Breach.objects.filter(pk=breach.pk).update(
        status="acknowledged", root_cause="Storage array failover", corrective_action="Patch"
    )

    measure(sla, {"2026-01-10": "99.9"})  # corrected: the month is met
    summary = evaluate(today=TODAY)
    breach.refresh_from_db()
    assert summary.breaches_withdrawn == 1
    assert (breach.status, breach.status_before_withdrawal) == ("withdrawn", "acknowledged")
    assert (breach.credit, breach.credit_uncapped) == (0, 0)
    assert breach.root_cause == "Storage array failover"
    assert result_of(sla, "2026-01-01").status == "met"

    measure(sla, {"2026-01-10": "97"})  # corrected again: breached after all
    summary = evaluate(today=TODAY)
    breach.refresh_from_db()
    assert summary.breaches_reopened == 1 and summary.breaches_new == 0
    assert (breach.status, breach.status_before_withdrawal) == ("acknowledged", "")
    assert (breach.actual, breach.credit) == (D("97"), D("200.00"))
    assert (breach.root_cause, breach.corrective_action) == ("Storage array failover", "Patch")
    assert Breach.objects.count() == 1


def test_a_correction_to_at_risk_also_withdraws(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5", warning_level="99.8")
    measure(sla, {"2026-01-10": "98"})
    evaluate(today=TODAY)
    measure(sla, {"2026-01-10": "99.6"})
    evaluate(today=TODAY)
    assert result_of(sla, "2026-01-01").status == "at_risk"
    assert breach_of(sla, "2026-01-01").status == "withdrawn"


def test_deleting_all_measurements_removes_the_result_and_withdraws(make_sla, measure):
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-10": "98", "2026-02-10": "99.9"})
    evaluate(today=TODAY)
    Measurement.objects.filter(sla=sla, date__month=1).delete()
    summary = evaluate(today=TODAY)
    assert summary.results_deleted == 1
    assert not Result.objects.filter(sla=sla, period_start=d("2026-01-01")).exists()
    breach = breach_of(sla, "2026-01-01")
    assert (breach.status, breach.status_before_withdrawal, breach.credit) == (
        "withdrawn", "open", 0,
    )  # fmt: skip


def test_severity_and_actual_are_refreshed_but_the_workflow_is_kept(make_sla, measure):
    sla = make_sla(period="monthly", target="99.5", critical_level="98")
    measure(sla, {"2026-01-10": "99"})
    evaluate(today=TODAY)
    Breach.objects.filter(sla=sla).update(
        status="remediating", root_cause="Network", remediation_owner="Ops lead",
        remediation_due=d("2026-02-15"),
    )  # fmt: skip
    measure(sla, {"2026-01-10": "97"})
    evaluate(today=TODAY)
    breach = breach_of(sla, "2026-01-01")
    assert (breach.actual, breach.severity) == (D("97"), "critical")
    assert (breach.status, breach.root_cause, breach.remediation_owner) == (
        "remediating", "Network", "Ops lead",
    )  # fmt: skip
    assert breach.remediation_due == d("2026-02-15")


def test_a_waived_breach_stays_waived_when_breached_again(make_sla, measure):
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-10": "98"})
    evaluate(today=TODAY)
    Breach.objects.filter(sla=sla).update(status="waived", waiver_reason="Client change freeze")
    measure(sla, {"2026-01-10": "97"})
    evaluate(today=TODAY)
    breach = breach_of(sla, "2026-01-01")
    assert (breach.status, breach.waiver_reason, breach.credit) == (
        "waived", "Client change freeze", 0,
    )  # fmt: skip


# --- the audit trail records what the engine changes, and only that -------------------------


def test_breach_changes_land_in_the_audit_trail_and_no_ops_do_not(make_sla, measure):
    events = apps.get_model("slas", "BreachEvent").objects
    sla = make_sla(period="monthly")
    measure(sla, {"2026-01-10": "98"})
    evaluate(today=TODAY)
    after_first = events.count()
    assert after_first >= 1 and events.filter(pgh_label="insert").count() == 1

    evaluate(today=TODAY)  # nothing changed: nothing written
    assert events.count() == after_first

    measure(sla, {"2026-01-10": "99.9"})
    evaluate(today=TODAY)
    last = events.order_by("pgh_id").last()
    assert (last.pgh_label, last.status, last.status_before_withdrawal) == (
        "update", "withdrawn", "open",
    )  # fmt: skip


def test_the_engine_s_writes_are_audited_as_the_evaluation(make_sla, measure):
    """The triggers are primed for speed (core.audit.prime_audit_triggers), not skipped."""
    sla = make_sla(period="monthly", target="99.5")
    measure(sla, {"2026-03-01": "98"})
    evaluate(today=TODAY)
    breach = breach_of(sla, "2026-03-01")
    events = list(apps.get_model("slas", "BreachEvent").objects.filter(pgh_obj_id=breach.pk))
    assert [e.pgh_label for e in events] == ["insert", "update"]  # created, then its credit
    assert {e.pgh_context.metadata["source"] for e in events} == {"evaluation"}
    assert events[-1].credit == breach.credit
