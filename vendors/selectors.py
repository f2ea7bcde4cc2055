"""Reads of the vendors app: scoped lists, the expiry of certifications, a vendor's relations.

Every list starts from ``core.permissions.restrict``, so a row outside the
user's scope is absent from pages, API, exports and the dashboard alike.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from django.db import connection
from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from core.permissions import VIEW, restrict
from vendors.choices import ContactLevel, ExpiryState
from vendors.models import (
    CERTIFICATION_WARNING_DAYS,
    Certification,
    Contact,
    Vendor,
    VendorTierChange,
)


def vendor_list(*, user, action: str = VIEW) -> QuerySet[Vendor]:
    """The vendors ``user`` may see (or change, with ``action=CHANGE``), owner and parent loaded."""
    return restrict(
        Vendor.objects.select_related("relationship_owner", "parent"), user=user, action=action
    )


def certification_list(*, user, action: str = VIEW) -> QuerySet[Certification]:
    """The certifications ``user`` may see (or change), with their vendor loaded."""
    return restrict(Certification.objects.select_related("vendor"), user=user, action=action)


def contact_list(*, user, action: str = VIEW) -> QuerySet[Contact]:
    """The contacts of the communication matrix ``user`` may see (or change), with their vendor."""
    return restrict(Contact.objects.select_related("vendor"), user=user, action=action)


def tier_change_list(*, user) -> QuerySet[VendorTierChange]:
    """Tier changes ``user`` may see (internal: hidden from vendor representatives)."""
    return restrict(VendorTierChange.objects.select_related("vendor", "changed_by"), user=user)


# --- Expiry ---------------------------------------------------------------------------


def expiry_filter(state: str, *, today: date) -> Q:
    """The condition of ``Certification.expiry_state(today) == state``, in SQL.

    Expired: ``expires_on`` < today. Expiring: today ≤ ``expires_on`` ≤ today
    + 60 days (exactly 60 days ahead is still expiring). Valid: later than that.
    """
    horizon = today + timedelta(days=CERTIFICATION_WARNING_DAYS)
    return {
        ExpiryState.EXPIRED: Q(expires_on__lt=today),
        ExpiryState.EXPIRING: Q(expires_on__gte=today, expires_on__lte=horizon),
        ExpiryState.VALID: Q(expires_on__gt=horizon),
        ExpiryState.NO_EXPIRY: Q(expires_on__isnull=True),
    }[state]


def with_expiry_state(queryset: QuerySet[Certification], *, today: date) -> QuerySet:
    """Annotate ``expiry`` (expired / expiring / valid / no_expiry) for ordering and display."""
    return queryset.annotate(
        expiry=Case(
            *(When(expiry_filter(s, today=today), then=Value(s.value)) for s in ExpiryState),
            output_field=CharField(),
        )
    )


def certifications_expiring(
    *, user, today: date, within_days: int = CERTIFICATION_WARNING_DAYS
) -> QuerySet[Certification]:
    """Certifications ``user`` may see that expired already or expire within ``within_days``.

    Soonest (or longest expired) first; certifications without an expiry
    date never appear.
    """
    return (
        certification_list(user=user)
        .filter(expires_on__lte=today + timedelta(days=within_days))
        .order_by("expires_on", "vendor__name", "pk")
    )


DASHBOARD_ROWS = 8


def dashboard_panels(*, user) -> list[dict]:
    """The dashboard's certifications panel: expired and expiring (≤ 60 days) ones."""
    today = timezone.localdate()
    expiring = certifications_expiring(user=user, today=today)
    rows_qs = list(expiring[:DASHBOARD_ROWS])
    count = expiring.count()
    expired = any(c.expires_on < today for c in rows_qs)
    rows = []
    for cert in rows_qs:
        days = (cert.expires_on - today).days
        if days < 0:
            note = f"expired {cert.expires_on:%Y-%m-%d}"
        elif days == 0:
            note = "expires today"
        else:
            note = f"expires in {days} days"
        rows.append((str(cert), cert.get_absolute_url(), note))
    url = reverse("vendors:certification_list") + "?expiry=expired&expiry=expiring"
    tone = "bad" if expired else ("warn" if count else "ok")
    return [
        {
            "title": "Certifications expired or expiring",
            "count": count,
            "url": url,
            "tone": tone,
            "rows": rows,
        }
    ]


# --- A vendor's relations ------------------------------------------------------------

_ANCESTORS_SQL = """
WITH RECURSIVE chain(id, parent_id, depth, path) AS (
    SELECT id, parent_id, 0, ARRAY[id] FROM vendors_vendor WHERE id = %s
    UNION ALL
    SELECT v.id, v.parent_id, c.depth + 1, c.path || v.id
    FROM vendors_vendor v JOIN chain c ON v.id = c.parent_id
    WHERE NOT v.id = ANY(c.path)
)
SELECT id FROM chain ORDER BY depth
"""


def vendor_ancestor_ids(*, vendor_id: int) -> list[int]:
    """``vendor_id`` followed by its parent, grandparent … (one recursive query).

    The path array stops the walk should a cycle ever exist in the data.
    """
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [vendor_id])
        return [row[0] for row in cursor.fetchall()]


def vendor_parent_chain(*, vendor: Vendor, user) -> list[Vendor]:
    """The vendor's parents up the 4th-party chain, nearest first, as far as ``user`` sees."""
    ids = vendor_ancestor_ids(vendor_id=vendor.pk)[1:]
    if not ids:
        return []
    found = {v.pk: v for v in restrict(Vendor.objects.filter(pk__in=ids), user=user)}
    return [found[i] for i in ids if i in found]


def contacts_by_level(contacts) -> list[tuple[str, list[Contact]]]:
    """The communication matrix: (level label, contacts) from strategic down to operational."""
    order = [ContactLevel.STRATEGIC, ContactLevel.TACTICAL, ContactLevel.OPERATIONAL]
    rank = {level.value: i for i, level in enumerate(order)}
    ordered = sorted(contacts, key=lambda c: (rank.get(c.level, 9), c.side, c.name))
    return [
        (ContactLevel(level).label, list(group))
        for level, group in groupby(ordered, key=lambda c: c.level)
    ]


def vendor_detail_related(*, vendor: Vendor, user, today: date) -> dict:
    """Everything the vendor page shows next to its card, each part scoped for ``user``.

    The vendor's contracts are added by the contracts app's section
    (``contracts.vendor_tabs``): vendors does not import contracts.
    """
    certifications = list(
        certification_list(user=user).filter(vendor=vendor).order_by("expires_on", "kind")
    )
    for cert in certifications:
        cert.state = cert.expiry_state(today)
    contacts = list(contact_list(user=user).filter(vendor=vendor))
    return {
        "tier_changes": list(tier_change_list(user=user).filter(vendor=vendor)),
        "certifications": certifications,
        "contact_levels": contacts_by_level(contacts),
        "subsidiaries": list(
            restrict(vendor.subsidiaries.select_related("relationship_owner"), user=user)
        ),
        "parent_chain": vendor_parent_chain(vendor=vendor, user=user),
    }
