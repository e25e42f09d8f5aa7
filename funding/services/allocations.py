"""Allocations (kinh phí giao): the approved state money of a project by source and year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_vnd
from projects.models import Project

from ..gates import MoneyAction
from ..models import Allocation, AllocationVersion, BudgetEnvelope, CostPlanLine, FundingLevel
from .base import _audited, _check_version, _positive, _require_gate
from .caps import cap_check


def _lock_envelope(project: Project, source: str, year: int) -> BudgetEnvelope:
    envelope = (
        BudgetEnvelope.objects.select_for_update()
        .filter(province_id=project.province_id, year=year, level=source)
        .first()
    )
    if envelope is None:
        raise DomainError(
            _("Tỉnh chưa có dự toán %(level)s năm %(year)s: lãnh đạo cần nhập dự toán giao trước.")
            % {"level": FundingLevel(source).label, "year": year},
            field="source",
        )
    return envelope


def _check_envelope(envelope: BudgetEnvelope, increase: int) -> None:
    if envelope.allocated + increase > envelope.amount:
        raise DomainError(
            _(
                "Vượt dự toán giao: dự toán %(amount)s, đã phân bổ %(allocated)s, còn %(left)s; "
                "số đề nghị vượt %(over)s."
            )
            % {
                "amount": format_vnd(envelope.amount),
                "allocated": format_vnd(envelope.allocated),
                "left": format_vnd(envelope.available),
                "over": format_vnd(envelope.allocated + increase - envelope.amount),
            },
            field="amount",
        )


def _check_cost_plan(project: Project, source: str, year: int, amount: int) -> None:
    """An allocation from a source in a year never exceeds that source's line of the cost plan."""
    planned = (
        CostPlanLine.objects.filter(project=project, source=source, year=year).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    if amount > planned:
        raise DomainError(
            _(
                "Kinh phí giao %(source)s năm %(year)s (%(amount)s) vượt kế hoạch kinh phí của nguồn này "
                "trong năm (%(planned)s): lập hoặc điều chỉnh kế hoạch kinh phí theo nguồn trước."
            )
            % {
                "source": FundingLevel(source).label,
                "year": year,
                "amount": format_vnd(amount),
                "planned": format_vnd(planned),
            },
            field="amount",
            code="above_cost_plan",
        )


def _check_cap_after(project: Project, new_state_total: int) -> None:
    check = cap_check(project, state_share=new_state_total)
    if not check.ok:
        raise DomainError(check.message, field="amount")


def allocation_create(
    *,
    user: Any,
    project: Project,
    source: str,
    year: int,
    amount: int,
    decision_number: str,
    decision_date: dt.date,
) -> Allocation:
    """Record the approved state money of a project from one source and year (from the approval decision)."""
    _positive(amount)
    if source not in FundingLevel.values:
        raise DomainError(_("Nguồn kinh phí không hợp lệ."), field="source")
    with _audited(user, "allocation_create", project=project.pk):
        locked_project = Project.objects.select_for_update().get(pk=project.pk)
        _require_gate(MoneyAction.ALLOCATION, locked_project)
        if not locked_project.start_year <= year <= locked_project.end_year:
            raise DomainError(
                _("Năm %(year)s nằm ngoài thời gian thực hiện đề án.") % {"year": year}, field="year"
            )
        if Allocation.objects.filter(project=locked_project, source=source, year=year).exists():
            raise DomainError(
                _("Đề án đã có kinh phí giao từ nguồn này trong năm này: hãy điều chỉnh thay vì nhập mới."),
                field="source",
            )
        _check_cost_plan(locked_project, source, year, amount)
        envelope = _lock_envelope(locked_project, source, year)
        _check_envelope(envelope, amount)
        current = Allocation.objects.filter(project=locked_project).aggregate(s=Sum("amount"))["s"] or 0
        _check_cap_after(locked_project, current + amount)
        allocation = Allocation.objects.create(
            project=locked_project,
            envelope=envelope,
            source=source,
            year=year,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
        )
        AllocationVersion.objects.create(
            allocation=allocation,
            number=1,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
            created_by=user,
        )
        # The envelope's ``allocated`` follows by trigger (funding.models.Allocation.Meta.triggers).
        return allocation


def allocation_adjust(
    *,
    user: Any,
    allocation: Allocation,
    amount: int,
    decision_number: str,
    decision_date: dt.date,
    reason: str,
    expected_version: int | None,
) -> Allocation:
    """Change the approved amount by an adjustment decision; the previous versions are kept."""
    if not isinstance(amount, int) or amount < 0:
        raise DomainError(_("Số tiền không được âm."), field="amount")
    with _audited(user, "allocation_adjust", allocation=allocation.pk):
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        _check_version(locked.version, expected_version)
        project = Project.objects.select_for_update().get(pk=locked.project_id)
        _require_gate(MoneyAction.ADJUSTMENT, project)
        if amount < locked.disbursed:
            raise DomainError(
                _("Kinh phí giao không được nhỏ hơn số đã chi (%(disbursed)s).")
                % {"disbursed": format_vnd(locked.disbursed)},
                field="amount",
            )
        delta = amount - locked.amount
        envelope = BudgetEnvelope.objects.select_for_update().get(pk=locked.envelope_id)
        if delta > 0:
            _check_cost_plan(project, locked.source, locked.year, amount)
            _check_envelope(envelope, delta)
            others = (
                Allocation.objects.filter(project=project)
                .exclude(pk=locked.pk)
                .aggregate(s=Sum("amount"))["s"]
                or 0
            )
            _check_cap_after(project, others + amount)
        number = locked.versions.count() + 1
        AllocationVersion.objects.create(
            allocation=locked,
            number=number,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
            reason=reason,
            created_by=user,
        )
        locked.amount = amount
        locked.decision_number = decision_number
        locked.decision_date = decision_date
        locked.version += 1
        locked.save()  # the envelope's ``allocated`` follows by trigger
        return locked
