"""A report generated end to end by a real Celery worker through the broker (Redis in CI)."""

from __future__ import annotations

import io
import os
import time
import uuid

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (CI sets Redis)")
def test_real_worker_generates_the_annual_report(province_a, province_b, staff_a, staff_b, manager_a, media):
    from celery.contrib.testing.worker import start_worker

    from khuyencong.celery import app
    from reports import services
    from reports.models import ReportRun, RunStatus
    from tests.reports.conftest import TR, build_dataset
    from tests.reports.test_runs import _report

    build_dataset(province_a, province_b, staff_a, staff_b)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        run, created = services.report_run_request(
            user=manager_a,
            report=_report("province_annual"),
            parameters={"year_from": 2022, "year_to": 2026, "province": province_a.pk, "funding_level": ""},
            idempotency_key=uuid.uuid4().hex,
        )
        assert created
        # No result backend by design: the row carries the outcome; poll it.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status in (RunStatus.DONE, RunStatus.FAILED):
                break
            time.sleep(0.2)
    assert run.status == RunStatus.DONE, run.error
    assert run.attempts == 1
    assert ReportRun.objects.count() == 1
    with run.file.open("rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()), read_only=True)
    totals = next(r for r in wb["Theo nguồn"].iter_rows(values_only=True) if r[0] == "Tổng cộng")
    assert totals[2] == 500 * TR
