"""Issue 12 done-when: staff submit → the manager gets a notice and a real email → approves from the
inbox → staff see “Ghi nhận hợp đồng” as their next task → the decision .docx, converted by LibreOffice,
shows its number, date and amount in words. Screenshots of each role's inbox, and the first page of
every generated paper as PNG (test-artifacts/), are kept to be looked at."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from accounts.models import Role
from notifications.models import EmailLog, EmailStatus, Notification
from papers import services as papers
from papers.models import PaperKind
from papers.rendering import soffice
from projects.models import Project, ProjectBeneficiary
from tests.browser.conftest import login, shot
from tests.factories import PASSWORD, ProjectFactory, UserFactory, project_facility
from tests.notifications.conftest import Inbox, free_port, use_smtp

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PAPERS = Path(__file__).resolve().parents[2] / "test-artifacts" / "papers"


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    use_smtp(settings, port)
    yield inbox
    controller.stop()


@pytest.fixture
def send_now(monkeypatch):
    """The mail task runs as the worker would, right after commit (no broker needed in the test)."""
    from notifications import tasks

    monkeypatch.setattr(tasks.send_email, "delay", lambda pk: tasks.send_email.run(pk))


@pytest.mark.timeout(900)  # five LibreOffice conversions on a shared 2-CPU machine
def test_the_office_day(page, live_server, smtp, send_now, settings, tmp_path, world):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff, manager = world.staff_a, world.manager_a
    staff.email, manager.email = "chuyen.vien@sct.phutho.gov.vn", "lanh.dao@sct.phutho.gov.vn"
    staff.first_name, staff.last_name = "Nguyễn Thị", "Hằng"
    manager.first_name, manager.last_name = "Trần", "Đức Lương"
    staff.save()
    manager.save()
    Notification.objects.all().delete()
    project = ProjectFactory.create(
        province=world.province_a,
        created_by=staff,
        title="Hỗ trợ máy sấy chè cho hợp tác xã Đồng Xuân",
        total_cost=6_610_000_000,
        code="PTH-2026-042",
    )
    ProjectBeneficiary.objects.create(
        project=project,
        facility=project_facility(world.province_a, "Hợp tác xã chè Đồng Xuân"),
        added_by=staff,
    )

    # 1. Staff submit from the project page: the next step is the primary button.
    login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/de-an/{project.pk}/")
    assert page.get_attribute("[data-kc-primary]", "data-kc-action") == "submit"
    page.click("[data-kc-action=submit]")
    page.click("#kc-transition-submit")
    page.wait_for_selector("text=Đã thực hiện")
    project.refresh_from_db()
    assert project.status == "submitted"
    page.context.clear_cookies()

    # 2. The manager: an in-app notice under the bell, and an email delivered to the SMTP server.
    log = EmailLog.objects.get(user=manager)
    assert log.status == EmailStatus.SENT
    [message] = smtp.messages
    assert message["Subject"] == "[Khuyến công] Đề án PTH-2026-042 chờ thẩm định, phê duyệt"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Kính gửi Trần Đức Lương," in body and "Hỗ trợ máy sấy chè cho hợp tác xã Đồng Xuân" in body
    login(page, live_server, manager.username, PASSWORD)
    assert page.get_attribute(".kc-bell-count", "data-kc-unread") == "1"
    page.click("#kc-bell > a")
    assert "PTH-2026-042 chờ thẩm định" in page.inner_text(".kc-bell-menu")
    shot(page, "inbox-manager-1366")

    # 3. The manager works from the inbox: appraise, then approve.
    page.click("[data-kc-section=step-appraise-submitted] .kc-task-action")
    page.fill("#id_appraisal_score", "90")
    page.fill("#id_appraisal_recommendation", "Đủ điều kiện, đề nghị phê duyệt.")
    page.click("#kc-transition-submit")
    page.goto(f"{live_server.url}/")
    page.click("[data-kc-section=step-approve-appraised] .kc-task-action")
    page.fill("#id_decision_number", "1947/QĐ-UBND")
    page.fill("#id_decision_date", "02/03/2026")
    page.fill("#id_decision_signer", "Nguyễn Văn Hùng")
    page.set_input_files("#id_file", {"name": "qd-1947.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("#kc-transition-submit")
    page.wait_for_selector("text=Đã thực hiện")
    project.refresh_from_db()
    assert project.status == "approved" and project.decision_date == dt.date(2026, 3, 2)
    assert page.get_attribute("[data-kc-primary]", "data-kc-action") == "allocate"
    page.context.clear_cookies()

    # 4. Staff: told of the approval, and “Ghi nhận hợp đồng” is their next task.
    assert Notification.objects.filter(user=staff, title__contains="đã được phê duyệt").exists()
    login(page, live_server, staff.username, PASSWORD)
    section = page.locator("[data-kc-section=step-contract-approved]")
    assert "Ghi nhận hợp đồng" in section.inner_text() and "PTH-2026-042" in section.inner_text()
    shot(page, "inbox-staff-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "inbox-staff-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/de-an/{project.pk}/")
    assert page.get_attribute("[data-kc-primary]", "data-kc-action") == "contract"
    shot(page, "project-page-staff-after-approval")
    page.context.clear_cookies()

    # Admin and national manager inboxes.
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=staff.username,
        ip_address="203.0.113.7",
        failures_since_start=django_settings.AXES_FAILURE_LIMIT,
        user_agent="x",
        http_accept="x",
        path_info="/",
        get_data="",
        post_data="",
    )
    admin = UserFactory.create(
        username="quantri_test", organisation=world.admin.organisation, role=Role.ADMIN
    )
    login(page, live_server, admin.username, PASSWORD)
    assert "203.0.113.7" in page.inner_text("[data-kc-section=locked]")
    shot(page, "inbox-admin-1366")
    page.context.clear_cookies()
    login(page, live_server, world.national_manager.username, PASSWORD)
    shot(page, "inbox-national-manager-1366")
    page.context.clear_cookies()

    # 5. The decision paper: .docx → LibreOffice → PDF; pdftotext reads number, date and amount in words.
    if soffice() is None and not os.environ.get("CI"):
        pytest.skip("LibreOffice is not installed here (CI installs it)")
    PAPERS.mkdir(parents=True, exist_ok=True)
    paper = papers.paper_generate(user=staff, project=project, kind=PaperKind.DECISION)
    papers.paper_render_pdf(paper_pk=paper.pk)
    paper.refresh_from_db()
    decision_pdf = PAPERS / "quyet_dinh.pdf"
    decision_pdf.write_bytes(paper.pdf.read())
    text = " ".join(
        subprocess.run(["pdftotext", str(decision_pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Số: 1947/QĐ-UBND" in text
    assert "Phú Thọ, ngày 02 tháng 3 năm 2026" in text
    assert "Sáu tỷ sáu trăm mười triệu đồng" in text
    # Every paper's first page as PNG, to be looked at.
    Project.objects.filter(pk=project.pk).update(status="settled")
    project.refresh_from_db()
    for kind in PaperKind.values:
        target = PAPERS / f"{kind}.pdf"
        if kind != PaperKind.DECISION:
            paper = papers.paper_generate(user=staff, project=project, kind=kind)
            papers.paper_render_pdf(paper_pk=paper.pk)
            paper.refresh_from_db()
            target.write_bytes(paper.pdf.read())
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(target),
                str(PAPERS / kind),
            ],
            check=True,
        )
        assert (PAPERS / f"{kind}.png").stat().st_size > 10_000
