"""Support caps (mức hỗ trợ tối đa): the effective-dated rule in force and the check against it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_vnd
from projects.models import ActivityCategory, Project

from ..models import STATE_SOURCES, Allocation, CostPlanLine, FundingProfile, SupportCapRule


def rule_in_force(category: ActivityCategory | int, day: dt.date) -> SupportCapRule | None:
    """The cap rule of ``category`` in force on ``day`` (the latest one that started by then)."""
    category_id = category if isinstance(category, int) else category.pk
    return (
        SupportCapRule.objects.filter(category_id=category_id, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


def cap_limit(
    rule: SupportCapRule,
    *,
    eligible_cost: int,
    facilities: int = 1,
    priority_area: bool = False,
    technology_line: bool = False,
) -> int:
    """Most state money the rule allows: min(share × eligible cost, ceiling × facilities × multipliers).

    The multipliers (priority area, whole technology line) raise the absolute ceiling, not the share.
    """
    limit = eligible_cost * rule.share_permille // 1000
    if rule.ceiling_per_facility is not None:
        ceiling = rule.ceiling_per_facility * max(facilities, 1)
        if priority_area:
            ceiling = ceiling * rule.priority_multiplier_pct // 100
        if technology_line:
            ceiling = ceiling * rule.line_multiplier_pct // 100
        limit = min(limit, ceiling)
    return limit


@dataclass(frozen=True)
class CapCheck:
    rule: SupportCapRule | None
    day: dt.date
    state_share: int
    limit: int | None

    @property
    def over(self) -> int:
        return 0 if self.limit is None else max(self.state_share - self.limit, 0)

    @property
    def ok(self) -> bool:
        return self.over == 0

    @property
    def message(self) -> str:
        if self.rule is None:
            return _("Chưa có quy định mức hỗ trợ áp dụng ngày %(day)s cho nội dung này.") % {
                "day": self.day.strftime("%d/%m/%Y")
            }
        if self.ok:
            return _("Trong mức hỗ trợ tối đa theo “%(rule)s” (%(limit)s).") % {
                "rule": self.rule.name,
                "limit": format_vnd(self.limit),
            }
        return _(
            "Phần ngân sách nhà nước hỗ trợ %(share)s vượt mức tối đa %(limit)s theo “%(rule)s” là %(over)s."
        ) % {
            "share": format_vnd(self.state_share),
            "limit": format_vnd(self.limit),
            "rule": self.rule.name,
            "over": format_vnd(self.over),
        }


def _profile(project: Project) -> FundingProfile | None:
    try:
        return project.funding_profile
    except FundingProfile.DoesNotExist:
        return None


def cap_check(
    project: Project,
    *,
    state_share: int | None = None,
    profile: FundingProfile | None = None,
    rule: SupportCapRule | bool | None = False,
) -> CapCheck:
    """Check the state share (KCQG + KCĐP) of ``project`` against the rule in force on its approval date.

    ``state_share`` defaults to the larger of the planned state share and the allocated amounts.
    """
    day = project.decision_date or timezone.localdate()
    if isinstance(rule, bool):  # False: not looked up yet
        rule = rule_in_force(project.category_id, day)
    profile = profile if profile is not None else _profile(project)
    if state_share is None:
        planned = (
            CostPlanLine.objects.filter(project=project, source__in=STATE_SOURCES).aggregate(s=Sum("amount"))[
                "s"
            ]
            or 0
        )
        allocated = Allocation.objects.filter(project=project).aggregate(s=Sum("amount"))["s"] or 0
        state_share = max(planned, allocated)
    if rule is None:
        return CapCheck(rule=None, day=day, state_share=state_share, limit=None)
    eligible = project.total_cost
    if profile is not None and profile.eligible_cost is not None:
        eligible = profile.eligible_cost
    facilities = profile.facilities if profile else max(project.beneficiaries.count(), 1)
    limit = cap_limit(
        rule,
        eligible_cost=eligible,
        facilities=facilities,
        priority_area=bool(profile and profile.priority_area),
        technology_line=bool(profile and profile.technology_line),
    )
    return CapCheck(rule=rule, day=day, state_share=state_share, limit=limit)
