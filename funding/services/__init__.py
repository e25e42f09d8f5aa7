"""Every write to money goes through here.

Each service is keyword-only, takes the acting user, runs in ``transaction.atomic``, locks the
parent row (envelope or allocation) with ``select_for_update`` before reading a total, checks the
optimistic ``version`` a form was built from, raises :class:`core.errors.DomainError` with a
Vietnamese message (:class:`core.errors.Conflict` for a stale form), and runs inside a
``pghistory.context`` so the audit rows name the user and the action. The database CHECK
constraints on the maintained totals are the last line behind these checks.

Split by subject: ``base`` (audit, version, amount and state checks), ``caps``, ``envelopes``,
``plans`` (cost plan by source and year), ``allocations``, ``ledger`` (entries and reversals),
``settlement``.
"""

from .allocations import allocation_adjust, allocation_create
from .caps import CapCheck, cap_check, cap_limit, rule_in_force
from .envelopes import envelope_create, envelope_update
from .ledger import (
    advance_limit,
    advance_record,
    entry_record,
    entry_reverse,
    payable_now,
    payment_record,
    recovery_record,
)
from .plans import cost_plan_save
from .settlement import (
    SETTLEMENT_DUE,
    SETTLEMENT_WARNING_DAYS,
    DeadlineWarning,
    settlement_due,
    settlement_record,
    settlement_warning,
)

__all__ = [
    "SETTLEMENT_DUE",
    "SETTLEMENT_WARNING_DAYS",
    "CapCheck",
    "DeadlineWarning",
    "advance_limit",
    "advance_record",
    "allocation_adjust",
    "allocation_create",
    "cap_check",
    "cap_limit",
    "cost_plan_save",
    "entry_record",
    "entry_reverse",
    "envelope_create",
    "envelope_update",
    "payable_now",
    "payment_record",
    "recovery_record",
    "rule_in_force",
    "settlement_due",
    "settlement_record",
    "settlement_warning",
]
