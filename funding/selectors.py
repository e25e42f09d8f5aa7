"""Reads of money: the project's money tab and the province's annual plan, each in a fixed number of
queries (bulk aggregates, no per-row lookups)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Prefetch, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import has_perm
from projects.models import ActivityCategory, Project

from . import gates, services
from .gates import MoneyAction
from .models import (
    STATE_SOURCES,
    Allocation,
    AllocationVersion,
    BudgetEnvelope,
    CostPlanLine,
    DisbursementArithmetic,
    FundingLevel,
    FundingProfile,
    MoneyEntry,
    Settlement,
    SettlementLine,
    Source,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class Totals(DisbursementArithmetic):
    amount: int = 0
    advanced: int = 0
    recovered: int = 0
    paid: int = 0


@dataclass
class PlanTable:
    years: list[int]
    sources: list[tuple[str, StrOrPromise]]
    cells: dict[int, dict[str, int]]
    by_source: dict[str, int]
    total: int
    total_cost: int

    @property
    def rows(self) -> list[tuple[int, list[int], int]]:
        return [
            (y, [self.cells[y].get(s, 0) for s, _label in self.sources], sum(self.cells[y].values()))
            for y in self.years
        ]

    @property
    def source_totals(self) -> list[int]:
        return [self.by_source.get(s, 0) for s, _label in self.sources]

    @property
    def balanced(self) -> bool:
        return self.total == self.total_cost

    @property
    def empty(self) -> bool:
        return self.total == 0


def plan_table(project: Project, lines: list[CostPlanLine]) -> PlanTable:
    years = list(range(project.start_year, project.end_year + 1))
    cells: dict[int, dict[str, int]] = {y: {} for y in years}
    by_source: dict[str, int] = {}
    for line in lines:
        cells.setdefault(line.year, {})[line.source] = line.amount
        by_source[line.source] = by_source.get(line.source, 0) + line.amount
    return PlanTable(
        years=sorted(cells),
        sources=list(Source.choices),
        cells=cells,
        by_source=by_source,
        total=sum(by_source.values()),
        total_cost=project.total_cost,
    )


@dataclass
class ProjectMoney:
    project: Project
    plan: PlanTable
    profile: FundingProfile | None
    cap: services.CapCheck
    allocations: list[Allocation]
    totals: Totals
    settlement: Settlement | None
    warning: services.DeadlineWarning | None
    can_record: bool
    can_allocate: bool
    payable: bool
    settleable: bool
    #: What the lifecycle allows now, by money action (funding.gates), and the rule when it does not.
    allowed: dict[str, bool] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def project_money(project: Project, user: Any, today: dt.date | None = None) -> ProjectMoney:
    """Everything the money tab shows (about eight queries whatever the number of entries)."""
    # scope: the caller fetched the project through visible_to
    lines = list(CostPlanLine.objects.filter(project=project).order_by("year", "source"))
    profile = FundingProfile.objects.filter(project=project).first()
    # scope: the caller fetched the project through visible_to
    allocations = list(
        Allocation.objects.filter(project=project)
        .order_by("year", "source")
        .prefetch_related(
            Prefetch("versions", queryset=AllocationVersion.objects.select_related("created_by")),
            Prefetch(
                "entries",
                queryset=MoneyEntry.objects.select_related("recorded_by", "reversed_by").order_by(
                    "voucher_date", "id"
                ),
            ),
        )
    )
    category = project.category
    totals = Totals()
    for allocation in allocations:
        allocation.advance_limit = services.advance_limit(allocation, category)
        allocation.payable_now = services.payable_now(allocation, project)
        totals.amount += allocation.amount
        totals.advanced += allocation.advanced
        totals.recovered += allocation.recovered
        totals.paid += allocation.paid
    planned_state = sum(line.amount for line in lines if line.source in STATE_SOURCES)
    cap = services.cap_check(project, state_share=max(planned_state, totals.amount), profile=profile)
    # scope: the caller fetched the project through visible_to
    settlement = (
        Settlement.objects.filter(project=project)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=SettlementLine.objects.order_by(
                    Case(*[When(source=s, then=Value(i)) for i, s in enumerate(Source.values)])
                ),
            )
        )
        .first()
    )
    warning = None
    if settlement is None and allocations:
        warning = services.settlement_warning(project, [a.year for a in allocations], today)
    settled = settlement is not None
    allowed = {action: gate.allows(project.status) and not settled for action, gate in gates.GATES.items()}
    allowed[MoneyAction.SETTLEMENT] = (
        gates.GATES[MoneyAction.SETTLEMENT].allows(project.status) and not settled
    )
    refusals = {action: gates.refusal(action, project.status) for action, ok in allowed.items() if not ok}
    return ProjectMoney(
        project=project,
        plan=plan_table(project, lines),
        profile=profile,
        cap=cap,
        allocations=allocations,
        totals=totals,
        settlement=settlement,
        warning=warning,
        can_record=has_perm(user, "funding.record"),
        can_allocate=has_perm(user, "funding.allocate"),
        payable=allowed[MoneyAction.ALLOCATION],
        settleable=allowed[MoneyAction.SETTLEMENT],
        allowed=allowed,
        refusals=refusals,
    )


# --- Annual plan ------------------------------------------------------------------------------------
@dataclass
class PlanRow:
    key: str
    label: str
    envelope: int | None = None
    allocated: int = 0
    advanced: int = 0
    recovered: int = 0
    paid: int = 0
    settled: int = 0
    returned: int = 0
    projects: int = 0

    @property
    def disbursed(self) -> int:
        return self.advanced - self.recovered + self.paid

    @property
    def available(self) -> int | None:
        return None if self.envelope is None else self.envelope - self.allocated


_SUMS = {
    "s_amount": Coalesce(Sum("amount"), 0),
    "s_advanced": Coalesce(Sum("advanced"), 0),
    "s_recovered": Coalesce(Sum("recovered"), 0),
    "s_paid": Coalesce(Sum("paid"), 0),
}


def _fill(row: PlanRow, agg: Mapping[str, Any]) -> None:
    row.allocated = agg["s_amount"]
    row.advanced = agg["s_advanced"]
    row.recovered = agg["s_recovered"]
    row.paid = agg["s_paid"]
    row.projects = agg.get("n_projects", 0)


@dataclass
class AnnualPlan:
    province_id: int
    year: int
    envelopes: list[BudgetEnvelope]
    by_source: list[PlanRow]
    by_category: list[PlanRow]
    total: PlanRow


def annual_plan(province_id: int, year: int) -> AnnualPlan:
    """Envelope vs allocated vs advanced vs paid vs settled, by source and by category (5 queries)."""
    from django.db.models import Count

    # scope: the view chose province_id among Province.objects.visible_to(user)
    envelopes = list(BudgetEnvelope.objects.filter(province_id=province_id, year=year).order_by("level"))
    # scope: the view chose province_id among Province.objects.visible_to(user)
    allocations = Allocation.objects.filter(project__province_id=province_id, year=year)
    settled = SettlementLine.objects.filter(
        settlement__project__province_id=province_id, settlement__year=year, source__in=STATE_SOURCES
    )
    by_source: dict[str, PlanRow] = {
        level: PlanRow(key=level, label=str(label)) for level, label in FundingLevel.choices
    }
    for env in envelopes:
        by_source[env.level].envelope = env.amount
    for agg in allocations.values("source").annotate(**_SUMS, n_projects=Count("project", distinct=True)):
        _fill(by_source[agg["source"]], agg)
    for done in settled.values("source").annotate(a=Sum("actual"), r=Sum("returned")):
        by_source[done["source"]].settled = done["a"] or 0
        by_source[done["source"]].returned = done["r"] or 0
    categories: dict[int, PlanRow] = {}
    names = dict(ActivityCategory.objects.values_list("pk", "short_name"))
    for by_cat in (
        allocations.values("project__category")
        .annotate(**_SUMS, n_projects=Count("project", distinct=True))
        .order_by("project__category")
    ):
        cid = by_cat["project__category"]
        row = categories[cid] = PlanRow(key=str(cid), label=names.get(cid, "—"))
        _fill(row, by_cat)
    for done_cat in settled.values("settlement__project__category").annotate(
        a=Sum("actual"), r=Sum("returned")
    ):
        cid = done_cat["settlement__project__category"]
        row = categories.setdefault(cid, PlanRow(key=str(cid), label=names.get(cid, "—")))
        row.settled = done_cat["a"] or 0
        row.returned = done_cat["r"] or 0
    total = PlanRow(key="total", label="")
    for row in by_source.values():
        total.envelope = (total.envelope or 0) + (row.envelope or 0)
        for attr in ("allocated", "advanced", "recovered", "paid", "settled", "returned", "projects"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    total.projects = allocations.values("project").distinct().count() if total.projects else 0
    return AnnualPlan(
        province_id=province_id,
        year=year,
        envelopes=envelopes,
        by_source=list(by_source.values()),
        by_category=sorted(categories.values(), key=lambda r: r.label),
        total=total,
    )


def unsettled_projects(province_id: int, year: int, today: dt.date | None = None) -> dict[str, Any] | None:
    """Projects with money in ``year`` and no settlement, when the 22 January deadline is near or past."""
    today = today or timezone.localdate()
    due = services.settlement_due(year)
    days = (due - today).days
    if days > services.SETTLEMENT_WARNING_DAYS:
        return None
    # scope: the view chose province_id among Province.objects.visible_to(user)
    count = (
        Allocation.objects.filter(
            project__province_id=province_id, year=year, project__settlement__isnull=True
        )
        .values("project")
        .distinct()
        .count()
    )
    if not count:
        return None
    return {"year": year, "due": due, "days_left": days, "overdue": days < 0, "count": count}


def default_year() -> int:
    return timezone.localdate().year
