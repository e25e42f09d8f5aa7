"""Settlement (quyết toán): deadlines and the final record of actual money by source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_vnd
from projects.models import Project

from ..gates import MoneyAction
from ..models import STATE_SOURCES, Allocation, CostPlanLine, Settlement, SettlementLine, Source
from .base import _audited, _require_gate

#: Settlement of year Y is due on 22 January of Y + 1; warn this many days before.
SETTLEMENT_DUE = (1, 22)
SETTLEMENT_WARNING_DAYS = 30


def settlement_due(year: int) -> dt.date:
    """The settlement deadline of budget year ``year``: 22 January of the following year."""
    return dt.date(year + 1, *SETTLEMENT_DUE)


@dataclass(frozen=True)
class DeadlineWarning:
    year: int
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def settlement_warning(
    project: Project, allocation_years: list[int], today: dt.date | None = None
) -> DeadlineWarning | None:
    """A warning when a year's settlement of the (unsettled) project is due within 30 days or overdue."""
    today = today or timezone.localdate()
    for year in sorted(set(allocation_years)):
        due = settlement_due(year)
        days = (due - today).days
        if days <= SETTLEMENT_WARNING_DAYS:
            return DeadlineWarning(year=year, due=due, days_left=days)
    return None


def settlement_record(
    *,
    user: Any,
    project: Project,
    year: int,
    decision_number: str,
    decision_date: dt.date,
    actual: Mapping[str, int | None],
    note: str = "",
) -> Settlement:
    """Record the final settlement (quyết toán) of an accepted project: actual by source, unspent returned.

    For the state sources ``actual`` may not exceed what was disbursed; the difference is returned.
    """
    for source, value in actual.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            raise DomainError(_("Số tiền không được âm."), field=f"actual_{source}")
    if not decision_number.strip():
        raise DomainError(_("Cần nhập số quyết định hoặc biên bản quyết toán."), field="decision_number")
    with _audited(user, "settlement_record", project=project.pk):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if Settlement.objects.filter(project=locked).exists():
            raise DomainError(_("Đề án đã được quyết toán."))
        _require_gate(MoneyAction.SETTLEMENT, locked)
        allocations = list(Allocation.objects.select_for_update().filter(project=locked))
        planned = {
            row["source"]: row["s"]
            for row in CostPlanLine.objects.filter(project=locked).values("source").annotate(s=Sum("amount"))
        }
        settlement = Settlement.objects.create(
            project=locked,
            year=year,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            note=note,
            recorded_by=user,
        )
        lines = []
        for source in Source.values:
            allocated = sum(a.amount for a in allocations if a.source == source)
            disbursed = sum(a.disbursed for a in allocations if a.source == source)
            value = actual.get(source)
            if source in STATE_SOURCES:
                value = disbursed if value is None else value
                if value > disbursed:
                    raise DomainError(
                        _("Quyết toán %(source)s (%(actual)s) vượt số đã chi (%(disbursed)s).")
                        % {
                            "source": Source(source).label,
                            "actual": format_vnd(value),
                            "disbursed": format_vnd(disbursed),
                        },
                        field=f"actual_{source}",
                    )
                returned = disbursed - value
            else:
                value = value or 0
                returned = 0
            if value or planned.get(source) or allocated:
                lines.append(
                    SettlementLine(
                        settlement=settlement,
                        source=source,
                        planned=planned.get(source, 0),
                        allocated=allocated,
                        disbursed=disbursed,
                        actual=value,
                        returned=returned,
                    )
                )
        SettlementLine.objects.bulk_create(lines)
        return settlement
