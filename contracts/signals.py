"""Signals the contracts app sends; later apps connect to them from their ``ready()``.

Imports run one way (core ← … ← contracts ← slas): a contract change that
matters to a later app is announced here instead of calling into that app.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``contracts.services.contract_update`` when a credit term (at-risk
# percent, fees, currency, …: ``services.CREDIT_TERMS``) changed, inside the
# write's transaction. Arguments: ``contract`` (saved, at-risk amount fresh)
# and ``actor`` (the user who changed it, or None). The SLA app re-evaluates
# the contract's SLAs so credits, caps and earn-back never lag behind.
credit_terms_changed = Signal()
