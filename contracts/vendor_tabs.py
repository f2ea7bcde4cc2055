"""The contracts app's part of the vendor 360 page (registered in ``ContractsConfig.ready()``).

``vendors`` owns the page but does not import ``contracts`` (imports run one
way): the overview and the "Contracts" tab read the vendor's contracts here.
"""

from __future__ import annotations

from datetime import date

from contracts.models import Contract
from core import permissions


def contracts_section(*, vendor, user, today: date) -> dict:
    """The vendor's contracts the user may see, newest first, and whether they may add one."""
    contracts = permissions.restrict(Contract.objects.filter(vendor=vendor), user=user)
    return {
        "contracts": list(contracts.order_by("-start_date", "reference")),
        "can_add_contract": permissions.may_create(user=user, model=Contract, vendor_id=vendor.pk),
    }
