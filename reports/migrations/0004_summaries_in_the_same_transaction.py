"""The dashboard's summary tables follow the ledger in the same transaction (issue 11).

Until now Celery rebuilt the tables every five minutes, so the dashboard lagged the ledger. Here:

* three views (``reports_*fact_source``) define each summary row from the base tables, once;
* ``reports_refresh_facts(project ids)`` replaces those projects' rows from the views, under a
  per-project transaction lock (two writers on one project queue instead of both inserting);
* statement-level triggers on every table a summary row is made of call it for the projects their
  statement touched (with transition tables, so a bulk statement recomputes each project once);
* each recompute marks its provinces dirty for this transaction; a deferred constraint trigger turns
  the mark into a new version number of the province at COMMIT. The dashboard's cache is keyed by
  those numbers (values of a sequence, never reused), so a cached figure is never older than the
  last committed transaction, and a transaction that has itself changed figures reads around the cache.

Province 0 in the versions stands for reference data every province's page shows (names of
categories, provinces and communes). ``FacilityFact`` now holds every beneficiary (the status is on
the row; "supported" is decided when reading, in one place: reports.selectors).
"""

from django.db import migrations

DIMS = (
    "project_id, province_id, category_id, funding_level, kind, status, start_year, end_year, "
    "legacy_province_id, legacy_district_id"
)
P_DIMS = (
    "p.id AS project_id, p.province_id, p.category_id, p.funding_level, p.kind, p.status, p.start_year, "
    "p.end_year, p.legacy_province_id, p.legacy_district_id"
)
INDICATORS = (
    "trainees",
    "trainees_female",
    "trainees_ethnic",
    "demo_models",
    "machines",
    "tech_lines",
    "products_recognised",
)
INDICATOR_COLS = ", ".join(f"{k}_planned, {k}_actual" for k in INDICATORS)
INDICATOR_SUMS = ", ".join(
    f"COALESCE(SUM(planned) FILTER (WHERE kind = '{k}'), 0)::bigint AS {k}_planned, "
    f"COALESCE(SUM(actual) FILTER (WHERE kind = '{k}'), 0)::bigint AS {k}_actual"
    for k in INDICATORS
)
INDICATOR_VALUES = ", ".join(f"i.{k}_planned, i.{k}_actual" for k in INDICATORS)

VIEWS = f"""
CREATE VIEW reports_projectfact_source AS
SELECT {P_DIMS}, a.approved, a.disbursed, {INDICATOR_VALUES}
FROM projects_project p
CROSS JOIN LATERAL (
    SELECT COALESCE(SUM(amount), 0)::bigint AS approved,
           COALESCE(SUM(advanced - recovered + paid), 0)::bigint AS disbursed
    FROM funding_allocation WHERE project_id = p.id
) a
CROSS JOIN LATERAL (
    SELECT {INDICATOR_SUMS} FROM projects_projectindicator WHERE project_id = p.id
) i;

CREATE VIEW reports_moneyfact_source AS
SELECT {P_DIMS}, u.year, u.source,
       SUM(u.planned)::bigint AS planned, SUM(u.approved)::bigint AS approved,
       SUM(u.advanced)::bigint AS advanced, SUM(u.paid)::bigint AS paid,
       SUM(u.settled)::bigint AS settled, SUM(u.returned)::bigint AS returned
FROM projects_project p
CROSS JOIN LATERAL (
    SELECT year, source::text AS source, amount AS planned, 0::bigint AS approved, 0::bigint AS advanced,
           0::bigint AS paid, 0::bigint AS settled, 0::bigint AS returned
    FROM funding_costplanline WHERE project_id = p.id
    UNION ALL
    SELECT year, source::text, 0, amount, advanced - recovered, paid, 0, 0
    FROM funding_allocation WHERE project_id = p.id
    UNION ALL
    SELECT st.year, sl.source::text, 0, 0, 0, 0, sl.actual, sl.returned
    FROM funding_settlementline sl JOIN funding_settlement st ON st.id = sl.settlement_id
    WHERE st.project_id = p.id
) u
GROUP BY p.id, u.year, u.source;

CREATE VIEW reports_facilityfact_source AS
SELECT {P_DIMS}, b.facility_id
FROM projects_projectbeneficiary b JOIN projects_project p ON p.id = b.project_id;
"""

VERSIONS = """
CREATE SEQUENCE reports_summary_version_seq;
CREATE TABLE reports_summaryversion (province_id integer PRIMARY KEY, n bigint NOT NULL);
CREATE TABLE reports_summarydirty (
    txid bigint NOT NULL, province_id integer NOT NULL, PRIMARY KEY (txid, province_id)
);

CREATE FUNCTION reports_mark_dirty(provs integer[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO reports_summarydirty (txid, province_id)
    SELECT DISTINCT txid_current(), p FROM unnest(provs) p WHERE p IS NOT NULL
    ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION reports_summary_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_summaryversion (province_id, n)
    VALUES (NEW.province_id, nextval('reports_summary_version_seq'))
    ON CONFLICT (province_id) DO UPDATE SET n = nextval('reports_summary_version_seq');
    DELETE FROM reports_summarydirty WHERE txid = NEW.txid AND province_id = NEW.province_id;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER reports_summary_commit AFTER INSERT ON reports_summarydirty
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reports_summary_commit();
"""

REFRESH = f"""
CREATE FUNCTION reports_refresh_facts(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
    provs integer[];
BEGIN
    SELECT array_agg(DISTINCT x ORDER BY x) INTO ids FROM unnest(ids) x WHERE x IS NOT NULL;
    IF ids IS NULL THEN
        RETURN;
    END IF;
    -- ascending order, so two writers of the same projects never wait for each other in a circle
    FOREACH pid IN ARRAY ids LOOP
        PERFORM pg_advisory_xact_lock(7247, (pid % 2147483647)::integer);
    END LOOP;
    WITH gone AS (DELETE FROM reports_projectfact WHERE project_id = ANY(ids) RETURNING province_id)
    SELECT array_agg(DISTINCT province_id) INTO provs FROM gone;
    DELETE FROM reports_moneyfact WHERE project_id = ANY(ids);
    DELETE FROM reports_facilityfact WHERE project_id = ANY(ids);
    INSERT INTO reports_projectfact ({DIMS}, approved, disbursed, {INDICATOR_COLS})
        SELECT {DIMS}, approved, disbursed, {INDICATOR_COLS}
        FROM reports_projectfact_source WHERE project_id = ANY(ids);
    INSERT INTO reports_moneyfact ({DIMS}, year, source, planned, approved, advanced, paid, settled, returned)
        SELECT {DIMS}, year, source, planned, approved, advanced, paid, settled, returned
        FROM reports_moneyfact_source WHERE project_id = ANY(ids);
    INSERT INTO reports_facilityfact ({DIMS}, facility_id)
        SELECT {DIMS}, facility_id FROM reports_facilityfact_source WHERE project_id = ANY(ids);
    PERFORM reports_mark_dirty(
        COALESCE(provs, '{{}}') || ARRAY(SELECT province_id::integer FROM projects_project WHERE id = ANY(ids))
    );
END $$;

CREATE FUNCTION reports_mark_projects_dirty(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    SELECT reports_mark_dirty(ARRAY(SELECT province_id::integer FROM projects_project WHERE id = ANY(ids)))
$$;
"""

# (table, SQL giving the project ids of a transition table named {rows}, action)
SOURCES = [
    ("funding_allocation", "SELECT project_id FROM {rows}", "refresh"),
    ("funding_costplanline", "SELECT project_id FROM {rows}", "refresh"),
    ("funding_settlement", "SELECT project_id FROM {rows}", "refresh"),
    (
        "funding_settlementline",
        "SELECT st.project_id FROM funding_settlement st WHERE st.id IN (SELECT settlement_id FROM {rows})",
        "refresh",
    ),
    ("projects_projectindicator", "SELECT project_id FROM {rows}", "refresh"),
    ("projects_projectbeneficiary", "SELECT project_id FROM {rows}", "refresh"),
    ("projects_project_communes", "SELECT project_id FROM {rows}", "mark"),
    ("projects_project_extra_categories", "SELECT project_id FROM {rows}", "mark"),
]
REFERENCE_TABLES = ["projects_activitycategory", "regions_province", "regions_commune"]
PROJECT_DIMS = (
    "province_id, category_id, funding_level, kind, status, start_year, end_year, legacy_province_id, "
    "legacy_district_id"
)


def _trigger_sql(table: str, ids_sql: str, action: str) -> str:
    call = "reports_refresh_facts" if action == "refresh" else "reports_mark_projects_dirty"
    new_ids = ids_sql.format(rows="new_rows")
    old_ids = ids_sql.format(rows="old_rows")
    return f"""
CREATE FUNCTION reports_facts_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM {call}(ARRAY({new_ids}));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM {call}(ARRAY({new_ids} UNION {old_ids}));
    ELSE
        PERFORM {call}(ARRAY({old_ids}));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reports_facts_ins AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_{table}();
CREATE TRIGGER reports_facts_upd AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_{table}();
CREATE TRIGGER reports_facts_del AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_{table}();
"""


PROJECT_TRIGGERS = f"""
CREATE FUNCTION reports_facts_projects_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_refresh_facts(ARRAY(SELECT id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        -- only a change of a dimension moves figures (a title or a version number does not)
        PERFORM reports_refresh_facts(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE ({", ".join("n." + c.strip() for c in PROJECT_DIMS.split(","))})
                  IS DISTINCT FROM ({", ".join("o." + c.strip() for c in PROJECT_DIMS.split(","))})
        ));
    ELSE
        PERFORM reports_refresh_facts(ARRAY(SELECT id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reports_facts_ins AFTER INSERT ON projects_project
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_projects_project();
CREATE TRIGGER reports_facts_upd AFTER UPDATE ON projects_project
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_projects_project();
CREATE TRIGGER reports_facts_del AFTER DELETE ON projects_project
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_projects_project();

CREATE FUNCTION reports_facts_reference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM reports_mark_dirty(ARRAY[0]);
    RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE TRIGGER reports_facts_reference AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_facts_reference();
"""
    for table in REFERENCE_TABLES
)

# Rebuild once from the views (the old tables left out beneficiaries of undecided projects).
REBUILD = f"""
DELETE FROM reports_projectfact;
DELETE FROM reports_moneyfact;
DELETE FROM reports_facilityfact;
INSERT INTO reports_projectfact ({DIMS}, approved, disbursed, {INDICATOR_COLS})
    SELECT {DIMS}, approved, disbursed, {INDICATOR_COLS} FROM reports_projectfact_source;
INSERT INTO reports_moneyfact ({DIMS}, year, source, planned, approved, advanced, paid, settled, returned)
    SELECT {DIMS}, year, source, planned, approved, advanced, paid, settled, returned
    FROM reports_moneyfact_source;
INSERT INTO reports_facilityfact ({DIMS}, facility_id)
    SELECT {DIMS}, facility_id FROM reports_facilityfact_source;
"""

FORWARD = (
    VIEWS
    + VERSIONS
    + REFRESH
    + "".join(_trigger_sql(*source) for source in SOURCES)
    + PROJECT_TRIGGERS
    + REBUILD
)

BACKWARD = (
    "".join(
        f"DROP TRIGGER reports_facts_ins ON {t}; DROP TRIGGER reports_facts_upd ON {t}; "
        f"DROP TRIGGER reports_facts_del ON {t}; DROP FUNCTION reports_facts_{t}();\n"
        for t in [s[0] for s in SOURCES] + ["projects_project"]
    )
    + "".join(f"DROP TRIGGER reports_facts_reference ON {t};\n" for t in REFERENCE_TABLES)
    + """
DROP FUNCTION reports_facts_reference();
DROP FUNCTION reports_mark_projects_dirty(bigint[]);
DROP FUNCTION reports_refresh_facts(bigint[]);
DROP TRIGGER reports_summary_commit ON reports_summarydirty;
DROP FUNCTION reports_summary_commit();
DROP FUNCTION reports_mark_dirty(integer[]);
DROP TABLE reports_summarydirty;
DROP TABLE reports_summaryversion;
DROP SEQUENCE reports_summary_version_seq;
DROP VIEW reports_facilityfact_source;
DROP VIEW reports_moneyfact_source;
DROP VIEW reports_projectfact_source;
"""
)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_former_units"),
        ("funding", "0004_totals_recomputed_under_lock"),
        ("projects", "0008_progressindicator"),
        ("regions", "0004_load_successors"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
