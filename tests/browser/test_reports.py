"""A manager filters the dashboard, drills down to the projects, requests the annual report, watches the
progress bar and downloads the file."""

from __future__ import annotations

import threading
import time

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def background_worker(monkeypatch):
    """Runs each enqueued report in a thread, a moment later, as a worker would."""
    from django.db import connection

    from reports import services

    threads: list[threading.Thread] = []

    def enqueue(run_pk: int) -> None:
        def work() -> None:
            try:
                time.sleep(1.5)
                services.report_run_execute(run_pk=run_pk)
            finally:
                connection.close()

        thread = threading.Thread(target=work, daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(services, "enqueue", enqueue)
    yield
    for thread in threads:
        thread.join(timeout=30)


def test_manager_dashboard_to_report_download(
    live_server, page, province_a, province_b, staff_a, staff_b, manager_a, media, background_worker, tmp_path
):
    from tests.reports.conftest import build_dataset

    build_dataset(province_a, province_b, staff_a, staff_b)
    login(page, live_server, manager_a.username, PASSWORD)

    # The dashboard, then only locally funded projects.
    page.click("nav >> text=Bảng điều khiển")
    page.wait_for_load_state("networkidle")
    assert "Giai đoạn 2022–2026: 2 đề án được phê duyệt, kinh phí hỗ trợ 500 triệu đồng" in page.inner_text(
        "#dashboard-summary"
    )
    shot(page, "reports-dashboard")
    page.select_option("#id_year_from", "2024")
    page.select_option("#id_year_to", "2024")
    page.select_option("#id_funding_level", "kcdp")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "funding_level=kcdp" in page.url
    summary = page.inner_text("#dashboard-summary")
    assert summary.startswith("Năm 2024: 1 đề án được phê duyệt, kinh phí hỗ trợ 200 triệu đồng")
    assert page.locator("#chart-by-year").is_visible()
    shot(page, "reports-dashboard-kcdp")

    # Drill down: the category row opens the project list filtered the same way.
    page.click("#table-by-category a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert "/de-an/" in page.url and "category=" in page.url and "funding_level=kcdp" in page.url
    body = page.inner_text("body")
    assert "KC-TEST-001" in body
    assert "KC-TEST-002" not in body and "KC-TEST-004" not in body  # other level; other year
    shot(page, "reports-drilldown-projects")

    # Request the annual report, watch it, download it.
    page.goto(f"{live_server.url}/bao-cao/")
    shot(page, "reports-catalogue")
    page.click("[data-kc-report=province_annual]")
    page.wait_for_load_state("networkidle")
    shot(page, "reports-request-form")
    assert page.input_value("#id_province") == str(province_a.pk)
    page.click("#report-request-form button[type=submit]")
    page.wait_for_selector("#run-progress")
    assert page.get_attribute("#run-progress", "data-status") in ("queued", "running")
    assert page.locator("#run-progress .progress").is_visible()
    shot(page, "reports-run-progress")
    page.wait_for_selector("#run-download", timeout=30000)
    assert page.get_attribute("#run-progress", "data-status") == "done"
    shot(page, "reports-run-done")
    with page.expect_download() as info:
        page.click("#run-download")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name.startswith("bao-cao-khuyen-cong-phu-tho-2022-2026") and target.suffix == ".xlsx"
    wb = load_workbook(target, read_only=True)
    assert "Theo nguồn" in wb.sheetnames
