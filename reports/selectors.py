"""Reads for the dashboard and the reports: one definition of every figure, so a report's totals are
the dashboard's totals.

Scope: the projects the user may see (``Project.objects.visible_to``), narrowed by the filters
(running in the year range: start ≤ last year and end ≥ first year; province; funding level; activity
category, main or combined; kind). All money of those
projects counts, whatever the year of the money row; "by year" charts use the money row's year.

Definitions (integer đồng):
- planned (kế hoạch): ``CostPlanLine.amount`` by source (KCQG, KCĐP, counterpart, other);
- approved (kinh phí giao): ``Allocation.amount`` by state source;
- advanced (tạm ứng, net of recoveries): ``Allocation.advanced - Allocation.recovered``;
- paid (thanh toán): ``Allocation.paid``; disbursed = advanced + paid; rate = disbursed ÷ approved;
- settled (quyết toán): ``SettlementLine.actual`` by source;
- counterpart leverage: planned counterpart ÷ planned state money (KCQG + KCĐP);
- facilities supported: distinct beneficiaries of projects approved or beyond, not abandoned
  (:data:`SUPPORTED_STATES`, :func:`supported_beneficiaries`);
- workers trained, female and ethnic-minority trainees, models, machines, lines, products: the
  projects' indicators (actual where reported).

Everything is read with ONE query (:func:`dashboard_facts`): a materialised CTE of the scoped projects
and a UNION ALL of the aggregates over it. Reports read these live tables; the dashboard reads the
same figures from summary tables (reports.summary) that triggers keep equal to them in the same
transaction (no lag: a payment shows on the next request).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from core.db import read_connection
from core.scoping import sees_many_provinces
from funding.models import Allocation, CostPlanLine, Settlement, SettlementLine, Source
from projects import workflow
from projects.models import (
    ActivityCategory,
    Project,
    ProjectBeneficiary,
    ProjectCategory,
    ProjectCommune,
    ProjectIndicator,
    ProjectStatus,
)
from regions.former import project_q
from regions.models import Commune, Province

STATE_SOURCES = ("kcqg", "kcdp")
ALL_SOURCES = ("kcqg", "kcdp", "counterpart", "other")
DEFAULT_YEARS = 5


def default_year_range(today: dt.date | None = None) -> tuple[int, int]:
    """The last five full-or-current years: 2022–2026 in 2026."""
    year = (today or dt.date.today()).year
    return year - DEFAULT_YEARS + 1, year


@dataclass(frozen=True)
class Filters:
    year_from: int
    year_to: int
    province: int | None = None
    funding_level: str = ""
    category: int | None = None
    kind: str = ""
    legacy_province: int | None = None  # a province before 1/7/2025 (regions.former)
    legacy_district: int | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            "year_from": self.year_from,
            "year_to": self.year_to,
            "province": self.province,
            "funding_level": self.funding_level,
            "category": self.category,
            "kind": self.kind,
            "legacy_province": self.legacy_province,
            "legacy_district": self.legacy_district,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Filters:
        y1, y2 = default_year_range()
        return cls(
            year_from=int(params.get("year_from") or y1),
            year_to=int(params.get("year_to") or y2),
            province=int(params["province"]) if params.get("province") else None,
            funding_level=params.get("funding_level") or "",
            category=int(params["category"]) if params.get("category") else None,
            kind=params.get("kind") or "",
            legacy_province=int(params["legacy_province"]) if params.get("legacy_province") else None,
            legacy_district=int(params["legacy_district"]) if params.get("legacy_district") else None,
        )

    @property
    def period_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"


# --- One definition per count (issue 11): every sheet, screen and SQL of this app uses these --------
#: A project counts as approved ("đã được phê duyệt") and its beneficiaries as supported ("cơ sở được
#: hỗ trợ") in these states: approved and not abandoned (projects.workflow.DECIDED_STATES).
SUPPORTED_STATES: tuple[str, ...] = workflow.DECIDED_STATES


def supported_projects(user: Any, filters: Filters) -> QuerySet[Project]:
    """The approved projects behind "đề án được phê duyệt" and "cơ sở được hỗ trợ"."""
    return scoped_projects(user, filters).filter(status__in=SUPPORTED_STATES)


def supported_beneficiaries(user: Any, filters: Filters) -> QuerySet[ProjectBeneficiary]:
    """(facility, project) rows of the supported facilities; distinct facilities are the count."""
    return ProjectBeneficiary.objects.filter(project__in=supported_projects(user, filters).values("id"))


def scoped_projects(user: Any, filters: Filters) -> QuerySet[Project]:
    """The projects behind every figure: visible to ``user`` (None: all) and matching ``filters``."""
    # scope: user=None only for trusted callers (scheduled reports), which filter by province
    qs = Project.objects.all() if user is None else Project.objects.visible_to(user)
    # Projects running in the period (the project list's ``year`` filter uses the same overlap).
    qs = qs.filter(start_year__lte=filters.year_to, end_year__gte=filters.year_from)
    if filters.province:
        qs = qs.filter(province_id=filters.province)
    if filters.funding_level:
        qs = qs.filter(funding_level=filters.funding_level)
    if filters.category:
        # Main or combined content (as the project list filters); charts group by the main one.
        linked = ProjectCategory.objects.filter(activitycategory_id=filters.category)
        qs = qs.filter(Q(category_id=filters.category) | Q(pk__in=linked.values("project_id")))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.legacy_province or filters.legacy_district:
        qs = qs.filter(project_q(filters.legacy_province, filters.legacy_district))
    return qs


# --- the facts --------------------------------------------------------------------------------------
@dataclass
class MoneyBySource:
    planned: int = 0
    approved: int = 0
    advanced: int = 0
    paid: int = 0
    settled: int = 0
    returned: int = 0

    @property
    def disbursed(self) -> int:
        return self.advanced + self.paid


@dataclass
class Facts:
    filters: Filters
    by_area: str  # "province" or "commune"
    status_counts: dict[str, int] = field(default_factory=dict)
    level_counts: dict[str, int] = field(default_factory=dict)
    money: dict[str, MoneyBySource] = field(default_factory=dict)  # source → totals
    money_by_year: dict[int, dict[str, MoneyBySource]] = field(default_factory=dict)
    categories: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    indicators: dict[str, dict[str, int]] = field(default_factory=dict)
    facilities_supported: int = 0
    category_level: dict[tuple[int, str], dict[str, int]] = field(default_factory=dict)

    # Totals ---------------------------------------------------------------------------------------
    @property
    def project_count(self) -> int:
        return sum(self.status_counts.values())

    @property
    def decided_count(self) -> int:
        return sum(n for s, n in self.status_counts.items() if s in SUPPORTED_STATES)

    def total(self, attr: str, sources: tuple[str, ...] = ALL_SOURCES) -> int:
        return sum(getattr(self.money.get(s, MoneyBySource()), attr) for s in sources)

    @property
    def approved(self) -> int:
        return self.total("approved", STATE_SOURCES)

    @property
    def disbursed(self) -> int:
        return self.total("disbursed", STATE_SOURCES)

    @property
    def disbursement_rate(self) -> float | None:
        return self.disbursed / self.approved if self.approved else None

    @property
    def planned_state(self) -> int:
        return self.total("planned", STATE_SOURCES)

    @property
    def planned_counterpart(self) -> int:
        return self.money.get("counterpart", MoneyBySource()).planned

    @property
    def leverage(self) -> float | None:
        return self.planned_counterpart / self.planned_state if self.planned_state else None

    def indicator(self, kind: str, column: str = "actual") -> int:
        return self.indicators.get(kind, {}).get(column, 0)

    def share(self, part_kind: str, whole_kind: str = "trainees") -> float | None:
        whole = self.indicator(whole_kind)
        return self.indicator(part_kind) / whole if whole else None

    @property
    def funnel(self) -> list[tuple[str, Any, int]]:
        """(key, label, projects that reached the stage) from submission to settlement."""
        order = [
            ProjectStatus.SUBMITTED,
            ProjectStatus.APPRAISED,
            ProjectStatus.APPROVED,
            ProjectStatus.IN_PROGRESS,
            ProjectStatus.ACCEPTED,
            ProjectStatus.SETTLED,
        ]
        return [
            (s.value, s.label, sum(self.status_counts.get(x, 0) for x in workflow.reached_states(s)))
            for s in order
        ]


_FACTS_SQL = """
WITH scope AS MATERIALIZED ({scope_sql}),
alloc_p AS MATERIALIZED (
    SELECT a.project_id, SUM(a.amount) AS approved, SUM(a.advanced - a.recovered + a.paid) AS disbursed
    FROM {allocation} a JOIN scope s ON s.id = a.project_id GROUP BY a.project_id
)
SELECT 'status', NULL::int, s.status, NULL::text, NULL::text, COUNT(*), 0::bigint, 0::bigint
    FROM scope s GROUP BY s.status
UNION ALL
SELECT 'catlevel', NULL::int, s.category_id::text, s.funding_level, cat.short_name, COUNT(*),
       COALESCE(SUM(ap.approved), 0)::bigint, COALESCE(SUM(ap.disbursed), 0)::bigint
    FROM scope s JOIN {category} cat ON cat.id = s.category_id
    LEFT JOIN alloc_p ap ON ap.project_id = s.id GROUP BY s.category_id, s.funding_level, cat.short_name
UNION ALL
SELECT 'planned', c.year, c.source, NULL, NULL, SUM(c.amount)::bigint, 0::bigint, 0::bigint
    FROM {costplan} c JOIN scope s ON s.id = c.project_id GROUP BY c.year, c.source
UNION ALL
SELECT 'alloc', a.year, a.source, NULL, NULL, SUM(a.amount)::bigint, SUM(a.advanced - a.recovered)::bigint,
       SUM(a.paid)::bigint
    FROM {allocation} a JOIN scope s ON s.id = a.project_id GROUP BY a.year, a.source
UNION ALL
SELECT 'settled', st.year, sl.source, NULL, NULL, SUM(sl.actual)::bigint, SUM(sl.returned)::bigint, 0::bigint
    FROM {settlementline} sl JOIN {settlement} st ON st.id = sl.settlement_id
    JOIN scope s ON s.id = st.project_id GROUP BY st.year, sl.source
UNION ALL
SELECT 'indicator', NULL::int, i.kind, NULL, NULL, SUM(i.planned)::bigint, COALESCE(SUM(i.actual), 0)::bigint,
       COUNT(i.actual)::bigint
    FROM {indicator} i JOIN scope s ON s.id = i.project_id GROUP BY i.kind
UNION ALL
SELECT 'facilities', NULL::int, '', NULL, NULL, COUNT(DISTINCT b.facility_id)::bigint, 0::bigint, 0::bigint
    FROM {beneficiary} b JOIN scope s ON s.id = b.project_id WHERE s.status IN ({decided})
UNION ALL
{area_sql}
"""

_AREA_PROVINCE_SQL = """
SELECT 'area', NULL::int, s.province_id::text, pr.name, NULL, COUNT(*),
       COALESCE(SUM(ap.approved), 0)::bigint, COALESCE(SUM(ap.disbursed), 0)::bigint
    FROM scope s JOIN {province} pr ON pr.code = s.province_id
    LEFT JOIN alloc_p ap ON ap.project_id = s.id GROUP BY s.province_id, pr.name
"""

# A project carried out in several communes counts in each of them (said under the chart).
_AREA_COMMUNE_SQL = """
SELECT 'area', NULL::int, pc.commune_id::text, co.name, NULL, COUNT(*),
       COALESCE(SUM(ap.approved), 0)::bigint, COALESCE(SUM(ap.disbursed), 0)::bigint
    FROM scope s JOIN {project_communes} pc ON pc.project_id = s.id
    JOIN {commune} co ON co.code = pc.commune_id
    LEFT JOIN alloc_p ap ON ap.project_id = s.id GROUP BY pc.commune_id, co.name
"""


def dashboard_facts(
    user: Any, filters: Filters, *, single_province: bool | None = None, live: bool = True
) -> Facts:
    """Every figure of the dashboard (and of the reports built on it) in one database query.

    ``live=False`` reads the summary tables (reports.summary), which triggers keep equal to the ledger
    in the same transaction; ``live=True`` aggregates the ledger tables themselves. Same figures.
    """
    if single_province is None:
        single_province = bool(filters.province) or (user is not None and not sees_many_provinces(user))
    if not live:
        from .summary import cached_summary_rows

        rows = cached_summary_rows(user, filters, single_province)
        return _facts_from_rows(rows, filters, "commune" if single_province else "province")
    scope = (
        scoped_projects(user, filters)
        .order_by()
        .values("id", "status", "category_id", "funding_level", "province_id")
    )
    scope_sql, scope_params = scope.query.sql_with_params()
    area_sql = (_AREA_COMMUNE_SQL if single_province else _AREA_PROVINCE_SQL).format(
        province=Province._meta.db_table,
        commune=Commune._meta.db_table,
        project_communes=ProjectCommune._meta.db_table,
    )
    sql = _FACTS_SQL.format(
        scope_sql=scope_sql,
        allocation=Allocation._meta.db_table,
        costplan=CostPlanLine._meta.db_table,
        settlement=Settlement._meta.db_table,
        settlementline=SettlementLine._meta.db_table,
        indicator=ProjectIndicator._meta.db_table,
        category=ActivityCategory._meta.db_table,
        beneficiary=ProjectBeneficiary._meta.db_table,
        decided=", ".join(["%s"] * len(SUPPORTED_STATES)),
        area_sql=area_sql,
    )
    params = [*scope_params, *SUPPORTED_STATES]
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _facts_from_rows(rows, filters, "commune" if single_province else "province")


def _facts_from_rows(rows: list[tuple[Any, ...]], filters: Filters, by_area: str) -> Facts:
    facts = Facts(filters=filters, by_area=by_area)
    money: dict[str, MoneyBySource] = defaultdict(MoneyBySource)
    by_year: dict[int, dict[str, MoneyBySource]] = defaultdict(lambda: defaultdict(MoneyBySource))
    categories: dict[int, dict[str, int]] = defaultdict(
        lambda: {"projects": 0, "approved": 0, "disbursed": 0}
    )
    names: dict[int, str] = {}
    for metric, year, key, label, extra, v1, v2, v3 in rows:
        v1, v2, v3 = int(v1 or 0), int(v2 or 0), int(v3 or 0)
        if metric == "status":
            facts.status_counts[key] = v1
        elif metric == "catlevel":
            cat = int(key)
            names[cat] = extra
            facts.category_level[(cat, label)] = {"projects": v1, "approved": v2, "disbursed": v3}
            for name, value in (("projects", v1), ("approved", v2), ("disbursed", v3)):
                categories[cat][name] += value
            facts.level_counts[label] = facts.level_counts.get(label, 0) + v1
        elif metric == "planned":
            money[key].planned += v1
            by_year[year][key].planned += v1
        elif metric == "alloc":
            for target in (money[key], by_year[year][key]):
                target.approved += v1
                target.advanced += v2
                target.paid += v3
        elif metric == "settled":
            for target in (money[key], by_year[year][key]):
                target.settled += v1
                target.returned += v2
        elif metric == "indicator":
            facts.indicators[key] = {"planned": v1, "actual": v2, "reported": v3}
        elif metric == "facilities":
            facts.facilities_supported = v1
        elif metric == "area":
            facts.areas.append(
                {"id": int(key), "name": label, "projects": v1, "approved": v2, "disbursed": v3}
            )
    facts.money = {s: money.get(s, MoneyBySource()) for s in ALL_SOURCES}
    facts.money_by_year = {
        y: {s: by_year[y].get(s, MoneyBySource()) for s in ALL_SOURCES} for y in sorted(by_year)
    }
    facts.categories = sorted(
        ({"id": cat, "name": names.get(cat, str(cat)), **values} for cat, values in categories.items()),
        key=lambda c: -c["approved"],
    )
    facts.areas.sort(key=lambda a: (-a["approved"], a["name"]))
    return facts


def source_label(source: str) -> str:
    return str(Source(source).label)


def ledger_figures(
    *,
    province: int | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    live: bool = False,
) -> dict[str, int]:
    """The dashboard's headline figures of a province (or of the nation) as a flat dict, for
    ``manage.py reconcile`` and the property test: ``live=False`` is what the dashboard shows (the
    summary tables), ``live=True`` the ledger tables; they are equal at every moment.

    Years default to all years, so the totals compare with a plain SQL sum over the entries."""
    filters = Filters(year_from or 1900, year_to or 2999, province=province)
    facts = dashboard_facts(None, filters, single_province=province is not None, live=live)
    figures: dict[str, int] = {
        "projects": facts.project_count,
        "decided": facts.decided_count,
        "facilities_supported": facts.facilities_supported,
        "approved": facts.approved,
        "disbursed": facts.disbursed,
    }
    for source in ALL_SOURCES:
        m = facts.money[source]
        for name in ("planned", "approved", "advanced", "paid", "disbursed", "settled", "returned"):
            figures[f"{name}_{source}"] = getattr(m, name)
    return figures
