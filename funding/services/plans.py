"""The planned cost of a project by source and year (kế hoạch kinh phí), checked against the caps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.money import format_vnd
from projects.models import Project

from ..models import STATE_SOURCES, Allocation, CostPlanLine, FundingProfile, Source
from .base import _audited, _check_version
from .caps import cap_check


def cost_plan_save(
    *,
    user: Any,
    project: Project,
    rows: Mapping[int, Mapping[str, int | None]],
    eligible_cost: int | None,
    facilities: int,
    priority_area: bool,
    technology_line: bool,
    expected_version: int | None,
) -> list[CostPlanLine]:
    """Replace the project's planned cost by source and year.

    ``rows`` maps a year to amounts by source; a counterpart left blank (None) takes the rest of the
    total cost, so the sources always add up to ``project.total_cost``.
    """
    for year, amounts in rows.items():
        if not project.start_year <= year <= project.end_year:
            raise DomainError(_("Năm %(year)s nằm ngoài thời gian thực hiện đề án.") % {"year": year})
        for source, value in amounts.items():
            if value is not None and (not isinstance(value, int) or value < 0):
                raise DomainError(_("Số tiền không được âm."), field=f"{source}_{year}")
    with _audited(user, "cost_plan_save", project=project.pk):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        profile, _created = FundingProfile.objects.select_for_update().get_or_create(project=locked)
        if not _created:
            _check_version(profile.version, expected_version)
        explicit = sum(v or 0 for amounts in rows.values() for v in amounts.values())
        rest = locked.total_cost - explicit
        blank_counterpart = [y for y in sorted(rows) if rows[y].get(Source.COUNTERPART) is None]
        if rest < 0:
            raise DomainError(
                _("Các nguồn cộng lại (%(sum)s) vượt tổng kinh phí của đề án (%(total)s) là %(over)s.")
                % {
                    "sum": format_vnd(explicit),
                    "total": format_vnd(locked.total_cost),
                    "over": format_vnd(-rest),
                }
            )
        if rest > 0 and not blank_counterpart:
            raise DomainError(
                _(
                    "Các nguồn cộng lại (%(sum)s) phải bằng tổng kinh phí của đề án (%(total)s); "
                    "còn thiếu %(rest)s — để trống vốn đối ứng để tự tính phần còn lại."
                )
                % {
                    "sum": format_vnd(explicit),
                    "total": format_vnd(locked.total_cost),
                    "rest": format_vnd(rest),
                }
            )
        profile.eligible_cost = eligible_cost
        profile.facilities = facilities
        profile.priority_area = priority_area
        profile.technology_line = technology_line
        profile.version += 0 if _created else 1
        profile.save()
        state = sum(rows[y].get(s) or 0 for y in rows for s in STATE_SOURCES)
        check = cap_check(locked, state_share=state, profile=profile)
        if not check.ok:
            raise DomainError(check.message)
        for allocation in Allocation.objects.filter(project=locked):
            planned = (rows.get(allocation.year) or {}).get(allocation.source) or 0
            if planned < allocation.amount:
                raise DomainError(
                    _(
                        "Kế hoạch %(source)s năm %(year)s (%(planned)s) thấp hơn kinh phí đã giao "
                        "(%(amount)s): điều chỉnh kinh phí giao trước."
                    )
                    % {
                        "source": Source(allocation.source).label,
                        "year": allocation.year,
                        "planned": format_vnd(planned),
                        "amount": format_vnd(allocation.amount),
                    },
                    field=f"{allocation.source}_{allocation.year}",
                    code="below_allocation",
                )
        CostPlanLine.objects.filter(project=locked).delete()
        lines = []
        for year in sorted(rows):
            for source in Source.values:
                value = rows[year].get(source)
                if source == Source.COUNTERPART and value is None:
                    value = rest if year == blank_counterpart[0] else 0
                if value:
                    lines.append(CostPlanLine(project=locked, source=source, year=year, amount=value))
        return CostPlanLine.objects.bulk_create(lines)
