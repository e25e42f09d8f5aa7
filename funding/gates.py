"""Money gated by the lifecycle, declared as data beside the workflow (Circular 28/2018, domain.md §3/§5).

For every kind of money write — allocation, advance, payment, recovery, reversal, adjustment,
settlement — :data:`GATES` names the project states that allow it, derived from the lifecycle facts of
:mod:`projects.workflow` (never a re-listed status), and the rule a refusal names. The services check
a gate with :func:`require`; the database holds the same states in the triggers of
:mod:`funding.models` (their SQL is rendered from :data:`GATES`, so a change of the workflow changes
the triggers through a migration). Tests enumerate every state × kind.

The amounts that follow the lifecycle:

* before acceptance (nghiệm thu), advances and payments together — the money out, net of recoveries
  and reversals — stay within the category's advance ceiling (70 % / 30 % of the allocation):
  :data:`CEILING_STATES`;
* from acceptance the rest is payable, up to the allocation;
* gross advances never exceed the ceiling, in any state.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from projects.choices import ProjectStatus
from projects.workflow import (
    CONTRACTED_STATES,
    PAYABLE_STATES,
    SETTLEABLE_STATES,
    STATES,
    reached_states,
)


class MoneyAction(models.TextChoices):
    """Every kind of write to the money of a project."""

    ALLOCATION = "allocation", _("Giao kinh phí")
    ADVANCE = "advance", _("Tạm ứng")
    PAYMENT = "payment", _("Thanh toán")
    RECOVERY = "recovery", _("Thu hồi tạm ứng")
    REVERSAL = "reversal", _("Đảo bút toán")
    ADJUSTMENT = "adjustment", _("Điều chỉnh kinh phí giao")
    SETTLEMENT = "settlement", _("Quyết toán")


@dataclass(frozen=True)
class Gate:
    action: str
    #: States of the project in which the write is allowed.
    states: tuple[str, ...]
    #: The rule, as a refusal names it (the state is added by :func:`refusal`).
    rule: Promise

    def allows(self, status: str) -> bool:
        return status in self.states


#: Accepted (nghiệm thu) or later: from here the rest of the allocation is payable.
_ACCEPTED_OR_LATER = frozenset(reached_states(ProjectStatus.ACCEPTED))

#: Contracted and not yet accepted: advances and payments together stay within the advance ceiling.
CEILING_STATES: tuple[str, ...] = tuple(s for s in CONTRACTED_STATES if s not in _ACCEPTED_OR_LATER)

GATES: dict[str, Gate] = {
    g.action: g
    for g in (
        Gate(
            MoneyAction.ALLOCATION,
            PAYABLE_STATES,
            _("Chỉ giao kinh phí cho đề án đã phê duyệt và chưa quyết toán"),
        ),
        Gate(
            MoneyAction.ADJUSTMENT,
            PAYABLE_STATES,
            _("Chỉ điều chỉnh kinh phí giao của đề án đã phê duyệt và chưa quyết toán"),
        ),
        Gate(
            MoneyAction.ADVANCE,
            CONTRACTED_STATES,
            _("Chỉ được tạm ứng sau khi ký hợp đồng và trước khi quyết toán"),
        ),
        Gate(
            MoneyAction.PAYMENT,
            CONTRACTED_STATES,
            _("Chỉ được thanh toán sau khi ký hợp đồng và trước khi quyết toán"),
        ),
        Gate(
            MoneyAction.RECOVERY,
            CONTRACTED_STATES,
            _("Chỉ được thu hồi tạm ứng sau khi ký hợp đồng và trước khi quyết toán"),
        ),
        Gate(
            MoneyAction.REVERSAL,
            CONTRACTED_STATES,
            _("Chỉ được đảo bút toán sau khi ký hợp đồng và trước khi quyết toán"),
        ),
        Gate(
            MoneyAction.SETTLEMENT,
            SETTLEABLE_STATES,
            _("Chỉ quyết toán sau khi đề án đã nghiệm thu"),
        ),
    )
}

#: The rule named when money out before acceptance would pass the advance ceiling.
CEILING_RULE = _("Chỉ được thanh toán phần còn lại sau khi nghiệm thu")

assert set(GATES) == set(MoneyAction.values), "every kind of money write has a gate"
assert all(set(g.states) <= set(STATES) for g in GATES.values())


def status_label(status: str) -> str:
    return str(ProjectStatus(status).label) if status in ProjectStatus.values else status


def refusal(action: str, status: str) -> str:
    """The refusal of ``action`` in ``status``: the rule, then the state the project is in."""
    return gettext("%(rule)s (đề án đang ở trạng thái “%(status)s”).") % {
        "rule": GATES[action].rule,
        "status": status_label(status),
    }


def require(action: str, status: str, *, settled: bool = False) -> None:
    """Refuse ``action`` unless the project's ``status`` allows it (and it has no settlement record)."""
    gate = GATES[action]
    if settled and action != MoneyAction.SETTLEMENT:
        raise DomainError(
            gettext("Đề án đã quyết toán: không ghi thêm kinh phí (%(rule)s).") % {"rule": gate.rule},
            code=f"gate_{action}",
        )
    if not gate.allows(status):
        raise DomainError(refusal(action, status), code=f"gate_{action}")


def entry_action(kind: str, *, reversal: bool) -> str:
    """The gate of a ledger entry: its kind, or the reversal gate for a reversing entry."""
    return MoneyAction.REVERSAL if reversal else kind


# --- SQL the triggers are built from ------------------------------------------------------------------


def sql_states(action: str) -> str:
    """``('a', 'b')`` — the states of ``action``'s gate as an SQL list (never empty)."""
    states = GATES[action].states or ("",)
    return "(" + ", ".join(f"'{s}'" for s in states) + ")"


def sql_ceiling_states() -> str:
    return "(" + ", ".join(f"'{s}'" for s in (CEILING_STATES or ("",))) + ")"
