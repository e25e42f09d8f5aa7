"""The ledger: advances, payments, recoveries and their reversals (append-only entries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_vnd
from projects.models import ActivityCategory, Project

from ..models import Allocation, EntryKind, MoneyEntry, Settlement
from .base import _audited, _check_version, _positive, _require_decided


def advance_limit(allocation: Allocation, category: ActivityCategory) -> int:
    """Most that may be advanced on the allocation: the category's ceiling (70 % / 30 %) of the amount."""
    return allocation.amount * category.advance_ceiling_pct // 100


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
    """Record an advance, a payment or a recovery of an advance against an allocation."""
    if kind not in EntryKind.values:
        raise DomainError(_("Loại bút toán không hợp lệ."))
    _positive(amount)
    if not voucher_number.strip():
        raise DomainError(_("Cần nhập số chứng từ."), field="voucher_number")
    with _audited(user, f"{kind}_record", allocation=allocation.pk):
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        _check_version(locked.version, expected_version)
        project = Project.objects.select_related("category").get(pk=locked.project_id)
        _require_decided(project)
        if Settlement.objects.filter(project=project).exists():
            raise DomainError(_("Đề án đã quyết toán: không thể ghi thêm bút toán."))
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
        # Inserting the entry updates the allocation's totals and version by trigger.
        entry = MoneyEntry(
            allocation=locked,
            kind=kind,
            amount=amount,
            voucher_number=voucher_number.strip(),
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
        if original.reverses_id is not None:
            raise DomainError(_("Không thể đảo một bút toán đảo."))
        if MoneyEntry.objects.filter(reverses=original).exists():
            raise DomainError(_("Bút toán này đã được đảo."))
        if Settlement.objects.filter(project_id=locked.project_id).exists():
            raise DomainError(_("Đề án đã quyết toán: không thể đảo bút toán."))
        if original.kind == EntryKind.ADVANCE and locked.advanced - original.amount < locked.recovered:
            raise DomainError(_("Tạm ứng này đã được thu hồi một phần: hãy đảo bút toán thu hồi trước."))
        if original.kind == EntryKind.RECOVERY and locked.disbursed + original.amount > locked.amount:
            raise DomainError(_("Đảo bút toán thu hồi sẽ làm số đã chi vượt kinh phí giao."))
        return MoneyEntry.objects.create(  # the trigger subtracts it from the allocation's totals
            allocation=locked,
            kind=original.kind,
            amount=-original.amount,
            voucher_number=voucher_number.strip(),
            voucher_date=voucher_date,
            note=note.strip(),
            reverses=original,
            recorded_by=user,
        )
