"""A province's budget envelopes (dự toán giao) by year and funding level."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_vnd

from ..models import BudgetEnvelope, FundingLevel
from .base import _audited, _check_version, _positive


def envelope_create(
    *,
    user: Any,
    province_id: int,
    year: int,
    level: str,
    amount: int,
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> BudgetEnvelope:
    """Record a province's budget envelope for a year and funding level."""
    _positive(amount)
    if level not in FundingLevel.values:
        raise DomainError(_("Cấp kinh phí không hợp lệ."), field="level")
    with _audited(user, "envelope_create"):
        if BudgetEnvelope.objects.filter(province_id=province_id, year=year, level=level).exists():
            raise DomainError(_("Tỉnh đã có dự toán cho năm và cấp kinh phí này."), field="year")
        return BudgetEnvelope.objects.create(
            province_id=province_id,
            year=year,
            level=level,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
            created_by=user,
        )


def envelope_update(
    *,
    user: Any,
    envelope: BudgetEnvelope,
    amount: int,
    decision_number: str,
    decision_date: dt.date | None,
    expected_version: int | None,
) -> BudgetEnvelope:
    """Change an envelope's amount; never below what is already allocated."""
    _positive(amount)
    with _audited(user, "envelope_update", envelope=envelope.pk):
        locked = BudgetEnvelope.objects.select_for_update().get(pk=envelope.pk)
        _check_version(locked.version, expected_version)
        if amount < locked.allocated:
            raise DomainError(
                _("Dự toán không được nhỏ hơn số đã phân bổ cho các đề án (%(allocated)s).")
                % {"allocated": format_vnd(locked.allocated)},
                field="amount",
            )
        locked.amount = amount
        locked.decision_number = decision_number
        locked.decision_date = decision_date
        locked.version += 1
        locked.save()
        return locked
