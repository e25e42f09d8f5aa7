"""The pages: upload (the request only stores and queues), the progress bar, the dry-run table, the
commit, the "nhập từ dữ liệu cũ" badge on project pages and lists, and the flagged list."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportStatus, ProjectImport
from projects.models import Project
from tests.imports.workbooks import settled_project, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """What the broker receives, run by hand afterwards (the request must not run it)."""
    sent: list[tuple[str, int]] = []
    monkeypatch.setattr("imports.services._enqueue", lambda name, pk: sent.append((name, pk)))
    return sent


def _run(sent):
    from imports import services

    while sent:
        name, pk = sent.pop(0)
        if name == "check_import":
            services.import_check_execute(batch_pk=pk)
        else:
            services.import_commit_execute(batch_pk=pk)


def test_upload_queues_then_progress_then_commit_and_badges(
    client, staff_a, media, queued, django_capture_on_commit_callbacks
):
    client.force_login(staff_a)
    rows = settled_project("HB-2021-001", **{"Hồ sơ lịch sử": "có"})
    rows["Tạm ứng, thanh toán"][0][4] = 160_000_000  # over the 70 % advance ceiling: let in, flagged
    rows["Tạm ứng, thanh toán"][1][4] = 160_000_000
    upload = SimpleUploadedFile("ho-so-2021.xlsx", workbook(rows, titles=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:project_import"), {"file": upload})
    assert response.status_code == 302
    batch = ProjectImport.objects.get()
    assert batch.status == ImportStatus.QUEUED and queued == [("check_import", batch.pk)]
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert 'id="kc-import-progress"' in page and "hx-trigger" in page
    _run(queued)
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert "Tệp hợp lệ" in page and 'id="kc-import-breaches"' in page and "vượt mức tối đa 70%" in page
    assert "Trang “Đề án” (hiểu là “Đề án”): dòng tiêu đề 4" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:import_commit", args=[batch.pk]))
    assert response.status_code == 302
    assert ProjectImport.objects.get().status == ImportStatus.COMMITTING
    assert not Project.objects.exists()  # the request only queued the commit
    _run(queued)
    assert ProjectImport.objects.get().status == ImportStatus.COMMITTED
    project = Project.objects.get()
    listing = client.get(reverse("projects:project_list")).content.decode()
    assert "nhập từ dữ liệu cũ" in listing and "có vi phạm được ghi nhận" in listing
    detail = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert "nhập từ dữ liệu cũ" in detail
    history = client.get(
        reverse("projects:project_detail", args=[project.pk]) + "?tab=history"
    ).content.decode()
    assert "Nhập từ dữ liệu cũ" in history and batch.sha256 in history
    flagged = client.get(reverse("imports:imported_list") + "?flagged=1").content.decode()
    assert "HB-2021-001" in flagged and "vượt mức tối đa 70%" in flagged


def test_bad_cells_are_shown_with_sheet_row_and_column(
    client, staff_a, media, queued, django_capture_on_commit_callbacks
):
    client.force_login(staff_a)
    rows = settled_project("HB-2021-001")
    rows["Kinh phí giao"][0][3] = "hai trăm"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:project_import"), {"file": SimpleUploadedFile("a.xlsx", workbook(rows))})
    _run(queued)
    batch = ProjectImport.objects.get()
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert batch.status == ImportStatus.INVALID
    assert (
        "Kinh phí giao" in page
        and "D (Số tiền (đồng)*)" in page
        and "Số tiền “hai trăm” không hợp lệ." in page
    )
    response = client.post(reverse("imports:import_commit", args=[batch.pk]))
    assert response.status_code == 302 and ProjectImport.objects.get().status == ImportStatus.INVALID


def test_a_file_that_is_not_a_workbook_gets_a_vietnamese_message(client, staff_a, media, queued):
    client.force_login(staff_a)
    response = client.post(
        reverse("imports:project_import"), {"file": SimpleUploadedFile("a.xlsx", b"not a zip")}
    )
    assert response.status_code == 400
    assert "Tệp bị từ chối" in response.content.decode() or "không phải" in response.content.decode()


def test_the_template_downloads(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("imports:template"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('mau-nhap-de-an-cu.xlsx"')
