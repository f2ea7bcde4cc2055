"""Writes of the risks app: the register and its review history, assessments and findings,
continuity plans, review cadences, and the daily review-due notices.

Every function is keyword-only, validates through ``full_clean`` (via
``core.services``) and runs in a transaction, so the pages, the API, the
admin, the demo seeder and the job all get the same field-level errors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import permissions
from core.evidence import clean_evidence  # one evidence rule for the whole product
from core.services import model_create, model_delete, model_update
from risks import rules, selectors
from risks.choices import OPEN_STATUSES, ReviewKind, ReviewSubject
from risks.models import (
    Assessment,
    ContinuityPlan,
    Finding,
    ReviewCadence,
    ReviewReminder,
    Risk,
    RiskReview,
)
from vendors.models import Vendor

logger = logging.getLogger(__name__)

SCORE_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _not_future(data: dict[str, Any], field: str, *, today: date) -> None:
    value = data.get(field)
    if isinstance(value, date) and value > today:
        raise ValidationError({field: f"Cannot be in the future (today is {today:%Y-%m-%d})."})


def _vendor_tier(vendor) -> int:
    """The tier of ``vendor`` (a row or an id); an unknown id is full_clean's error, later."""
    if isinstance(vendor, Vendor):
        return vendor.tier
    tier = Vendor.objects.filter(pk=vendor).values_list("tier", flat=True).first()
    return tier or 4


# --- Risks --------------------------------------------------------------------------


def _history(*, risk: Risk, kind: str, actor, day: date, note: str = "") -> RiskReview:
    return RiskReview.objects.create(
        risk=risk,
        kind=kind,
        reviewed_on=day,
        reviewed_by=_actor(actor),
        likelihood=risk.likelihood,
        impact=risk.impact,
        residual_likelihood=risk.residual_likelihood,
        residual_impact=risk.residual_impact,
        status=risk.status,
        note=note,
        next_review=risk.next_review,
    )


@transaction.atomic
def risk_create(*, actor=None, data: dict[str, Any], today: date | None = None) -> Risk:
    """Put a risk on the register and open its history ("identified", today).

    Without residual factors the residual equals the inherent risk (no
    controls credited yet). Without ``next_review``, an open risk is due for
    review one tier cadence from today.
    """
    today = today or timezone.localdate()
    data = dict(data)
    pairs = (("residual_likelihood", "likelihood"), ("residual_impact", "impact"))
    for residual, inherent in pairs:
        if data.get(residual) in (None, ""):
            data[residual] = data.get(inherent)
    status = data.get("status") or Risk._meta.get_field("status").default
    if not data.get("next_review") and status in OPEN_STATUSES and data.get("vendor"):
        months = selectors.cadence_months(tier=_vendor_tier(data["vendor"]))
        data["next_review"] = rules.next_review_after(today, months=months)
    risk = model_create(model=Risk, data=data)
    _history(risk=risk, kind=ReviewKind.IDENTIFIED, actor=actor, day=today)
    return risk


@transaction.atomic
def risk_update(
    *, instance: Risk, actor=None, data: dict[str, Any], today: date | None = None
) -> Risk:
    """Change a risk. A change of score or status between reviews is kept in its history."""
    today = today or timezone.localdate()
    before = Risk.objects.select_for_update().values(*SCORE_FIELDS, "status").get(pk=instance.pk)
    risk = model_update(instance=instance, data=data)
    after = {name: getattr(risk, name) for name in (*SCORE_FIELDS, "status")}
    if after != before:
        _history(risk=risk, kind=ReviewKind.CHANGED, actor=actor, day=today)
    return risk


@transaction.atomic
def risk_review(
    *, risk: Risk, actor=None, data: dict[str, Any], today: date | None = None
) -> RiskReview:
    """Record a review of ``risk``: its scores and status now, a note, the next review date.

    ``data`` may carry ``reviewed_on`` (default today, never in the future),
    any of the four factors and ``status`` (default: unchanged), ``note`` and
    ``next_review`` (default: ``reviewed_on`` plus the vendor's tier cadence;
    none once the risk is closed). The risk takes the new values, validated
    like any change (residual ≤ inherent), and the review row keeps them.
    """
    today = today or timezone.localdate()
    data = dict(data)
    reviewed_on = data.pop("reviewed_on", None) or today
    _not_future({"reviewed_on": reviewed_on}, "reviewed_on", today=today)
    note = data.pop("note", "") or ""
    changes = {k: v for k, v in data.items() if k in (*SCORE_FIELDS, "status", "next_review")}
    status = changes.get("status") or risk.status
    if not changes.get("next_review"):
        if status in OPEN_STATUSES:
            months = selectors.cadence_months(tier=risk.vendor.tier)
            changes["next_review"] = rules.next_review_after(reviewed_on, months=months)
        else:
            changes["next_review"] = None
    elif changes["next_review"] <= reviewed_on:
        raise ValidationError({"next_review": "The next review must come after this one."})
    risk = model_update(instance=risk, data=changes)
    return _history(risk=risk, kind=ReviewKind.REVIEWED, actor=actor, day=reviewed_on, note=note)


def risk_delete(*, instance: Risk, actor=None) -> None:
    """Delete a risk and its history (the audit trail keeps both)."""
    model_delete(instance=instance)


# --- Assessments and findings -------------------------------------------------------


def assessment_create(*, actor=None, data: dict[str, Any]) -> Assessment:
    """Record an assessment of a vendor, with its optional evidence file."""
    _not_future(data, "date", today=timezone.localdate())
    return model_create(model=Assessment, data=clean_evidence(data))


def assessment_update(*, instance: Assessment, actor=None, data: dict[str, Any]) -> Assessment:
    """Change an assessment; a replaced evidence file stays in storage (the trail names it)."""
    _not_future(data, "date", today=timezone.localdate())
    return model_update(instance=instance, data=clean_evidence(data))


def assessment_delete(*, instance: Assessment, actor=None) -> None:
    """Delete an assessment (refused while it has findings)."""
    model_delete(instance=instance)


def finding_create(*, actor=None, data: dict[str, Any]) -> Finding:
    """Record a finding of an assessment."""
    return model_create(model=Finding, data=data)


def finding_update(*, instance: Finding, actor=None, data: dict[str, Any]) -> Finding:
    """Change a finding (its remediation owner, due date, status …)."""
    return model_update(instance=instance, data=data)


def finding_delete(*, instance: Finding, actor=None) -> None:
    """Delete a finding."""
    model_delete(instance=instance)


# --- Continuity plans and cadences --------------------------------------------------


def continuity_plan_create(*, actor=None, data: dict[str, Any]) -> ContinuityPlan:
    """Record a vendor's continuity plan (a test date may not be in the future)."""
    _not_future(data, "last_test_date", today=timezone.localdate())
    return model_create(model=ContinuityPlan, data=data)


def continuity_plan_update(
    *, instance: ContinuityPlan, actor=None, data: dict[str, Any]
) -> ContinuityPlan:
    """Change a continuity plan, e.g. record its latest test and result."""
    _not_future(data, "last_test_date", today=timezone.localdate())
    return model_update(instance=instance, data=data)


def continuity_plan_delete(*, instance: ContinuityPlan, actor=None) -> None:
    """Delete a continuity plan."""
    model_delete(instance=instance)


def review_cadence_update(
    *, instance: ReviewCadence, actor=None, data: dict[str, Any]
) -> ReviewCadence:
    """Change how many months apart a tier's reviews fall (the tier itself stays)."""
    data = {k: v for k, v in data.items() if k == "months"}
    return model_update(instance=instance, data=data)


# --- Reviews that come due ----------------------------------------------------------


@dataclass(frozen=True)
class ReviewsDueReport:
    """What one run of the daily review job did."""

    risk_reviews_notified: int
    reassessments_notified: int


def reviews_due_notify(*, today: date) -> ReviewsDueReport:
    """Notify, once, every risk review and vendor reassessment due or overdue on ``today``.

    Due means on or before today + ``rules.DUE_SOON_DAYS`` (overdue ones
    included). A risk review goes to the risk's owner, else the vendor's
    relationship owner, else the governance office; a reassessment to the
    relationship owner, else the governance office. Each is recorded as a
    ``ReviewReminder`` (unique per subject, object and due date), so a second
    run — or one a day later — sends nothing more; a review moved to a new
    date is notified again. ``notify``'s own ``dedupe_key`` says the same.
    """
    office: list | None = None
    risk_count = reassessment_count = 0
    for item in selectors.reviews_due(today=today):
        recipients = [u for u in item.recipients if u is not None and u.is_active]
        if not recipients:
            if office is None:
                office = list(
                    permissions.office_staff(get_user_model().objects.filter(is_active=True))
                )
            recipients = office
        try:
            with transaction.atomic():
                _, created = ReviewReminder.objects.get_or_create(
                    subject=item.subject,
                    object_id=item.object_id,
                    due_on=item.due_on,
                    defaults={
                        "vendor_id": item.vendor_id,
                        "sent_on": today,
                        "recipients": ", ".join(u.username for u in recipients),
                    },
                )
                if created:
                    _notify(item, users=recipients, today=today)
        except Exception:  # noqa: BLE001 — one failed notice must not stop the others
            logger.exception("Review notice %s #%s not sent", item.subject, item.object_id)
            continue
        if created:
            if item.subject == ReviewSubject.RISK:
                risk_count += 1
            else:
                reassessment_count += 1
    return ReviewsDueReport(
        risk_reviews_notified=risk_count, reassessments_notified=reassessment_count
    )


def _notify(item, *, users, today: date) -> None:
    try:
        from notifications.services import notify
    except ImportError:  # pragma: no cover - the notifications app ships with Covenant
        return
    when = "overdue since" if item.due_on < today else "due on"
    notify(
        kind="review_due",
        users=users,
        title=f"{item.label} {when} {item.due_on:%Y-%m-%d}",
        body=f"{item.label} ({item.vendor_name}) is {when} {item.due_on:%Y-%m-%d}.",
        url=item.url,
        dedupe_key=f"review_due:{item.subject}:{item.object_id}:{item.due_on:%Y-%m-%d}",
    )
