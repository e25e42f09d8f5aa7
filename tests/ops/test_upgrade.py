"""An upgrade on a populated database: at the previous release's migrations (deploy/
previous-release-migrations.json) with money in it, ``migrate`` runs forward and loses no row and
no đồng. Run in a database of its own (a copy of the test database), by manage.py as in production."""

from __future__ import annotations

import json

import pytest

from tests.ops.dbstats import database_stats
from tests.ops.helpers import ROOT, manage

pytestmark = [pytest.mark.worker]


def test_a_populated_database_of_the_previous_release_migrates_forward(scratch_databases, tmp_path):
    url = scratch_databases()
    media = str(tmp_path / "media")
    manage(url, "shell", "-c", "from tests.ops.populate import populate; populate()", DJANGO_MEDIA_ROOT=media)
    current = database_stats(url)
    assert current["money"]["funding_moneyentry.amount"] > 0
    # Down to the previous release's schema: the rows are now those of a database of that release.
    previous = json.loads((ROOT / "deploy" / "previous-release-migrations.json").read_text())["migrations"]
    for app in ("api", "notifications", "papers", "projects", "reports", "beneficiaries", "regions"):
        manage(url, "migrate", app, previous[app], "--noinput")
    applied = manage(url, "showmigrations", "--plan")
    assert "[X]  projects.0006" not in applied and "[X]  projects.0005" in applied
    old = database_stats(url)
    assert "notifications_notification" not in old["rows"]
    assert old["rows"]["funding_moneyentry"] == current["rows"]["funding_moneyentry"] > 0

    manage(url, "migrate", "--noinput")
    new = database_stats(url)
    assert "[ ]" not in manage(url, "showmigrations", "--plan")
    for table, count in old["rows"].items():
        if table.startswith(("regions_", "django_migrations")):
            continue  # reference data reloaded by the migrations; the migration log grows
        if table.endswith("event") or table.startswith("pgh"):
            assert new["rows"][table] >= count, table  # data migrations leave audit events
            continue
        assert new["rows"][table] == count, table
    for column, total in old["money"].items():
        assert new["money"][column] == total, column
