"""Summary tables of the dashboard: rebuilt by Celery every few minutes, read in one query.

At national scale (50,000 projects, 250,000 money rows) the live aggregates of
:func:`reports.selectors.dashboard_facts` take about half a second; the same figures from these
tables take a few tens of milliseconds. The dashboard reads them and says how fresh they are; the
reports (generated in the background) read the live tables. Both give the same figures once the
tables are rebuilt (tests/reports/test_summary.py holds that).
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from core.scoping import fixed_province_id, scope_sql
from funding.models import Allocation, CostPlanLine, Settlement, SettlementLine
from projects.models import ActivityCategory, Project, ProjectBeneficiary, ProjectIndicator
from projects.workflow import DECIDED_STATES
from regions.models import Commune, Province

from .models import FacilityFact, MoneyFact, ProjectFact, SummaryState

STATE_NAME = "dashboard"
INDICATORS = (
    "trainees",
    "trainees_female",
    "trainees_ethnic",
    "demo_models",
    "machines",
    "tech_lines",
    "products_recognised",
)
DIMS = (
    "project_id, province_id, category_id, funding_level, kind, status, start_year, end_year, "
    "legacy_province_id, legacy_district_id"
)
P_DIMS = (
    "p.id, p.province_id, p.category_id, p.funding_level, p.kind, p.status, p.start_year, p.end_year, "
    "p.legacy_province_id, p.legacy_district_id"
)


def _tables() -> dict[str, str]:
    return {
        "project": Project._meta.db_table,
        "allocation": Allocation._meta.db_table,
        "costplan": CostPlanLine._meta.db_table,
        "settlement": Settlement._meta.db_table,
        "settlementline": SettlementLine._meta.db_table,
        "indicator": ProjectIndicator._meta.db_table,
        "beneficiary": ProjectBeneficiary._meta.db_table,
        "projectfact": ProjectFact._meta.db_table,
        "moneyfact": MoneyFact._meta.db_table,
        "facilityfact": FacilityFact._meta.db_table,
        "state": SummaryState._meta.db_table,
        "category": ActivityCategory._meta.db_table,
        "province": Province._meta.db_table,
        "commune": Commune._meta.db_table,
        "project_communes": Project.communes.through._meta.db_table,
        "extra_categories": Project.extra_categories.through._meta.db_table,
    }


def refresh_summaries() -> SummaryState:
    """Rebuild the three tables in one transaction (readers see the old rows until it commits)."""
    t = _tables()
    indicator_cols = ", ".join(f"{k}_planned, {k}_actual" for k in INDICATORS)
    indicator_sums = ", ".join(
        f"COALESCE(SUM(planned) FILTER (WHERE kind = '{k}'), 0) AS {k}_planned, "
        f"COALESCE(SUM(actual) FILTER (WHERE kind = '{k}'), 0) AS {k}_actual"
        for k in INDICATORS
    )
    indicator_values = ", ".join(f"COALESCE(i.{k}_planned, 0), COALESCE(i.{k}_actual, 0)" for k in INDICATORS)
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("projectfact", "moneyfact", "facilityfact"):
            cursor.execute(f"DELETE FROM {t[table]}")
        cursor.execute(
            f"""
            INSERT INTO {t["projectfact"]} ({DIMS}, approved, disbursed, {indicator_cols})
            SELECT {P_DIMS}, COALESCE(a.approved, 0), COALESCE(a.disbursed, 0), {indicator_values}
            FROM {t["project"]} p
            LEFT JOIN (
                SELECT project_id, SUM(amount) AS approved, SUM(advanced - recovered + paid) AS disbursed
                FROM {t["allocation"]} GROUP BY project_id
            ) a ON a.project_id = p.id
            LEFT JOIN (
                SELECT project_id, {indicator_sums} FROM {t["indicator"]} GROUP BY project_id
            ) i ON i.project_id = p.id
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {t["moneyfact"]}
                ({DIMS}, year, source, planned, approved, advanced, paid, settled, returned)
            SELECT {P_DIMS}, u.year, u.source, SUM(u.planned), SUM(u.approved), SUM(u.advanced), SUM(u.paid),
                   SUM(u.settled), SUM(u.returned)
            FROM (
                SELECT project_id, year, source, amount AS planned, 0 AS approved, 0 AS advanced, 0 AS paid,
                       0 AS settled, 0 AS returned
                FROM {t["costplan"]}
                UNION ALL
                SELECT project_id, year, source, 0, amount, advanced - recovered, paid, 0, 0
                FROM {t["allocation"]}
                UNION ALL
                SELECT st.project_id, st.year, sl.source, 0, 0, 0, 0, sl.actual, sl.returned
                FROM {t["settlementline"]} sl JOIN {t["settlement"]} st ON st.id = sl.settlement_id
            ) u JOIN {t["project"]} p ON p.id = u.project_id
            GROUP BY {P_DIMS}, u.year, u.source
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {t["facilityfact"]} ({DIMS}, facility_id)
            SELECT {P_DIMS}, b.facility_id
            FROM {t["beneficiary"]} b JOIN {t["project"]} p ON p.id = b.project_id
            WHERE p.status IN ({", ".join(["%s"] * len(DECIDED_STATES))})
            """,
            list(DECIDED_STATES),
        )
        cursor.execute(f"SELECT COUNT(*) FROM {t['projectfact']}")
        projects = cursor.fetchone()[0]
        state, _ = SummaryState.objects.update_or_create(
            name=STATE_NAME,
            defaults={
                "refreshed_at": timezone.now(),
                "duration_ms": int((time.monotonic() - started) * 1000),
                "projects": projects,
            },
        )
    with connection.cursor() as cursor:  # fresh statistics for the planner (outside the transaction)
        for table in ("projectfact", "moneyfact", "facilityfact"):
            cursor.execute(f"ANALYZE {t[table]}")
    return state


def _dims_where(alias: str, user: Any, filters: Any, extra_categories: str) -> tuple[str, list[Any]]:
    scope, scope_params = scope_sql(user, f"{alias}.province_id")
    conds = [scope, f"{alias}.start_year <= %s", f"{alias}.end_year >= %s"]
    params: list[Any] = [*scope_params, filters.year_to, filters.year_from]
    if filters.province:
        conds.append(f"{alias}.province_id = %s")
        params.append(filters.province)
    if filters.funding_level:
        conds.append(f"{alias}.funding_level = %s")
        params.append(filters.funding_level)
    if filters.kind:
        conds.append(f"{alias}.kind = %s")
        params.append(filters.kind)
    if filters.legacy_province:
        conds.append(f"{alias}.legacy_province_id = %s")
        params.append(filters.legacy_province)
    if filters.legacy_district:
        conds.append(f"{alias}.legacy_district_id = %s")
        params.append(filters.legacy_district)
    if filters.category:
        conds.append(
            f"({alias}.category_id = %s OR {alias}.project_id IN "
            f"(SELECT project_id FROM {extra_categories} WHERE activitycategory_id = %s))"
        )
        params += [filters.category, filters.category]
    return " AND ".join(conds), params


def summary_rows(user: Any, filters: Any, single_province: bool) -> list[tuple]:
    """The dashboard's rows (same shape as the live query's) from the summary tables, one query."""
    t = _tables()
    pf_where, pf_params = _dims_where("f", user, filters, t["extra_categories"])
    mf_where, mf_params = _dims_where("m", user, filters, t["extra_categories"])
    ff_where, ff_params = _dims_where("b", user, filters, t["extra_categories"])
    indicator_sums = ", ".join(f"SUM({k}_planned) AS {k}_p, SUM({k}_actual) AS {k}_a" for k in INDICATORS)
    indicator_values = ", ".join(f"('{k}', t.{k}_p, t.{k}_a)" for k in INDICATORS)
    pf_indicator_cols = ", ".join(f"f.{k}_planned, f.{k}_actual" for k in INDICATORS)
    if single_province:
        area = f"""
            SELECT 'area', NULL::int, pc.commune_id::text, co.name, NULL, COUNT(*)::bigint,
                   SUM(pf.approved)::bigint, SUM(pf.disbursed)::bigint
            FROM pf JOIN {t["project_communes"]} pc ON pc.project_id = pf.project_id
            JOIN {t["commune"]} co ON co.code = pc.commune_id GROUP BY pc.commune_id, co.name"""
    else:
        area = f"""
            SELECT 'area', NULL::int, pf.province_id::text, pr.name, NULL, COUNT(*)::bigint,
                   SUM(pf.approved)::bigint, SUM(pf.disbursed)::bigint
            FROM pf JOIN {t["province"]} pr ON pr.code = pf.province_id GROUP BY pf.province_id, pr.name"""
    sql = f"""
    WITH pf AS MATERIALIZED (
        SELECT f.project_id, f.province_id, f.category_id, f.funding_level, f.status, f.approved, f.disbursed,
               {pf_indicator_cols}
        FROM {t["projectfact"]} f WHERE {pf_where}
    ),
    money AS (
        SELECT m.year, m.source, SUM(m.planned) AS planned, SUM(m.approved) AS approved,
               SUM(m.advanced) AS advanced, SUM(m.paid) AS paid, SUM(m.settled) AS settled,
               SUM(m.returned) AS returned
        FROM {t["moneyfact"]} m WHERE {mf_where} GROUP BY m.year, m.source
    ),
    ind AS (SELECT {indicator_sums} FROM pf)
    SELECT 'status', NULL::int, pf.status, NULL::text, NULL::text, COUNT(*)::bigint, 0::bigint, 0::bigint
        FROM pf GROUP BY pf.status
    UNION ALL
    SELECT 'catlevel', NULL::int, pf.category_id::text, pf.funding_level, cat.short_name, COUNT(*)::bigint,
           SUM(pf.approved)::bigint, SUM(pf.disbursed)::bigint
        FROM pf JOIN {t["category"]} cat ON cat.id = pf.category_id
        GROUP BY pf.category_id, pf.funding_level, cat.short_name
    UNION ALL
    SELECT v.metric, money.year::int, money.source, NULL, NULL, v.a::bigint, v.b::bigint, v.c::bigint
        FROM money, LATERAL (VALUES ('planned', money.planned, 0, 0),
                                    ('alloc', money.approved, money.advanced, money.paid),
                                    ('settled', money.settled, money.returned, 0)) v(metric, a, b, c)
        WHERE v.a <> 0 OR v.b <> 0 OR v.c <> 0
    UNION ALL
    SELECT 'indicator', NULL::int, v.kind, NULL, NULL, v.p::bigint, v.a::bigint, 0::bigint
        FROM ind t, LATERAL (VALUES {indicator_values}) v(kind, p, a) WHERE v.p IS NOT NULL
    UNION ALL
    SELECT 'facilities', NULL::int, '', NULL, NULL, COUNT(*)::bigint, 0::bigint, 0::bigint
        FROM (SELECT DISTINCT b.facility_id FROM {t["facilityfact"]} b WHERE {ff_where}) distinct_facilities
    UNION ALL
    {area}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pf_params, *mf_params, *ff_params])
        return cursor.fetchall()


def summary_state() -> SummaryState | None:
    return SummaryState.objects.filter(name=STATE_NAME).first()


CACHE_SECONDS = 3600


def cached_summary_rows(
    user: Any, filters: Any, single_province: bool
) -> tuple[SummaryState, list[tuple]] | None:
    """The summary rows through the cache, keyed by the tables' build time (so a rebuild is never
    hidden by the cache); None when the tables were never built. One query on a cache hit."""
    state = summary_state()
    if state is None:
        return None
    scope, _params = scope_sql(user, "province_id")
    if scope == "FALSE":
        return state, []
    province = filters.province or (None if user is None else fixed_province_id(user))
    scoped = dataclasses.replace(filters, province=province)
    key = ":".join(
        str(part)
        for part in (
            "reports:dashboard",
            int(state.refreshed_at.timestamp() * 1_000_000),
            province or "all",
            scoped.year_from,
            scoped.year_to,
            scoped.funding_level,
            scoped.category or "",
            scoped.kind,
            scoped.legacy_province or "",
            scoped.legacy_district or "",
            int(single_province),
        )
    )
    rows = cache.get(key)
    if rows is None:
        rows = summary_rows(None, scoped, single_province)
        cache.set(key, rows, CACHE_SECONDS)
    return state, rows


def warm_cache() -> int:
    """Compute the default view of the nation and of each province in use, right after a rebuild,
    so the first manager to open the dashboard does not wait."""
    from .selectors import Filters, default_year_range

    year_from, year_to = default_year_range()
    cached_summary_rows(None, Filters(year_from, year_to), False)
    codes = Province.objects.filter(organisations__isnull=False).values_list("code", flat=True).distinct()
    for code in codes:
        cached_summary_rows(None, Filters(year_from, year_to, province=code), True)
    return 1 + len(codes)
