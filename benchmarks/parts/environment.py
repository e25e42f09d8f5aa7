"""The bench's database, Django set-up, the machine's description and the generated data set."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import platform
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks.parts.common import BENCH_DB, ROOT, VAR


# --- environment -------------------------------------------------------------------------------------
def bench_database_url() -> str:
    """The benchmark database: BENCH_DATABASE_URL, else ``kc_bench`` on DATABASE_URL's server."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if not base:
        from core.embedded_postgres import ensure_embedded_postgres

        base = ensure_embedded_postgres(ROOT / "var")
    return urlunsplit(urlsplit(base)._replace(path=f"/{BENCH_DB}"))


def ensure_database(url: str) -> None:
    """Create the benchmark database on its server if it does not exist (touches no other database)."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def configure_environment(url: str) -> None:
    """Production-like settings (DEBUG off) on the benchmark database."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-used-anywhere-else-0123456789abcdef",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_STATIC_ROOT": str(VAR / "static"),
            "DJANGO_MEDIA_ROOT": str(VAR / "media"),
            "DJANGO_LOG_LEVEL": "ERROR",
            "AXES_ENABLED": "false",
            "DB_CONN_MAX_AGE": "600",
            # Generating the full-scale data set runs long statements.
            "DB_STATEMENT_TIMEOUT": "0",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
    )
    os.environ.pop("DJANGO_TEST_DB_NAME", None)


def setup_django() -> None:
    import django

    django.setup()


# --- machine ----------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    from django.db import connection

    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0.0
    with contextlib.suppress(OSError), open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) / 1024 / 1024
                break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    import django

    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory, 1),
        "postgresql": pg,
        "python": platform.python_version(),
        "django": django.get_version(),
        "kernel": platform.release(),
        "host": platform.node(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


# --- data set ---------------------------------------------------------------------------------------
def schema_fingerprint() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def ensure_dataset(scale: str, seed: int, regenerate: bool, log: Callable[[str], None]) -> dict[str, Any]:
    """Generate the data set unless the same scale, seed and schema are already loaded."""
    from django.core.management import call_command

    marker = VAR / f"dataset-{BENCH_DB}.json"
    wanted = {"scale": scale, "seed": seed, "schema": schema_fingerprint()}
    if not regenerate and marker.exists():
        stored = json.loads(marker.read_text())
        if {k: stored.get(k) for k in wanted} == wanted:
            log(f"Dữ liệu '{scale}' (seed {seed}) đã có sẵn: dùng lại (--regenerate để tạo lại).")
            return stored
    marker.unlink(missing_ok=True)
    out = io.StringIO()
    started = time.monotonic()
    call_command("generate_national_data", scale=scale, seed=seed, stdout=out)
    elapsed = time.monotonic() - started
    log(out.getvalue().rstrip())
    info = {**wanted, "generated_seconds": round(elapsed, 1), "counts": dataset_counts()}
    VAR.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    return info


def dataset_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for label in (
        "beneficiaries.Facility",
        "projects.Project",
        "projects.ProjectBeneficiary",
        "funding.Allocation",
        "funding.MoneyEntry",
        "funding.BudgetEnvelope",
    ):
        with contextlib.suppress(LookupError):
            counts[label] = apps.get_model(label).objects.count()
    return counts
