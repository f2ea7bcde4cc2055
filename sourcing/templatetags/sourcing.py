"""Template tags that let other apps' pages show sourcing and value figures with one include."""

from __future__ import annotations

from django import template

from core import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def vendor_transition(context, vendor):
    """The vendor's transition in while onboarding (``sourcing.selectors.vendor_transition``)."""
    from sourcing import selectors

    request = context.get("request")
    if request is None:
        return None
    return selectors.vendor_transition(user=request.user, vendor=vendor)


@register.simple_tag(takes_context=True)
def contract_value(context, contract):
    """The contract's value realised (``contracts.value``), for internal viewers only."""
    from contracts.value import contract_value as compute

    request = context.get("request")
    if request is None or not permissions.sees_internal(request.user):
        return None
    return compute(contract=contract, user=request.user)


@register.simple_tag(takes_context=True)
def vendor_selection(context, vendor):
    """The vendor's selection scores beside its delivery (``sourcing.delivery``); office only."""
    from sourcing import delivery

    request = context.get("request")
    if request is None or not permissions.sees_internal(request.user):
        return None
    return delivery.vendor_selection_vs_delivery(user=request.user, vendor=vendor)


@register.simple_tag
def value_chart(value):
    """The SVG chart of a contract's monthly saving (``core.charts`` through value_views)."""
    from contracts.value_views import value_chart as chart

    return chart(value) if value is not None else ""


@register.simple_tag(takes_context=True)
def vendor_value(context, vendor):
    """Value realised by each of the vendor's active contracts with a baseline; office only."""
    from contracts.selectors import contract_list
    from contracts.value import contract_values

    request = context.get("request")
    if request is None or not permissions.sees_internal(request.user):
        return []
    contracts = list(
        contract_list(user=request.user).filter(
            vendor=vendor, status="active", baseline_annual_cost__gt=0
        )[:10]
    )
    values = contract_values(contracts=contracts, user=request.user)  # one read for all
    return [values[c.pk] for c in contracts]
