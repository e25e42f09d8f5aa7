#!/usr/bin/env python
"""``make bench``: the portal measured at national scale on PostgreSQL, beside references from the
same run.

* data: ``generate_national_data`` into a dedicated database (``kc_bench`` on the server of
  DATABASE_URL, or BENCH_DATABASE_URL), reused while scale, seed and migrations are unchanged;
* key pages through Django's test client: p50/p95 server time and query count, beside the page's raw
  SQL replayed (the database floor) and Django admin's changelist on the same data;
* throughput under gunicorn with wrk on loopback (bounded by ``-d``), a mixed staff/manager workload
  beside a bare Django view;
* report generation time per report type; import and export time and peak memory (each in a child
  process, ``resource.getrusage`` and ``tracemalloc``).

Prints the tables and writes JSON and Markdown under ``benchmarks/results/``.
Usage: ``python benchmarks/run.py --scale small|full [--seed N] [--regenerate] [--no-load]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
VAR = ROOT / "var" / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROFILES = {
    # iterations per page, seconds of wrk per workload, rows imported
    "tiny": {"iterations": 5, "duration": 3, "import_rows": 50, "connections": 4},
    "small": {"iterations": 30, "duration": 15, "import_rows": 500, "connections": 8},
    "full": {"iterations": 10, "duration": 30, "import_rows": 5_000, "connections": 8},
}
BENCH_DB = "kc_bench"


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


# --- in-process page timing ---------------------------------------------------------------------------
@dataclass
class PageResult:
    key: str
    label: str
    user: str
    url: str
    status: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    bytes: int = 0
    sql_floor_p50_ms: float = 0.0
    admin_url: str = ""
    admin_p50_ms: float | None = None
    admin_p95_ms: float | None = None
    admin_queries: int | None = None
    note: str = ""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def fetch(client: Any, url: str) -> tuple[int, int]:
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def time_url(client: Any, url: str, iterations: int) -> tuple[list[float], int, int, list[str]]:
    """Warm up, time ``iterations`` requests, then one more with the queries captured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        fetch(client, url)
    times = []
    status = size = 0
    for _ in range(iterations):
        started = time.perf_counter()
        status, size = fetch(client, url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    sql = [q["sql"] for q in ctx.captured_queries]
    return times, status, size, sql


def sql_floor(statements: list[str], iterations: int) -> float:
    """p50 (ms) of replaying the page's own SQL with a raw cursor: the database's share of the page."""
    from django.db import connection

    replay = [s for s in statements if not s.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
    replay = [s for s in replay if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    times = []
    with connection.cursor() as cursor:
        for _ in range(max(iterations, 3)):
            started = time.perf_counter()
            for statement in replay:
                cursor.execute(statement)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50)


@dataclass
class Page:
    key: str
    label: str
    user: str
    url: Callable[[], str | None]
    admin_model: str | None = None
    admin_query: str = ""


def reverse_or_none(name: str, **kwargs: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def sample_objects() -> dict[str, Any]:
    """The Phú Thọ project with the most ledger rows (a heavy detail page) and one of its allocations."""
    from django.apps import apps
    from django.db.models import Count

    from benchdata.users import BENCH_PROVINCE
    from projects.workflow import PAYABLE_STATES

    found: dict[str, Any] = {}
    try:
        Project = apps.get_model("projects.Project")
        Allocation = apps.get_model("funding.Allocation")
    except LookupError:
        return found
    allocation = (
        Allocation.objects.filter(
            project__province__name=BENCH_PROVINCE,
            project__status__in=PAYABLE_STATES,
        )
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .first()
    )
    if allocation is not None:
        found["allocation"] = allocation.pk
    project = (
        Project.objects.filter(province__name=BENCH_PROVINCE)
        .annotate(n=Count("beneficiaries", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    if project is not None:
        found["project"] = project.pk
    if allocation is not None:
        found["money_project"] = allocation.project_id
    return found


def key_pages(samples: dict[str, Any]) -> list[Page]:
    from benchdata.users import BENCH_PROVINCE
    from regions.models import Province

    province = Province.objects.get(name=BENCH_PROVINCE).pk
    return [
        Page(
            "facility_list",
            "Danh sách cơ sở (tỉnh)",
            "bench.staff",
            lambda: reverse_or_none("beneficiaries:facility_list"),
            "beneficiaries.Facility",
            f"province__code__exact={province}",
        ),
        Page(
            "facility_list_national",
            "Danh sách cơ sở (toàn quốc)",
            "bench.national",
            lambda: reverse_or_none("beneficiaries:facility_list"),
            "beneficiaries.Facility",
        ),
        Page(
            "facility_search",
            "Tìm cơ sở “nguyen van” (tỉnh)",
            "bench.staff",
            lambda: _q(reverse_or_none("beneficiaries:facility_list"), "q=nguyen+van"),
            "beneficiaries.Facility",
            "q=nguyen+van",
        ),
        Page(
            "facility_search_national",
            "Tìm cơ sở “mây tre” (toàn quốc)",
            "bench.national",
            lambda: _q(reverse_or_none("beneficiaries:facility_list"), "q=may+tre"),
            "beneficiaries.Facility",
            "q=may+tre",
        ),
        Page(
            "project_list",
            "Danh sách đề án (tỉnh)",
            "bench.staff",
            lambda: reverse_or_none("projects:project_list"),
            "projects.Project",
            f"province__code__exact={province}",
        ),
        Page(
            "project_detail",
            "Chi tiết đề án",
            "bench.staff",
            lambda: (
                samples.get("project") and reverse_or_none("projects:project_detail", pk=samples["project"])
            ),
        ),
        Page(
            "project_money",
            "Kinh phí của đề án",
            "bench.staff",
            lambda: (
                samples.get("money_project")
                and reverse_or_none("funding:project_money", project_pk=samples["money_project"])
            ),
        ),
        Page(
            "payment_entry",
            "Nhập thanh toán (biểu mẫu)",
            "bench.staff",
            lambda: (
                samples.get("allocation")
                and reverse_or_none("funding:payment_create", pk=samples["allocation"])
            ),
            "funding.MoneyEntry",
        ),
        Page(
            "province_dashboard",
            "Bảng điều khiển (tỉnh)",
            "bench.manager",
            lambda: reverse_or_none("reports:dashboard"),
        ),
        Page(
            "national_dashboard",
            "Bảng điều khiển (toàn quốc)",
            "bench.national",
            lambda: reverse_or_none("reports:dashboard"),
        ),
        Page(
            "annual_plan",
            "Kế hoạch năm (tỉnh)",
            "bench.manager",
            lambda: reverse_or_none("funding:annual_plan"),
        ),
    ]


def _q(url: str | None, query: str) -> str | None:
    return f"{url}?{query}" if url else None


def admin_changelist(label: str) -> str | None:
    from django.apps import apps
    from django.contrib import admin

    model = apps.get_model(label)
    name = f"{model._meta.app_label}_{model._meta.model_name}_changelist"
    if model in admin.site._registry:
        return reverse_or_none(f"admin:{name}")
    return reverse_or_none(f"bench_admin:{name}")


def measure_pages(iterations: int, log: Callable[[str], None]) -> list[PageResult]:
    from django.test import Client

    from accounts.models import User

    samples = sample_objects()
    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        return clients[username]

    results = []
    for page in key_pages(samples):
        url = page.url()
        result = PageResult(page.key, page.label, page.user, url or "")
        if not url:
            result.note = "chưa có trang (URL chưa tồn tại hoặc thiếu dữ liệu)"
            results.append(result)
            log(f"  {page.key:<26} bỏ qua: {result.note}")
            continue
        times, status, size, sql = time_url(client_for(page.user), url, iterations)
        result.status, result.bytes, result.queries = status, size, len(sql)
        result.p50_ms, result.p95_ms = percentile(times, 50), percentile(times, 95)
        result.sql_floor_p50_ms = sql_floor(sql, iterations)
        if page.admin_model:
            admin_url = admin_changelist(page.admin_model)
            if admin_url:
                admin_url = f"{admin_url}?{page.admin_query}" if page.admin_query else admin_url
                a_times, a_status, _, a_sql = time_url(client_for("bench.admin"), admin_url, iterations)
                result.admin_url = admin_url
                if a_status == 200:
                    result.admin_p50_ms = percentile(a_times, 50)
                    result.admin_p95_ms = percentile(a_times, 95)
                    result.admin_queries = len(a_sql)
                else:
                    result.note = f"admin changelist answered {a_status}"
        log(
            f"  {page.key:<26} {status} p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
            f"{result.queries:3d} q  SQL {result.sql_floor_p50_ms:6.1f} ms"
        )
        results.append(result)
    return results


def measure_bare(iterations: int) -> dict[str, float]:
    from django.test import Client

    times, status, _, sql = time_url(Client(), "/__bench__/bare/", max(iterations, 50))
    return {
        "status": status,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "queries": len(sql),
    }


# --- reports ----------------------------------------------------------------------------------------
REPORT_TIMEOUT = 180


def measure_reports(log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Each report type built once as the real worker builds it (``report_run_execute``)."""
    from django.db import connection

    try:
        from reports.models import ReportRun
        from reports.registry import all_reports
        from reports.services import report_run_execute
    except ImportError as exc:
        log(f"  báo cáo: bỏ qua ({exc})")
        return []
    from accounts.models import User
    from benchdata.users import BENCH_PROVINCE
    from regions.models import Province

    province = Province.objects.get(name=BENCH_PROVINCE).pk
    samples = sample_objects()
    national = User.objects.get(username="bench.national")
    manager = User.objects.get(username="bench.manager")
    results = []
    for report in all_reports():
        scopes: list[tuple[str, dict[str, Any], Any]]
        if report.code == "project_dossier":
            from projects.models import Project

            if not samples.get("project"):
                continue
            code = Project.objects.values_list("code", flat=True).get(pk=samples["project"])
            scopes = [
                (
                    "đề án",
                    {"project": samples["project"], "project_code": code, "province": province},
                    manager,
                )
            ]
        else:
            base = {"year_from": 2017, "year_to": 2026, "funding_level": ""}
            scopes = [
                ("tỉnh, 10 năm", {**base, "province": province}, manager),
                ("toàn quốc, 10 năm", {**base, "province": None}, national),
            ]
        for scope, parameters, user in scopes:
            run = ReportRun.objects.create(
                kind=report.code,
                parameters=parameters,
                province_id=parameters.get("province"),
                requested_by=user,
                idempotency_key=f"bench-{report.code}-{scope}-{time.time_ns()}",
            )
            started = time.perf_counter()
            # A bounded run: a report still building after REPORT_TIMEOUT is cancelled and reported.
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = '{REPORT_TIMEOUT}s'")
            try:
                outcome = report_run_execute(run_pk=run.pk)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout = 0")
            seconds = time.perf_counter() - started
            run.refresh_from_db()
            row = {
                "report": report.code,
                "title": str(report.title),
                "scope": scope,
                "outcome": outcome,
                "seconds": round(seconds, 2),
                "bytes": run.file_size,
                "error": run.error,
            }
            log(f"  {report.code:<22} {scope:<18} {outcome:<7} {seconds:6.2f} s  {run.file_size or 0:>10,} B")
            results.append(row)
    return results


# --- import / export in child processes -----------------------------------------------------------------
def proc_status_mib(key: str) -> float | None:
    """VmRSS / VmHWM of this process (ru_maxrss survives exec on Linux, so it would show the parent's)."""
    with contextlib.suppress(OSError), open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def child_main(task: str, arg: str) -> None:
    """Run one import or export in this fresh process and print its time and memory as JSON."""
    import tracemalloc

    setup_django()
    rss_before = proc_status_mib("VmRSS")
    trace = os.environ.get("BENCH_TRACEMALLOC") == "1"
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    info = CHILD_TASKS[task](arg)
    seconds = time.perf_counter() - started
    peak_traced = tracemalloc.get_traced_memory()[1] / 1024 / 1024 if trace else None
    print(
        "BENCH-RESULT "
        + json.dumps(
            {
                "seconds": round(seconds, 2),
                "rss_before_mib": round(rss_before, 1),
                "rss_peak_mib": proc_status_mib("VmHWM"),
                "ru_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "tracemalloc_peak_mib": round(peak_traced, 1) if peak_traced is not None else None,
                **info,
            }
        )
    )


def _export(username: str, url: str) -> dict[str, Any]:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    size = 0
    if getattr(response, "streaming", False):
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    return {"status": response.status_code, "bytes": size}


def child_export(arg: str) -> dict[str, Any]:
    username, url = arg.split(" ", 1)
    return _export(username, url)


def child_import(arg: str) -> dict[str, Any]:
    """Upload a generated spreadsheet through the import page (dry run), then commit it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from accounts.models import User
    from beneficiaries.models import ImportBatch

    path = Path(arg)
    client = Client()
    client.force_login(User.objects.get(username="bench.staff"))
    url = reverse_or_none("beneficiaries:facility_import")
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    started = time.perf_counter()
    response = client.post(url, {"file": upload})
    check_seconds = time.perf_counter() - started
    batch = ImportBatch.objects.order_by("-pk").first()
    info: dict[str, Any] = {"status": response.status_code, "check_seconds": round(check_seconds, 2)}
    if batch is None:
        return {**info, "error": "no import batch"}
    info.update({"batch_status": batch.status, "rows": batch.rows_total, "invalid": batch.rows_invalid})
    commit = reverse_or_none("beneficiaries:import_commit", pk=batch.pk)
    if batch.status == "checked" and commit:
        started = time.perf_counter()
        response = client.post(commit)
        info["commit_seconds"] = round(time.perf_counter() - started, 2)
        batch.refresh_from_db()
        info.update({"commit_status": response.status_code, "created": batch.rows_created})
    return info


def child_import_rolled_back(arg: str) -> dict[str, Any]:
    """The import, inside one transaction rolled back at the end: the data set stays as generated."""
    from django.db import transaction

    with transaction.atomic():
        info = child_import(arg)
        transaction.set_rollback(True)
    return info


CHILD_TASKS: dict[str, Callable[[str], dict[str, Any]]] = {
    "export": child_export,
    "import": child_import_rolled_back,
}


def run_child(task: str, arg: str, trace: bool = False, timeout: int = 600) -> dict[str, Any]:
    env = {**os.environ, "BENCH_TRACEMALLOC": "1" if trace else "0"}
    proc = subprocess.run(
        [sys.executable, __file__, "--child", task, arg],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=ROOT,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    return {"error": (proc.stderr or proc.stdout)[-800:]}


def import_file(rows: int) -> Path:
    """A CSV in the import template's columns: new facilities of Phú Thọ (deterministic)."""
    import csv
    import random

    from benchdata.generator import person_name
    from beneficiaries.models import Facility
    from regions.models import Commune

    rng = random.Random(rows)
    communes = list(
        Commune.objects.filter(province__name="Tỉnh Phú Thọ", kind="xã")
        .order_by("code")
        .values_list("name", flat=True)
    )
    headers = import_headers()
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f"import-{rows}.csv"
    start = Facility.objects.count()
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for i in range(rows):
            owner, _ = person_name(rng)
            values = {
                "name": f"Hộ kinh doanh {owner} {start + i}",
                "kind": "Hộ kinh doanh",
                "personal_id": f"0259{start + i:08d}"[-12:],
                "representative": owner,
                "commune": rng.choice(communes),
                "province": "Tỉnh Phú Thọ",
                "workers_total": str(rng.randint(2, 9)),
                "workers_female": "1",
                "workers_ethnic_minority": "0",
                "main_products": "Mây tre đan",
            }
            writer.writerow([values.get(IMPORT_KEYS.get(h, ""), "") for h in headers])
    return path


IMPORT_KEYS: dict[str, str] = {}


def import_headers() -> list[str]:
    """Headers of the project's import template, mapped to facility fields where recognisable."""
    try:
        from beneficiaries import importing  # type: ignore[attr-defined]
    except ImportError:
        importing = None
    columns = getattr(importing, "COLUMNS", None) if importing else None
    headers: list[str] = []
    if columns:
        for column in columns:
            header = str(getattr(column, "header", column[0] if isinstance(column, tuple) else column))
            key = getattr(
                column, "field", getattr(column, "key", column[1] if isinstance(column, tuple) else "")
            )
            headers.append(header)
            IMPORT_KEYS[header] = str(key)
    return headers


def measure_import_export(profile: dict[str, Any], log: Callable[[str], None]) -> list[dict[str, Any]]:
    results = []
    export = reverse_or_none("beneficiaries:facility_export")
    jobs: list[tuple[str, str, str]] = []
    if export:
        jobs += [
            ("Xuất cơ sở .xlsx (tỉnh)", "export", f"bench.staff {export}?format=xlsx"),
            ("Xuất cơ sở .csv (tỉnh)", "export", f"bench.staff {export}?format=csv"),
            # National exports: time and RSS only (tracemalloc would triple their time at full scale).
            ("Xuất cơ sở .csv (toàn quốc)", "export-untraced", f"bench.national {export}?format=csv"),
            ("Xuất cơ sở .xlsx (toàn quốc)", "export-untraced", f"bench.national {export}?format=xlsx"),
        ]
    plan_export = reverse_or_none("funding:annual_plan_export")
    if plan_export:
        jobs.append(("Xuất kế hoạch năm .xlsx (tỉnh)", "export", f"bench.manager {plan_export}"))
    for label, task, arg in jobs:
        trace = not task.endswith("-untraced")
        task = task.removesuffix("-untraced")
        timed = run_child(task, arg)
        traced = run_child(task, arg, trace=True) if trace and "error" not in timed else {}
        row = {"operation": label, **timed, "tracemalloc_peak_mib": traced.get("tracemalloc_peak_mib")}
        results.append(row)
        log(
            f"  {label:<32} {timed.get('seconds', '-')!s:>6} s  RSS {timed.get('rss_before_mib', '-')}→"
            f"{timed.get('rss_peak_mib', '-')} MiB  {timed.get('bytes', 0) or 0:>12,} B "
            f"{timed.get('error', '')[:200]}"
        )
    if reverse_or_none("beneficiaries:facility_import") and import_headers():
        path = import_file(profile["import_rows"])
        timed = run_child("import", str(path))
        row = {"operation": f"Nhập {profile['import_rows']:,} cơ sở .csv (kiểm tra + ghi)", **timed}
        results.append(row)
        log(f"  {row['operation']:<32} {json.dumps(timed, ensure_ascii=False)[:300]}")
    else:
        log("  nhập dữ liệu: bỏ qua (chưa thấy mẫu cột của trang nhập)")
    return results


# --- throughput under gunicorn + wrk ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(workers: int) -> Iterator[str]:
    port = free_port()
    log_path = VAR / "gunicorn.log"
    VAR.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "khuyencong.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/__bench__/bare/", timeout=2).read()
                    break
                except Exception:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not start; see {log_path}") from None
                    time.sleep(0.3)
            yield base
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


WRK_SCRIPT = """
local reqs = {%s}
local i = 0
request = function()
  i = i %% #reqs + 1
  local r = reqs[i]
  return wrk.format("GET", r[1], {["Cookie"] = r[2]})
end
"""


def parse_wrk(output: str) -> dict[str, Any]:
    def unit_ms(text: str) -> float:
        for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)):
            if text.endswith(suffix):
                return float(text[: -len(suffix)]) * factor
        return float(text)

    result: dict[str, Any] = {"errors": 0, "non_2xx_3xx": 0}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["requests_per_second"] = float(parts[1])
        elif line.strip().startswith(("50%", "90%", "99%")) and len(parts) == 2:
            result[f"latency_{parts[0].rstrip('%')}_ms"] = round(unit_ms(parts[1]), 1)
        elif "requests in" in line:
            result["requests"] = int(parts[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["non_2xx_3xx"] = int(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            result["errors"] = sum(int(p.rstrip(",")) for p in parts if p.rstrip(",").isdigit())
    return result


def run_wrk(base: str, requests: list[tuple[str, str]], duration: int, connections: int) -> dict[str, Any]:
    entries = ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in requests)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % entries)
        script = fh.name
    try:
        proc = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
        )
    finally:
        os.unlink(script)
    return parse_wrk(proc.stdout) | ({"stderr": proc.stderr[-300:]} if proc.returncode else {})


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure_throughput(profile: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    if not shutil.which("wrk"):
        log("  wrk không có trên máy (apt-get install wrk): bỏ qua đo thông lượng")
        return {"skipped": "wrk not installed"}
    samples = sample_objects()
    pages = {p.key: p for p in key_pages(samples)}
    staff, manager = session_cookie("bench.staff"), session_cookie("bench.manager")
    # A working day: staff browse and enter, managers review and watch the dashboard (3:2).
    mix = [
        ("facility_list", staff, 3),
        ("facility_search", staff, 2),
        ("project_list", staff, 2),
        ("project_detail", staff, 2),
        ("payment_entry", staff, 1),
        ("project_list", manager, 2),
        ("project_detail", manager, 2),
        ("province_dashboard", manager, 2),
    ]
    requests = []
    for key, cookie, weight in mix:
        url = pages[key].url() if key in pages else None
        if url:
            requests += [(url, cookie)] * weight
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = 2 * nproc
    result: dict[str, Any] = {"gunicorn_workers": workers, "connections": profile["connections"]}
    with gunicorn(workers) as base:
        # Every URL must answer 200 with its cookie, or wrk would measure redirects.
        failing = set()
        for url, cookie in sorted(set(requests)):
            req = urllib.request.Request(f"{base}{url}", headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(req, timeout=60) as response:
                    if response.url.rstrip("/") != f"{base}{url}".rstrip("/"):
                        raise RuntimeError(f"redirected to {response.url}")
            except Exception as exc:
                log(f"  {url}: {exc} — bỏ khỏi tải hỗn hợp")
                failing.add((url, cookie))
        requests = [r for r in requests if r not in failing]
        result["failed_urls"] = sorted(u for u, _ in failing)
        result["bare"] = run_wrk(
            base, [("/__bench__/bare/", "")], profile["duration"], profile["connections"]
        )
        log(f"  bare view      {json.dumps(result['bare'])}")
        result["mixed"] = run_wrk(base, requests, profile["duration"], profile["connections"])
        result["mixed_urls"] = sorted({u for u, _ in requests})
        log(f"  mixed workload {json.dumps(result['mixed'])}")
    return result


# --- output ---------------------------------------------------------------------------------------------
@dataclass
class Results:
    scale: str
    seed: int
    started_at: str
    machine: dict[str, Any] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)
    bare_view: dict[str, Any] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    import_export: list[dict[str, Any]] = field(default_factory=list)
    throughput: dict[str, Any] = field(default_factory=dict)
    total_seconds: float = 0.0
    load_average_end: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    facilities: dict[str, Any] = field(default_factory=dict)


def fmt(value: Any, digits: int = 1) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown(results: Results) -> str:
    m = results.machine
    lines = [
        f"# make bench — scale {results.scale} (seed {results.seed}), {results.started_at}",
        "",
        f"Machine: {m.get('nproc')} CPU ({m.get('cpu')}), {m.get('memory_gib')} GiB RAM, "
        f"PostgreSQL {m.get('postgresql')}, Python {m.get('python')}, Django {m.get('django')}, "
        f"kernel {m.get('kernel')}. Load average at start {m.get('load_average')}, at end "
        f"{results.load_average_end} (other processes on the machine share its CPUs).",
        "",
        "Data: "
        + ", ".join(f"{k.split('.')[-1]} {v:,}" for k, v in results.dataset.get("counts", {}).items())
        + (
            f" (generated in {results.dataset['generated_seconds']} s)"
            if results.dataset.get("generated_seconds")
            else " (reused)"
        ),
        "",
        "## Key pages (server time through Django's test client, DEBUG off)",
        "",
        f"Reference — bare Django view: p50 {fmt(results.bare_view.get('p50_ms'), 2)} ms, "
        f"p95 {fmt(results.bare_view.get('p95_ms'), 2)} ms.",
        "",
        "| page | user | status | p50 ms | p95 ms | queries | raw SQL p50 ms "
        "| admin changelist p50 / p95 ms (queries) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in results.pages:
        admin = (
            f"{fmt(p['admin_p50_ms'])} / {fmt(p['admin_p95_ms'])} ({p['admin_queries']})"
            if p.get("admin_p50_ms") is not None
            else "–"
        )
        if not p.get("status"):
            lines.append(f"| {p['label']} | {p['user']} | – | – | – | – | – | {p.get('note', '')} |")
            continue
        lines.append(
            f"| {p['label']} | {p['user']} | {p['status']} | {fmt(p['p50_ms'])} | {fmt(p['p95_ms'])} | "
            f"{p['queries']} | {fmt(p['sql_floor_p50_ms'])} | {admin} |"
        )
    t = results.throughput
    lines += ["", "## Throughput (gunicorn + wrk on loopback)", ""]
    if t.get("skipped"):
        lines.append(f"Skipped: {t['skipped']}.")
    elif t:
        lines += [
            f"gunicorn {t.get('gunicorn_workers')} sync workers, wrk 1 thread × {t.get('connections')} "
            f"connections, {PROFILES[results.scale]['duration']} s each.",
            "",
            "| workload | req/s | p50 ms | p90 ms | p99 ms | requests | non-2xx/3xx | socket errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for key, label in (("bare", "bare Django view (reference)"), ("mixed", "mixed staff + manager")):
            w = t.get(key, {})
            lines.append(
                f"| {label} | {fmt(w.get('requests_per_second'))} | {fmt(w.get('latency_50_ms'))} | "
                f"{fmt(w.get('latency_90_ms'))} | {fmt(w.get('latency_99_ms'))} | {fmt(w.get('requests'))} | "
                f"{fmt(w.get('non_2xx_3xx'))} | {fmt(w.get('errors'))} |"
            )
    lines += ["", "## Report generation (report_run_execute, as the worker runs it)", ""]
    lines += ["| report | scope | outcome | seconds | bytes |", "|---|---|---|---|---|"]
    for r in results.reports:
        lines.append(
            f"| {r['report']} | {r['scope']} | {r['outcome']} | {fmt(r['seconds'], 2)} | {fmt(r['bytes'])} |"
        )
    lines += ["", "## Import and export (child process each)", ""]
    lines += [
        "| operation | status | seconds | bytes / rows | RSS before → peak MiB | tracemalloc peak MiB |",
        "|---|---|---|---|---|---|",
    ]
    for r in results.import_export:
        size = r.get("bytes") or r.get("rows") or ""
        seconds = r.get("seconds")
        if r.get("commit_seconds") is not None:
            seconds = f"{r.get('check_seconds')} + {r.get('commit_seconds')}"
        lines.append(
            f"| {r['operation']} | {r.get('status', r.get('error', '')[:60])} | {fmt(seconds, 2)} "
            f"| {fmt(size)} | {fmt(r.get('rss_before_mib'))} → {fmt(r.get('rss_peak_mib'))} "
            f"| {fmt(r.get('tracemalloc_peak_mib'))} |"
        )
    lines += ["", f"Whole run: {results.total_seconds:.0f} s."]
    if results.errors:
        lines += ["", "Errors: " + "; ".join(results.errors)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(PROFILES), default="small")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="tạo lại dữ liệu dù đã có")
    parser.add_argument("--no-load", action="store_true", help="bỏ qua đo thông lượng (gunicorn + wrk)")
    parser.add_argument(
        "--only", default="", help="chỉ chạy các phần: pages,reports,io,load,facilities (cách nhau dấu phẩy)"
    )
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child_main(*args.child)
        return 0

    started = time.monotonic()
    url = bench_database_url()
    ensure_database(url)
    configure_environment(url)
    setup_django()
    from django.core.management import call_command

    def log(text: str) -> None:
        print(text, flush=True)

    only = {part.strip() for part in args.only.split(",") if part.strip()}
    # "facilities" (benchmarks/facilities.py, the register's own deeper look) runs only when named.
    wanted = lambda part: part in only if only else part != "facilities"  # noqa: E731

    profile = PROFILES[args.scale]
    results = Results(args.scale, args.seed, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    log(f"CSDL đo hiệu năng: {urlsplit(url).hostname}:{urlsplit(url).port or 5432}/{BENCH_DB}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    results.machine = machine()
    log("Máy: " + json.dumps(results.machine, ensure_ascii=False))
    from benchdata.users import ensure_bench_users

    ensure_bench_users()
    results.dataset = ensure_dataset(args.scale, args.seed, args.regenerate, log)
    ensure_bench_users()

    @contextlib.contextmanager
    def section(name: str) -> Iterator[None]:
        # One failing part (another app's page mid-change) must not lose the others' figures.
        try:
            yield
        except Exception as exc:
            import traceback

            log(f"  LỖI trong phần {name}: {exc!r}")
            traceback.print_exc()
            results.errors.append(f"{name}: {exc!r}")

    if wanted("pages"):
        log("Trang chính:")
        with section("pages"):
            results.bare_view = measure_bare(profile["iterations"])
            results.pages = [asdict(p) for p in measure_pages(profile["iterations"], log)]
    if wanted("reports"):
        log("Báo cáo:")
        with section("reports"):
            results.reports = measure_reports(log)
    if wanted("io"):
        log("Nhập / xuất:")
        with section("io"):
            results.import_export = measure_import_export(profile, log)
    if wanted("facilities"):
        log("Sổ cơ sở (benchmarks/facilities.py):")
        with section("facilities"):
            from benchmarks import facilities

            results.facilities = facilities.run(args.scale if args.scale != "tiny" else "small", log=log)
    if wanted("load") and not args.no_load:
        log("Thông lượng:")
        from django.db import connections

        connections.close_all()
        with section("load"):
            results.throughput = measure_throughput(profile, log)
    results.total_seconds = round(time.monotonic() - started, 1)
    results.load_average_end = [round(x, 2) for x in os.getloadavg()]

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    json_path = RESULTS / f"bench-{args.scale}-{stamp}.json"
    json_path.write_text(json.dumps(asdict(results), ensure_ascii=False, indent=1, default=str))
    table = markdown(results)
    (RESULTS / f"bench-{args.scale}-{stamp}.md").write_text(table)
    print()
    print(table)
    print(f"JSON: {json_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
