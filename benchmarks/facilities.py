#!/usr/bin/env python
"""The facility register at national scale: list/search server time, import of 10,000 rows, export of
200,000 rows (time and peak memory).

``run(scale) -> dict`` measures whatever database Django is configured with; data come from
``benchdata`` (generated when the facility table holds fewer rows than the scale asks for).
Standalone: ``DATABASE_URL=… python benchmarks/facilities.py --scale full`` (use a database of its own:
generating data truncates the generated tables).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

IMPORT_ROWS = {"tiny": 200, "small": 2_000, "full": 10_000}
EXPORT_ROWS = {"tiny": 300, "small": 5_000, "full": 200_000}
ITERATIONS = {"tiny": 5, "small": 20, "full": 30}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def _ensure_data(scale: str, log: Any) -> int:
    from benchdata.generator import SCALES, generate
    from beneficiaries.models import Facility

    wanted = SCALES[scale].facilities
    have = Facility.objects.count()
    if have < wanted * 0.9:
        log(f"generating {scale} data ({have:,} < {wanted:,} facilities)…")
        generate(scale, 1, log=log)
        have = Facility.objects.count()
    return have


def _users() -> tuple[Any, Any, Any]:
    from django.db.models import Count

    from accounts.models import Organisation, OrganisationKind, Role, User
    from beneficiaries.models import Facility
    from regions.models import Province

    top = Facility.objects.values("province").annotate(n=Count("id")).order_by("-n").first()
    province = Province.objects.get(pk=top["province"]) if top else Province.objects.get(name="Tỉnh Phú Thọ")
    org, _ = Organisation.objects.get_or_create(
        name=f"Bench — Trung tâm Khuyến công {province.short_name}",
        defaults={"kind": OrganisationKind.CENTRE, "province": province},
    )
    national, _ = Organisation.objects.get_or_create(
        name="Bench — Cục (toàn quốc)", defaults={"kind": OrganisationKind.NATIONAL}
    )
    staff, _ = User.objects.update_or_create(
        username="bench_fac_staff", defaults={"organisation": org, "role": Role.STAFF}
    )
    manager, _ = User.objects.update_or_create(
        username="bench_fac_national", defaults={"organisation": national, "role": Role.MANAGER}
    )
    return staff, manager, province


def _measure(client: Any, url: str, params: dict[str, Any], iterations: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm caches and the plan
    times = []
    queries = 0
    for _ in range(iterations):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, params, response.status_code)
        times.append(elapsed)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1), "queries": queries}


def _pages(staff: Any, national: Any, province: Any, iterations: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from beneficiaries.models import Facility

    list_url = reverse("beneficiaries:facility_list")
    some = Facility.objects.filter(province=province).order_by("id").first()
    results: dict[str, Any] = {}
    for label, user in (("staff", staff), ("national", national)):
        client = Client()
        client.force_login(user)
        cases: dict[str, dict[str, Any]] = {
            "list": {},
            "list page 40": {"page": 40},
            "search 'hoa binh'": {"q": "hoa binh"},
            "search 'dong'": {"q": "dong"},
            "search tax code prefix": {"q": (some.tax_code or "0100")[:6]} if some else {"q": "0100"},
            "filter kind+status": {"kind": "htx", "status": "active"},
            "filter eligible=no": {"eligible": "no"},
            "filter sector 10": {"sector": "10"},
            "filter supported=yes": {"supported": "yes"},
        }
        for name, params in cases.items():
            results[f"{label}: {name}"] = _measure(client, list_url, params, iterations)
        if some is not None:
            results[f"{label}: detail"] = _measure(
                client, reverse("beneficiaries:facility_detail", args=[some.pk]), {}, iterations
            )
    return results


def _import(staff: Any, province: Any, rows: int) -> dict[str, Any]:
    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from stdnum.vn import mst

    from beneficiaries import importing
    from beneficiaries.models import Facility, ImportBatch
    from core.files import sha256_of
    from regions.models import Commune

    communes = list(Commune.objects.filter(province=province, kind="xã").values_list("name", flat=True))
    codes: list[str] = []
    n = 0
    while len(codes) < rows:
        nine = f"98{n:07d}"
        code = nine + str(mst.calc_check_digit(nine))
        if mst.is_valid(code):
            codes.append(code)
        n += 1
    taken = set(Facility.objects.filter(tax_code__in=codes).values_list("tax_code", flat=True))
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([importing.header_label(c) for c in importing.COLUMNS])
    keys = [c.key for c in importing.COLUMNS]
    for i, code in enumerate(c for c in codes if c not in taken):
        values = {
            "name": f"Cơ sở đo tải {i}",
            "kind": "Hợp tác xã",
            "tax_code": code,
            "commune": communes[i % len(communes)],
            "sectors": "1076",
            "workers_total": 20,
            "workers_female": 10,
            "workers_ethnic_minority": 3,
            "annual_revenue": 1_500_000_000,
            "women_owned": "có",
        }
        sheet.append([values.get(k, "") for k in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("do-tai.xlsx", buffer.getvalue())
    started = time.perf_counter()
    batch = importing.import_check(
        user=staff, upload=upload, kind="xlsx", province_id=province.pk, sha256=sha256_of(upload)
    )
    checked = time.perf_counter() - started
    assert batch.status == "checked", batch.errors[:5]
    started = time.perf_counter()
    batch = importing.import_commit(user=staff, batch=batch)
    committed = time.perf_counter() - started
    result = {
        "rows": batch.rows_created + batch.rows_updated,
        "dry_run_s": round(checked, 2),
        "commit_s": round(committed, 2),
        "total_s": round(checked + committed, 2),
    }
    # Leave the data set as it was.
    from django.apps import apps

    with transaction.atomic():
        ids = list(Facility.objects.filter(name__startswith="Cơ sở đo tải ").values_list("id", flat=True))
        Facility.sectors.through._default_manager.filter(facility_id__in=ids).delete()
        # pghistory's FacilityEvent is made at start-up (``Facility.events`` is its reverse accessor).
        apps.get_model("beneficiaries", "FacilityEvent")._default_manager.filter(pgh_obj_id__in=ids).delete()
        Facility.objects.filter(id__in=ids).delete()
        ImportBatch.objects.filter(pk=batch.pk).delete()
    return result


def _export(national: Any, rows: int) -> dict[str, Any]:
    from beneficiaries.models import Facility
    from beneficiaries.views import export_columns, export_rows
    from beneficiaries.xlsx_stream import write_sheet
    from core.exports import stream_csv

    ids = Facility.objects.order_by("id").values_list("id", flat=True)
    last = ids[rows - 1] if Facility.objects.count() >= rows else ids.last()
    queryset = Facility.objects.visible_to(national).filter(id__lte=last)
    out: dict[str, Any] = {"rows": queryset.count()}

    def write(fmt: str, target: Any) -> None:
        if fmt == "xlsx":
            write_sheet(target, "Cơ sở", export_columns(), export_rows(queryset))
            return
        response = stream_csv("x.csv", export_columns(), export_rows(queryset))
        for chunk in response:  # iterating the response yields its encoded chunks
            target.write(chunk if isinstance(chunk, bytes) else chunk.encode())

    for fmt in ("xlsx", "csv"):
        # Time without tracemalloc (it slows allocation-heavy code several times), then memory.
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with tempfile.TemporaryFile() as target:
            write(fmt, target)
            size = target.tell()
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        with tempfile.TemporaryFile() as target:
            write(fmt, target)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[fmt] = {
            "seconds": round(elapsed, 2),
            "python_peak_mb": round(peak / 1048576, 1),
            "max_rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
            "process_max_rss_mb": round(rss_after / 1024, 1),
            "file_mb": round(size / 1048576, 1),
        }
    return out


def run(scale: str = "small", log: Any = print) -> dict[str, Any]:
    """Measure the facility register; returns a JSON-ready dict."""
    _setup()
    facilities = _ensure_data(scale, log)
    staff, national, province = _users()
    log(f"{facilities:,} facilities; staff of {province.name}")
    result: dict[str, Any] = {"scale": scale, "facilities": facilities, "province": province.name}
    result["pages"] = _pages(staff, national, province, ITERATIONS[scale])
    result["import"] = _import(staff, province, IMPORT_ROWS[scale])
    result["export"] = _export(national, EXPORT_ROWS[scale])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(IMPORT_ROWS), default="small")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    # Production-like settings, as benchmarks/run.py uses (DEBUG off: cached templates).
    for key, value in {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-used-anywhere-else-0123456789abcdef",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "AXES_ENABLED": "false",
    }.items():
        os.environ.setdefault(key, value)
    result = run(args.scale, log=lambda m: print(m, file=sys.stderr))
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
