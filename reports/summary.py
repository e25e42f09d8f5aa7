"""Summary tables of the dashboard, kept equal to the ledger in the same transaction.

Database triggers (migration reports/0004) recompute a project's rows in ``ProjectFact``, ``MoneyFact``
and ``FacilityFact`` whenever a statement touches the project, its allocations, cost plan,
settlement, indicators or beneficiaries; the views ``reports_*fact_source`` define each row once.
So the dashboard's figures are the ledger's as soon as a transaction commits.

The dashboard reads these narrow tables (tens of milliseconds where the live aggregates of
:func:`reports.selectors.dashboard_facts` take half a second at national scale) and caches the rows
under the provinces' *summary versions*: numbers from a sequence that a deferred trigger gives a
province when a transaction that changed its figures commits. A cached figure is therefore never
older than the last commit, and a transaction that has changed figures itself (its changes are not
committed yet) reads around the cache. tests/reports/test_summary.py holds all of that.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from core.db import read_connection
from core.scoping import fixed_province_id, scope_sql
from projects.models import ActivityCategory, ProjectCategory, ProjectCommune
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
#: Every column of each summary table, and the view that defines its rows from the ledger.
COLUMNS = {
    "projectfact": (
        "approved",
        "disbursed",
        *(f"{k}_{c}" for k in INDICATORS for c in ("planned", "actual")),
    ),
    "moneyfact": ("year", "source", "planned", "approved", "advanced", "paid", "settled", "returned"),
    "facilityfact": ("facility_id",),
}
#: What identifies a row of each table (with the project).
ROW_KEYS = {"projectfact": (), "moneyfact": ("year", "source"), "facilityfact": ("facility_id",)}
REFERENCE_DATA = 0  # the version of names every page shows (categories, provinces, communes)


def _tables() -> dict[str, str]:
    return {
        "projectfact": ProjectFact._meta.db_table,
        "moneyfact": MoneyFact._meta.db_table,
        "facilityfact": FacilityFact._meta.db_table,
        "category": ActivityCategory._meta.db_table,
        "province": Province._meta.db_table,
        "commune": Commune._meta.db_table,
        "project_communes": ProjectCommune._meta.db_table,
        "extra_categories": ProjectCategory._meta.db_table,
    }


def refresh_summaries() -> SummaryState:
    """Rebuild the three tables from the views in one transaction (readers see the old rows until it
    commits). Triggers keep them current; this is for data loaded with triggers off (``COPY`` in
    ``benchdata``) and for repairs (``manage.py refresh_report_summaries``)."""
    t = _tables()
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            cols = ", ".join((*DIMS.split(", "), *columns))
            cursor.execute(f"DELETE FROM {t[table]}")
            cursor.execute(f"INSERT INTO {t[table]} ({cols}) SELECT {cols} FROM reports_{table}_source")
        cursor.execute(
            f"SELECT reports_mark_dirty(ARRAY(SELECT code::integer FROM {t['province']}) || %s)",
            [[REFERENCE_DATA]],
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
        for table in COLUMNS:
            cursor.execute(f"ANALYZE {t[table]}")
    return state


def summary_differences(limit: int = 50) -> list[str]:
    """Where the maintained tables differ from the ledger (the views), row by row, in words; empty
    when they agree. For ``manage.py reconcile``."""
    t = _tables()
    problems: list[str] = []
    for table, columns in COLUMNS.items():
        keys = ("project_id", *ROW_KEYS[table])
        values = [c for c in (*DIMS.split(", "), *columns) if c not in keys]
        join = " AND ".join(f"f.{k} = v.{k}" for k in keys)
        differs = " OR ".join(f"f.{c} IS DISTINCT FROM v.{c}" for c in values) or "FALSE"
        sql = f"""
            SELECT {", ".join(f"COALESCE(f.{k}, v.{k})" for k in keys)},
                   f.project_id IS NULL, v.project_id IS NULL,
                   {", ".join(f"f.{c}, v.{c}" for c in values) or "NULL, NULL"}
            FROM {t[table]} f FULL JOIN reports_{table}_source v ON {join}
            WHERE f.project_id IS NULL OR v.project_id IS NULL OR {differs}
            ORDER BY 1 LIMIT %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [limit])
            rows = cursor.fetchall()
        for row in rows:
            key = ", ".join(f"{k}={v}" for k, v in zip(keys, row[: len(keys)], strict=True))
            missing, extra = row[len(keys)], row[len(keys) + 1]
            if missing:
                problems.append(f"reports_{table} ({key}): thiếu dòng so với sổ kinh phí")
            elif extra:
                problems.append(f"reports_{table} ({key}): thừa dòng không có trong sổ kinh phí")
            else:
                pairs = row[len(keys) + 2 :]
                for i, column in enumerate(values):
                    have, want = pairs[2 * i], pairs[2 * i + 1]
                    if have != want:
                        problems.append(f"reports_{table} ({key}).{column}: {have} ≠ sổ kinh phí {want}")
    return problems


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
    from .selectors import SUPPORTED_STATES

    decided = ", ".join(["%s"] * len(SUPPORTED_STATES))
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
        FROM (SELECT DISTINCT b.facility_id FROM {t["facilityfact"]} b WHERE {ff_where}
              AND b.status IN ({decided})) distinct_facilities
    UNION ALL
    {area}
    """
    with read_connection().cursor() as cursor:
        cursor.execute(sql, [*pf_params, *mf_params, *ff_params, *SUPPORTED_STATES])
        return cursor.fetchall()


CACHE_SECONDS = 3600


def summary_version(province: int | None) -> str | None:
    """The committed version of one province's figures (or of the nation's: ``None``), as a short
    string; ``None`` when the current transaction has itself changed figures (uncommitted, so they
    must not be cached). One query."""
    where = "TRUE" if province is None else "province_id IN (%s, %s)"
    params = [] if province is None else [REFERENCE_DATA, province]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT EXISTS (SELECT 1 FROM reports_summarydirty WHERE txid = txid_current_if_assigned()),
                       (SELECT string_agg(province_id || ':' || n, ',' ORDER BY province_id)
                          FROM reports_summaryversion WHERE {where})""",
            params,
        )
        dirty, versions = cursor.fetchone()
    if dirty:
        return None
    return hashlib.blake2b((versions or "").encode(), digest_size=12).hexdigest()


def cached_summary_rows(user: Any, filters: Any, single_province: bool) -> list[tuple]:
    """The summary rows through the cache, keyed by the summary version of the scope: two queries
    on a hit (the session's user aside), three on a miss."""
    scope, _params = scope_sql(user, "province_id")
    if scope == "FALSE":
        return []
    province = filters.province or (None if user is None else fixed_province_id(user))
    scoped = dataclasses.replace(filters, province=province)
    version = summary_version(province)
    if version is None:
        return summary_rows(None, scoped, single_province)
    key = ":".join(
        str(part)
        for part in (
            "reports:dashboard",
            version,
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
    return rows
