"""A real streaming replica (pg_basebackup with the machine's PostgreSQL binaries): a report reads
the replica while its replay is paused, and a payment is validated on the primary meanwhile."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.ops.helpers import database_url, manage

pytestmark = [pytest.mark.worker]


def _pg_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"), key=lambda p: int(p.parent.parent.name)
    )
    return found[-1].parent if found else None


PG_BIN: Any = _pg_bin()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(*cmd: str) -> list[str]:
    """PostgreSQL's server refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


def _run(*cmd: str) -> None:
    result = subprocess.run(_as_postgres(*cmd), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, " ".join(cmd) + "\n" + result.stdout + result.stderr


@pytest.fixture
def primary_and_replica(transactional_db):
    """A private primary (a copy of the migrated test database) and its streaming replica."""
    from django.db import connection

    source = database_url(connection.settings_dict)
    base = Path(tempfile.mkdtemp(prefix="kc-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    p_port, r_port = _free_port(), _free_port()
    try:
        _run(
            str(PG_BIN / "initdb"),
            "-D",
            str(primary),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {p_port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{base}'\n"
                "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n"
                "max_connections = 40\nshared_buffers = 32MB\n"
            )
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        _run(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"), "-w", "start")
        p_url = f"postgres://postgres@127.0.0.1:{p_port}/kc"
        _run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres", "kc")
        copy = subprocess.run(
            f"{PG_BIN / 'pg_dump'} --no-owner -d '{source}' | {PG_BIN / 'psql'} -q -v ON_ERROR_STOP=1 -d '{p_url}'",
            shell=True, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert copy.returncode == 0, copy.stderr[-3000:]
        _run(
            str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres",
            "-D", str(replica), "-R", "-X", "stream", "--no-sync", "--checkpoint=fast",
        )  # fmt: skip
        with (replica / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {r_port}\n")
        _run(str(PG_BIN / "pg_ctl"), "-D", str(replica), "-l", str(base / "replica.log"), "-w", "start")
        yield p_url, f"postgres://postgres@127.0.0.1:{r_port}/kc"
    finally:
        for data in (replica, primary):
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
                )
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(PG_BIN is None, reason="needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)")
def test_reports_read_the_lagging_replica_and_money_is_checked_on_the_primary(primary_and_replica, tmp_path):
    p_url, r_url = primary_and_replica
    out = manage(
        p_url, "shell", "-c", "from tests.ops.replica_scenario import run; run()",
        DATABASE_REPLICA_URL=r_url, DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )  # fmt: skip
    seen = json.loads(out.split("SCENARIO ", 1)[1])
    assert seen["replica_in_recovery"] is True
    # While the replica's replay is paused, the primary has the payment and the replica does not.
    assert seen["primary_paid"] == 123_456_789 and seen["replica_paid"] == 0
    # The money check ran on the primary: the second payment fits on the stale replica, and is refused.
    assert seen["second_payment"].startswith("refused") and "còn lại" in seen["second_payment"], seen
    # The report was built from the replica (without the payment), then, caught up, with it.
    assert seen["stale_report_has_payment"] is False
    assert seen["fresh_report_has_payment"] is True
