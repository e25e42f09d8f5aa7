"""The ledger: advances, payments, recoveries and their reversals (append-only entries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_vnd
from projects.models import ActivityCategory, Project

from .. import gates
from ..gates import MoneyAction
from ..models import Allocation, EntryKind, MoneyEntry
from .base import _audited, _check_version, _positive, _require_gate


def advance_limit(allocation: Allocation, category: ActivityCategory) -> int:
    """Most that may be advanced on the allocation: the category's ceiling (70 % / 30 %) of the amount.

    Before acceptance the same ceiling holds advances and payments together (:mod:`funding.gates`).
    """
    return allocation.amount * category.advance_ceiling_pct // 100


def payable_now(allocation: Allocation, project: Project) -> int:
    """Most that may go out on the allocation now: up to the advance ceiling before acceptance, the
    rest of the allocation from acceptance on (0 where the lifecycle allows no payment)."""
    if not gates.GATES[MoneyAction.PAYMENT].allows(project.status):
        return 0
    ceiling = allocation.amount
    if project.status in gates.CEILING_STATES:
        ceiling = advance_limit(allocation, project.category)
    return max(min(ceiling, allocation.amount) - allocation.disbursed, 0)


def _check_ceiling_before_acceptance(locked: Allocation, project: Project, increase: int) -> None:
    """Before acceptance, advances and payments together stay within the advance ceiling."""
    if increase <= 0 or project.status not in gates.CEILING_STATES:
        return
    limit = advance_limit(locked, project.category)
    if locked.disbursed + increase > limit:
        raise DomainError(
            _(
                "%(rule)s: trước nghiệm thu, tạm ứng và thanh toán cộng lại không vượt %(pct)s%% kinh phí "
                "giao (%(limit)s; đã chi %(done)s, còn được chi %(left)s; đề án đang ở trạng thái "
                "“%(status)s”)."
            )
            % {
                "rule": gates.CEILING_RULE,
                "pct": project.category.advance_ceiling_pct,
                "limit": format_vnd(limit),
                "done": format_vnd(locked.disbursed),
                "left": format_vnd(max(limit - locked.disbursed, 0)),
                "status": project.get_status_display(),
            },
            field="amount",
            code="gate_ceiling",
        )


def _check_voucher(locked: Allocation, voucher_number: str, voucher_date: dt.date) -> None:
    if MoneyEntry.objects.filter(
        allocation=locked, voucher_number=voucher_number, voucher_date__year=voucher_date.year
    ).exists():
        raise DomainError(
            _("Số chứng từ “%(number)s” đã được ghi cho kinh phí giao này trong năm %(year)s.")
            % {"number": voucher_number, "year": voucher_date.year},
            field="voucher_number",
            code="duplicate_voucher",
        )


def entry_record(
    *,
    user: Any,
    allocation: Allocation,
    kind: str,
    amount: int,
    voucher_number: str,
    voucher_date: dt.date,
    document: Any = None,
    note: str = "",
    expected_version: int | None = None,
) -> MoneyEntry:
    """Record an advance, a payment or a recovery of an advance against an allocation, as far as the
    project's state allows (:mod:`funding.gates`)."""
    if kind not in EntryKind.values:
        raise DomainError(_("Loại bút toán không hợp lệ."))
    _positive(amount)
    voucher_number = (voucher_number or "").strip()
    if not voucher_number:
        raise DomainError(_("Cần nhập số chứng từ."), field="voucher_number")
    with _audited(user, f"{kind}_record", allocation=allocation.pk):
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        _check_version(locked.version, expected_version)
        project = Project.objects.select_related("category").get(pk=locked.project_id)
        _require_gate(gates.entry_action(kind, reversal=False), project)
        _check_voucher(locked, voucher_number, voucher_date)
        if kind == EntryKind.RECOVERY:
            if amount > locked.outstanding_advance:
                raise DomainError(
                    _("Số thu hồi vượt số tạm ứng chưa thu hồi (%(left)s).")
                    % {"left": format_vnd(locked.outstanding_advance)},
                    field="amount",
                )
        else:
            if amount > locked.remaining:
                raise DomainError(
                    _("Số tiền %(amount)s vượt số kinh phí còn lại được chi (%(left)s) là %(over)s.")
                    % {
                        "amount": format_vnd(amount),
                        "left": format_vnd(locked.remaining),
                        "over": format_vnd(amount - locked.remaining),
                    },
                    field="amount",
                )
            if kind == EntryKind.ADVANCE:
                limit = advance_limit(locked, project.category)
                if locked.advanced + amount > limit:
                    raise DomainError(
                        _(
                            "Tạm ứng vượt mức tối đa %(pct)s%% kinh phí giao (%(limit)s; "
                            "đã tạm ứng %(done)s, còn được tạm ứng %(left)s)."
                        )
                        % {
                            "pct": project.category.advance_ceiling_pct,
                            "limit": format_vnd(limit),
                            "done": format_vnd(locked.advanced),
                            "left": format_vnd(max(limit - locked.advanced, 0)),
                        },
                        field="amount",
                    )
            _check_ceiling_before_acceptance(locked, project, amount)
        # Inserting the entry updates the allocation's totals and version by trigger.
        entry = MoneyEntry(
            allocation=locked,
            kind=kind,
            amount=amount,
            voucher_number=voucher_number,
            voucher_date=voucher_date,
            note=note,
            recorded_by=user,
        )
        if document:
            entry.document = document
        entry.save()
        return entry


def payment_record(**kwargs: Any) -> MoneyEntry:
    """Record a payment (thanh toán) against an allocation."""
    return entry_record(kind=EntryKind.PAYMENT, **kwargs)


def advance_record(**kwargs: Any) -> MoneyEntry:
    """Record an advance (tạm ứng) against an allocation, within the category's ceiling."""
    return entry_record(kind=EntryKind.ADVANCE, **kwargs)


def recovery_record(**kwargs: Any) -> MoneyEntry:
    """Record the recovery (thu hồi) of an advance."""
    return entry_record(kind=EntryKind.RECOVERY, **kwargs)


def entry_reverse(
    *,
    user: Any,
    entry: MoneyEntry,
    voucher_number: str,
    voucher_date: dt.date,
    note: str,
    expected_version: int | None = None,
) -> MoneyEntry:
    """Correct an entry by a reversing entry of the opposite sign (the original is never changed)."""
    if not note.strip():
        raise DomainError(_("Cần ghi lý do đảo bút toán."), field="note")
    with _audited(user, "entry_reverse", entry=entry.pk):
        locked = Allocation.objects.select_for_update().get(pk=entry.allocation_id)
        _check_version(locked.version, expected_version)
        original = MoneyEntry.objects.get(pk=entry.pk)
        if original.allocation_id != locked.pk:
            raise DomainError(_("Bút toán không thuộc kinh phí giao này."))
        project = Project.objects.select_related("category").get(pk=locked.project_id)
        _require_gate(MoneyAction.REVERSAL, project)
        if original.reverses_id is not None:
            raise DomainError(_("Không thể đảo một bút toán đảo."))
        if MoneyEntry.objects.filter(reverses=original).exists():
            raise DomainError(_("Bút toán này đã được đảo."))
        voucher_number = (voucher_number or "").strip()
        if not voucher_number:
            raise DomainError(_("Cần nhập số chứng từ."), field="voucher_number")
        _check_voucher(locked, voucher_number, voucher_date)
        if original.kind == EntryKind.ADVANCE and locked.advanced - original.amount < locked.recovered:
            raise DomainError(_("Tạm ứng này đã được thu hồi một phần: hãy đảo bút toán thu hồi trước."))
        if original.kind == EntryKind.RECOVERY:
            if locked.disbursed + original.amount > locked.amount:
                raise DomainError(_("Đảo bút toán thu hồi sẽ làm số đã chi vượt kinh phí giao."))
            _check_ceiling_before_acceptance(locked, project, original.amount)
        return MoneyEntry.objects.create(  # the trigger subtracts it from the allocation's totals
            allocation=locked,
            kind=original.kind,
            amount=-original.amount,
            voucher_number=voucher_number,
            voucher_date=voucher_date,
            note=note.strip(),
            reverses=original,
            recorded_by=user,
        )
