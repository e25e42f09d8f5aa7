"""Every table's row count and every money sum of a database given by URL (core.backup's reading)."""

from __future__ import annotations

import psycopg2

from core.backup import database_stats as stats_of_cursor


def database_stats(url: str) -> dict[str, dict[str, int]]:
    """``{"rows": {table: count}, "money": {"table.column": sum}}`` for the public schema."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            return stats_of_cursor(cur)
    finally:
        conn.close()
