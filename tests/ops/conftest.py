"""Fixtures of the operations tests: scratch databases of their own, dropped afterwards."""

from __future__ import annotations

import psycopg2
import pytest

from tests.ops.helpers import database_url


@pytest.fixture
def scratch_databases(transactional_db):
    """``make(template=True)``: a new database, a copy of the migrated (empty) test database, or an
    empty one with ``template=False``; all dropped after the test."""
    from django.db import connection, connections

    settings_dict = dict(connection.settings_dict)
    connections.close_all()
    admin = psycopg2.connect(database_url({**settings_dict, "NAME": "postgres"}))
    admin.autocommit = True
    made: list[str] = []

    def make(template: bool = True) -> str:
        name = f"{settings_dict['NAME']}_s{len(made)}"[:63]
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if template:
                # A template must have no other session: earlier tests of this worker may have left one
                # open in another thread (a live server's, a Celery eager task's, the replica alias's).
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [settings_dict["NAME"]],
                )
            cur.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{settings_dict["NAME"]}"' if template else "")
            )
        made.append(name)
        return database_url({**settings_dict, "NAME": name})

    yield make
    with admin.cursor() as cur:
        for name in made:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()
