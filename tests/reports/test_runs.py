"""Report runs: files whose totals equal the dashboard's, PDF text, idempotency, sweeper, cleanup."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError
from reports import services
from reports.models import ReportRun, RunStatus
from reports.registry import Report, get_report
from reports.selectors import Filters, dashboard_facts
from tests.reports.conftest import TR

pytestmark = pytest.mark.django_db


def _report(code: str) -> Report:
    report = get_report(code)
    assert report is not None, code
    return report


def request_run(user, kind: str, **parameters) -> ReportRun:
    run, created = services.report_run_request(
        user=user, report=_report(kind), parameters=parameters, idempotency_key=uuid.uuid4().hex
    )
    assert created
    return run


def generate(user, kind: str, **parameters) -> ReportRun:
    run = request_run(user, kind, **parameters)
    assert services.report_run_execute(run_pk=run.pk) == "done"
    run.refresh_from_db()
    return run


def workbook(run: ReportRun):
    with run.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()), read_only=True)


def rows_of(sheet) -> list[tuple]:
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def totals_row(sheet) -> tuple:
    rows = [r for r in rows_of(sheet) if r and r[0] == "Tổng cộng"]
    assert len(rows) == 1
    return rows[0]


SCOPE_A = {"year_from": 2022, "year_to": 2026, "funding_level": ""}


def test_annual_report_totals_equal_the_dashboard(dataset, media, manager_a, province_a):
    run = generate(manager_a, "province_annual", province=province_a.pk, **SCOPE_A)
    facts = dashboard_facts(manager_a, Filters(2022, 2026))
    assert run.status == RunStatus.DONE and run.progress == 100
    wb = workbook(run)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Theo nội dung",
        "Theo nguồn",
        "Theo trạng thái",
        "Chỉ tiêu",
        "Danh sách đề án",
    ]
    by_source = totals_row(wb["Theo nguồn"])
    # Nguồn, Kế hoạch, Giao, Tạm ứng, Thanh toán, Giải ngân, Quyết toán
    assert by_source[2] == facts.approved == 500 * TR
    assert by_source[5] == facts.disbursed == 460 * TR
    assert by_source[6] == facts.total("settled") == 600 * TR
    assert by_source[1] == facts.total("planned")
    projects = wb["Danh sách đề án"]
    assert totals_row(projects)[7] == facts.approved
    assert totals_row(projects)[8] == facts.disbursed
    codes = [r[0] for r in rows_of(projects)[3:-1]]
    assert codes == ["KC-TEST-001", "KC-TEST-002", "KC-TEST-003"]  # P4 (2019) and province B left out
    assert totals_row(wb["Theo nội dung"])[3] == facts.approved
    header = rows_of(projects)[2]
    assert header[0] == "Mã đề án" and header[7] == "Kinh phí giao (đồng)"
    assert "Đào tạo nghề đan lát mây tre cho đồng bào dân tộc Mường" in [r[1] for r in rows_of(projects)]


def test_xlsx_has_frozen_header_and_dong_format(dataset, media, manager_a, province_a):
    run = generate(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    with run.file.open("rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()))
    sheet = wb["Theo nguồn"]
    assert sheet.freeze_panes == "A4"
    assert sheet["C4"].number_format == '#,##0 "₫"'
    year_totals = next(
        r for r in sheet.parent["Theo năm và nguồn"].iter_rows(values_only=True) if r[0] == "Tổng cộng"
    )
    assert year_totals[3] == 500 * TR


def test_formula_like_text_is_neutralised(dataset, media, manager_a, province_a):
    p = dataset.p1
    type(p).objects.filter(pk=p.pk).update(title='=HYPERLINK("http://evil.example","x")')
    run = generate(manager_a, "province_annual", province=province_a.pk, **SCOPE_A)
    titles = [r[1] for r in rows_of(workbook(run)["Danh sách đề án"])]
    assert '\'=HYPERLINK("http://evil.example","x")' in titles


def test_facility_shares_add_up_to_the_approved_money(dataset, media, manager_a, province_a):
    run = generate(manager_a, "supported_facilities", province=province_a.pk, **SCOPE_A)
    sheet = workbook(run)["Cơ sở được hỗ trợ"]
    body = rows_of(sheet)[3:-1]
    assert len(body) == 3  # f1 in P1 and P2, f2 in P1
    assert totals_row(sheet)[11] == dashboard_facts(manager_a, Filters(2022, 2026)).approved
    assert {r[0] for r in body} == {"Hợp tác xã mây tre đan Phú Vinh", "Hộ kinh doanh Bùi Văn Đức"}


def test_facility_shares_are_apportioned_by_largest_remainder(dataset, media, manager_a, province_a, staff_a):
    """The probe's 140.000.000 ₫ over three facilities: 46.666.667 + 46.666.667 + 46.666.666."""
    from funding.models import Allocation
    from projects.models import ProjectBeneficiary
    from tests.factories import project_facility

    Allocation.objects.filter(project=dataset.p1).update(amount=140 * TR, advanced=0, paid=0)
    third = project_facility(province_a, "Tổ hợp tác đan lát Thanh Sơn")
    ProjectBeneficiary.objects.create(project=dataset.p1, facility=third, added_by=staff_a)
    run = generate(manager_a, "supported_facilities", province=province_a.pk, **SCOPE_A)
    body = rows_of(workbook(run)["Cơ sở được hỗ trợ"])[3:-1]
    shares = sorted(r[11] for r in body if r[6] == dataset.p1.code)
    assert shares == [46_666_666, 46_666_667, 46_666_667]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")
def test_dossier_pdf_text_has_correct_vietnamese(dataset, media, manager_a, tmp_path):
    run = request_run(
        manager_a,
        "project_dossier",
        project=dataset.p2.pk,
        project_code="KC-TEST-002",
        province=dataset.p2.province_id,
    )
    assert services.report_run_execute(run_pk=run.pk) == "done"
    run.refresh_from_db()
    pdf = tmp_path / "dossier.pdf"
    with run.file.open("rb") as handle:
        pdf.write_bytes(handle.read())
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Hồ sơ đề án khuyến công" in text
    assert "Hỗ trợ ứng dụng máy sấy chè tiên tiến" in text
    assert "Hợp tác xã mây tre đan Phú Vinh" in text
    assert "Khuyến công quốc gia" in text
    assert "300.000.000 ₫" in text
    assert "Quyết toán" in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_xlsx_converts_cleanly_with_libreoffice(dataset, media, manager_a, province_a, tmp_path):
    run = generate(manager_a, "province_annual", province=province_a.pk, **SCOPE_A)
    source = tmp_path / "annual.xlsx"
    with run.file.open("rb") as handle:
        source.write_bytes(handle.read())
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "annual.csv").read_text(encoding="utf-8", errors="replace")


# --- idempotency ------------------------------------------------------------------------------------
class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the task records a failure."""


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_worker_killed_mid_report_leaves_one_file_after_redelivery(
    dataset, media, manager_a, province_a, monkeypatch
):
    run = request_run(manager_a, "province_annual", province=province_a.pk, **SCOPE_A)
    report = _report("province_annual")
    original = type(report).build

    def dying_build(self, run, target, progress):
        progress(30)
        target.write(b"half a workbook")
        raise WorkerKilled

    monkeypatch.setattr(type(report), "build", dying_build)
    with pytest.raises(WorkerKilled):
        services.report_run_execute(run_pk=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and not run.file
    assert stored_files(media) == []

    monkeypatch.setattr(type(report), "build", original)
    assert services.report_run_execute(run_pk=run.pk) == "done"  # the redelivered message
    assert services.report_run_execute(run_pk=run.pk) == "skipped"  # a duplicate, later
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.attempts == 2
    assert len(stored_files(media)) == 1
    assert ReportRun.objects.count() == 1


def test_a_file_left_by_an_attempt_that_died_before_commit_is_replaced(dataset, media, manager_a, province_a):
    run = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    leftover = media / services.storage_name(run, _report("funding_by_source"))
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"stale")
    assert services.report_run_execute(run_pk=run.pk) == "done"
    run.refresh_from_db()
    assert run.file.name == services.storage_name(run, _report("funding_by_source"))
    assert len(stored_files(media)) == 1
    assert leftover.read_bytes().startswith(b"PK")


def test_a_duplicated_message_while_the_first_runs_does_nothing(dataset, media, manager_a, province_a):
    from django.db import connections

    run = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # another worker holds the run
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services.LOCK_NAMESPACE, run.pk])
        assert services.report_run_execute(run_pk=run.pk) == "busy"
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [services.LOCK_NAMESPACE, run.pk])
    finally:
        other.close()
    assert services.report_run_execute(run_pk=run.pk) == "done"


def test_the_same_request_key_creates_one_run(
    dataset, client_for, manager_a, province_a, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(services, "enqueue", lambda pk: sent.append(pk))
    client = client_for(manager_a)
    data = {
        "year_from": 2022,
        "year_to": 2026,
        "province": province_a.pk,
        "funding_level": "",
        "request_key": "a" * 32,
    }
    url = reverse("reports:run_create", kwargs={"kind": "funding_by_source"})
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ReportRun.objects.count() == 1
    assert sent == [ReportRun.objects.get().pk]


def test_bad_parameters_answer_400_with_the_message(dataset, client_for, manager_a, province_b):
    url = reverse("reports:run_create", kwargs={"kind": "province_annual"})
    response = client_for(manager_a).post(
        url, {"year_from": 2026, "year_to": 2020, "province": province_b.pk}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Năm kết thúc phải bằng hoặc sau năm bắt đầu." in text
    assert ReportRun.objects.count() == 0


def test_dossier_of_another_provinces_project_is_refused(dataset, client_for, manager_a):
    url = reverse("reports:run_create", kwargs={"kind": "project_dossier"})
    response = client_for(manager_a).post(url, {"project_code": "KC-TEST-005"})
    assert response.status_code == 400
    assert "Không tìm thấy đề án có mã" in response.content.decode()


def test_unknown_report_kind_is_404(client_for, manager_a):
    assert (
        client_for(manager_a).get(reverse("reports:run_create", kwargs={"kind": "nope"})).status_code == 404
    )


def test_a_failing_report_records_the_reason(dataset, media, manager_a, province_a, monkeypatch, client_for):
    report = _report("funding_by_source")

    def broken(self, run, target, progress):
        raise DomainError("Thiếu số liệu kinh phí năm 2025.")

    monkeypatch.setattr(type(report), "build", broken)
    run = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    assert services.report_run_execute(run_pk=run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == "Thiếu số liệu kinh phí năm 2025."
    page = client_for(manager_a).get(reverse("reports:run_progress", kwargs={"pk": run.pk})).content.decode()
    assert "Thiếu số liệu kinh phí năm 2025." in page and "hx-trigger" not in page
    assert (
        client_for(manager_a).get(reverse("reports:run_download", kwargs={"pk": run.pk})).status_code == 404
    )


def test_progress_fragment_polls_while_running(dataset, manager_a, province_a, client_for):
    run = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=40)
    page = client_for(manager_a).get(reverse("reports:run_progress", kwargs={"pk": run.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="40"' in page


def test_download_only_within_scope(
    dataset, media, manager_a, staff_a, manager_b, national_manager, province_a, client_for
):
    run = generate(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    url = reverse("reports:run_download", kwargs={"pk": run.pk})
    response = client_for(staff_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert "attachment" in response["Content-Disposition"]
    assert client_for(manager_b).get(url).status_code == 404
    assert client_for(national_manager).get(url).status_code == 200
    national_run = generate(national_manager, "funding_by_source", province=None, **SCOPE_A)
    assert (
        client_for(manager_a).get(reverse("reports:run_download", kwargs={"pk": national_run.pk})).status_code
        == 404
    )


def test_province_users_cannot_request_national_reports(dataset, manager_a):
    with pytest.raises(DomainError):
        services.report_run_request(
            user=manager_a,
            report=_report("funding_by_source"),
            parameters={**SCOPE_A, "province": None},
            idempotency_key="x",
        )


# --- housekeeping -----------------------------------------------------------------------------------
def test_sweeper_requeues_runs_stuck_past_the_hard_limit(
    dataset, manager_a, province_a, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(services, "enqueue", lambda pk: sent.append(pk))
    stuck = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    fresh = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    worn = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    long_ago = timezone.now() - dt.timedelta(seconds=services.hard_time_limit() + 120)
    ReportRun.objects.filter(pk__in=[stuck.pk, worn.pk]).update(
        status=RunStatus.RUNNING, started_at=long_ago, attempts=1
    )
    ReportRun.objects.filter(pk=worn.pk).update(attempts=services.MAX_ATTEMPTS)
    ReportRun.objects.filter(pk=fresh.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.report_runs_sweep()
    assert result == {"requeued": 1, "failed": 1, "resent": 0}
    assert sent == [stuck.pk]
    assert ReportRun.objects.get(pk=stuck.pk).status == RunStatus.QUEUED
    assert ReportRun.objects.get(pk=fresh.pk).status == RunStatus.RUNNING
    assert ReportRun.objects.get(pk=worn.pk).status == RunStatus.FAILED


def test_cleanup_deletes_old_files_and_keeps_the_row(dataset, media, manager_a, province_a):
    old = generate(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    new = generate(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    ReportRun.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=services.retention_days() + 1)
    )
    assert services.report_files_cleanup() == 1
    old.refresh_from_db()
    assert old.status == RunStatus.EXPIRED and not old.file
    assert len(stored_files(media)) == 1
    assert ReportRun.objects.get(pk=new.pk).status == RunStatus.DONE


def test_periodic_reports_once_per_province_and_period(
    dataset, manager_a, manager_b, monkeypatch, django_capture_on_commit_callbacks
):
    from reports.scheduling import previous_period, schedule_periodic

    monkeypatch.setattr(services, "enqueue", lambda pk: None)
    assert previous_period("month", dt.date(2026, 1, 1))[0] == "2025-12"
    assert previous_period("quarter", dt.date(2026, 10, 1))[1:] == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert previous_period("quarter", dt.date(2026, 1, 1))[0] == "2025-Q4"
    assert schedule_periodic(period="month", today=dt.date(2026, 11, 1)) == 2  # Phú Thọ and Hà Nội
    assert schedule_periodic(period="month", today=dt.date(2026, 11, 1)) == 0
    assert schedule_periodic(period="quarter", today=dt.date(2026, 10, 1)) == 2
    runs = ReportRun.objects.filter(scheduled=True)
    assert runs.count() == 4
    assert {r.parameters["period"] for r in runs} == {"2026-10", "2026-Q3"}
    assert {r.description.split(" · ")[0] for r in runs} == {
        "Báo cáo tháng 10/2026 (lũy kế năm đến ngày lập)",
        "Báo cáo quý III/2026 (lũy kế năm đến ngày lập)",
    }


def test_beat_schedules_are_defined_in_code():
    import reports.tasks  # noqa: F401
    from khuyencong.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["reports.monthly_province_reports"]["args"] == ("month",)
    assert schedule["reports.quarterly_province_reports"]["args"] == ("quarter",)
    assert "reports.sweep_stuck_runs" in schedule and "reports.cleanup_old_files" in schedule
