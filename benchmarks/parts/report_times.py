"""Report generation time per report kind."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks.parts.pages import sample_objects

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
