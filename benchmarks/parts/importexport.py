"""Import and export time and peak memory, each in a child process."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.parts.common import ROOT, RUN_SCRIPT, VAR
from benchmarks.parts.environment import setup_django
from benchmarks.parts.pages import reverse_or_none


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
    rss_before = proc_status_mib("VmRSS") or 0.0
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
        for chunk in response:  # a streamed response iterates over its encoded chunks
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
    if url is None:
        raise RuntimeError("beneficiaries:facility_import is not routed")
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
        [sys.executable, str(RUN_SCRIPT), "--child", task, arg],
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
    columns: list[Any] | None
    try:
        from beneficiaries.importing import COLUMNS as columns
    except ImportError:
        columns = None
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
