"""One journey across every role, in a real browser, with a screenshot of each step.

Staff enter a facility and a project and submit it; the manager appraises and approves it with a
decision and records the allocation; staff record an advance and a payment; the manager opens the
dashboard and downloads a report built by the real Celery worker (through the configured broker; a
thread runs the same task when no broker is configured); an admin creates, in Django admin, a user of
another province, who then gets 404 for the first province's facility, project and money.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from accounts.models import OrganisationKind, Role, User
from beneficiaries.models import Facility
from funding.models import Allocation, MoneyEntry
from projects.models import Project
from tests.beneficiaries.factories import sector, valid_tax_code
from tests.browser.conftest import login, shot
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, activity_category, budget_envelope

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_USER_PASSWORD = "Gio-dong-bac-7!nhung-cau-mua"  # passes the password rules: no portal word, place or name


def pick(page, select_id: str, text: str, option: str) -> None:
    """Type into a Tom Select search box and click the option that appears."""
    page.click(f"#{select_id}-ts-control")
    page.fill(f"#{select_id}-ts-control", text)
    page.locator(".ts-dropdown .option", has_text=option).first.click()
    page.keyboard.press("Escape")


def logout(page) -> None:
    page.context.clear_cookies()


def submit(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def report_worker(monkeypatch):
    """A real Celery worker on a queue of this test's own (so parallel test processes sharing one
    broker never take each other's runs); without a broker, the task runs in a thread a moment later."""
    from django.db import connection

    from reports import services, tasks

    # The worker thread's database connection closes after each task, so teardown can flush.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    if os.environ.get("CELERY_BROKER_URL"):
        from celery.contrib.testing.worker import start_worker

        from khuyencong.celery import app

        queue = f"journey-{uuid.uuid4().hex[:10]}"
        monkeypatch.setattr(
            services, "enqueue", lambda run_pk: tasks.generate_report.apply_async(args=[run_pk], queue=queue)
        )
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, queues=[queue]):
            yield "celery"
        return

    threads: list[threading.Thread] = []

    def enqueue(run_pk: int) -> None:
        def work() -> None:
            try:
                time.sleep(1)
                tasks.generate_report.run(run_pk)
            finally:
                connection.close()

        thread = threading.Thread(target=work, daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(services, "enqueue", enqueue)
    yield "thread"
    for thread in threads:
        thread.join(timeout=30)


def test_journey_across_every_role(
    live_server, page, province_a, province_b, staff_a, manager_a, org_b, media, report_worker, tmp_path
):
    from funding.reference import load_cap_rules

    sector("1076")  # reference data after the transactional flush
    activity_category()
    load_cap_rules()
    budget_envelope(province_a, level="kcdp", amount=3_500_000_000)
    tax_code = valid_tax_code()

    # 1. Staff enter a facility.
    login(page, live_server, staff_a.username, PASSWORD)
    page.click("a.nav-link:has-text('Cơ sở CNNT')")
    page.click("text=Thêm cơ sở")
    page.fill("#id_name", "Hợp tác xã Chè Shan tuyết Long Cốc")
    page.select_option("#id_kind", "htx")
    page.fill("#id_tax_code", tax_code)
    page.fill("#id_representative", "Hà Văn Tuấn")
    pick(page, "id_commune", "long coc", "Long Cốc")
    pick(page, "id_sectors", "1076", "Sản xuất chè")
    page.fill("#id_workers_total", "48")
    page.fill("#id_workers_female", "30")
    page.fill("#id_workers_ethnic_minority", "35")
    page.fill("#id_annual_revenue", "4,2 tỷ")
    shot(page, "journey-01-staff-facility-form")
    page.click("input[type=submit][name=save]")
    page.wait_for_selector("text=Đã thêm cơ sở")
    facility = Facility.objects.get(tax_code=tax_code)
    assert facility.province_id == province_a.pk
    shot(page, "journey-02-staff-facility-saved")

    # 2. Staff register a project for it and submit it.
    page.click("a.nav-link:has-text('Đề án')")
    page.click("text=Đăng ký đề án")
    page.fill("#id_title", "Hỗ trợ máy sao chè cho Hợp tác xã Chè Shan tuyết Long Cốc")
    page.select_option("#id_category", label="Mô hình trình diễn, ứng dụng máy móc")
    page.fill("#id_implementing_unit_name", "Trung tâm Khuyến công tỉnh Phú Thọ")
    pick(page, "id_communes", "long coc", "Long Cốc")
    pick(page, "id_facilities", "shan tuyet", "Chè Shan tuyết Long Cốc")
    page.fill("#id_total_cost", "450 triệu")
    shot(page, "journey-03-staff-project-form")
    page.click("#kc-save-submit")
    page.wait_for_selector("text=Đã đăng ký đề án")
    project = Project.objects.get(title__startswith="Hỗ trợ máy sao chè")
    assert project.status == "submitted"
    assert list(project.beneficiaries.values_list("facility_id", flat=True)) == [facility.pk]
    shot(page, "journey-04-staff-project-submitted")
    logout(page)

    # 3. The manager finds it in the queue, appraises it and approves it with the decision.
    login(page, live_server, manager_a.username, PASSWORD)
    page.goto(f"{live_server.url}/de-an/cho-xu-ly/")
    assert project.code in page.inner_text("#kc-review-queue")
    shot(page, "journey-05-manager-queue")
    page.goto(f"{live_server.url}/de-an/{project.pk}/")
    page.click("[data-kc-action=appraise]")
    page.fill("#id_appraisal_score", "88")
    page.fill("#id_appraisal_recommendation", "Đủ điều kiện hỗ trợ, đề nghị phê duyệt.")
    page.click("#kc-transition-submit")
    page.wait_for_selector("[data-kc-action=approve]")
    page.click("[data-kc-action=approve]")
    page.fill("#id_decision_number", "318/QĐ-SCT")
    page.fill("#id_decision_date", "02/03/2026")
    page.fill("#id_decision_signer", "Trần Văn Minh")
    page.set_input_files("#id_file", {"name": "qd-318.pdf", "mimeType": "application/pdf", "buffer": PDF})
    shot(page, "journey-06-manager-approve")
    page.click("#kc-transition-submit")
    page.wait_for_selector("text=Đã phê duyệt")
    project.refresh_from_db()
    assert project.status == "approved" and project.decision_number == "318/QĐ-SCT"
    shot(page, "journey-07-manager-approved")

    # The contract is signed and the work starts (steps exercised in their own tests), and staff set the
    # cost plan by source: money follows the lifecycle (funding.gates).
    from funding.services import cost_plan_save
    from projects.services import project_transition

    project_transition(
        user=staff_a,
        project=project,
        action="contract",
        decision_number="HĐ-45/2026",
        decision_date=dt.date(2026, 3, 20),
        upload=SimpleUploadedFile("hop-dong.pdf", PDF, content_type="application/pdf"),
    )
    project.refresh_from_db()
    project_transition(user=staff_a, project=project, action="start")
    project.refresh_from_db()
    cost_plan_save(
        user=staff_a,
        project=project,
        rows={2026: {"kcdp": 150_000_000, "counterpart": None}},
        eligible_cost=None,
        facilities=1,
        priority_area=False,
        technology_line=False,
        expected_version=None,
    )

    # 4. The manager records the allocation from the decision.
    money_url = f"{live_server.url}/kinh-phi/de-an/{project.pk}/"
    page.goto(money_url)
    page.click("text=Giao kinh phí")
    assert page.input_value("input[name=decision_number]") == "318/QĐ-SCT"
    page.select_option("select[name=source]", "kcdp")
    page.fill("input[name=amount]", "150 triệu")
    shot(page, "journey-08-manager-allocation-form")
    submit(page, "#kc-money-submit")
    assert "Đã giao 150.000.000 ₫" in page.inner_text("body")
    allocation = Allocation.objects.get(project=project)
    assert allocation.amount == 150_000_000
    shot(page, "journey-09-manager-allocated")
    logout(page)

    # 5. Staff record an advance and a payment.
    login(page, live_server, staff_a.username, PASSWORD)
    page.goto(money_url)
    page.click(f"#allocation-{allocation.pk} >> text=Tạm ứng")
    page.fill("input[name=amount]", "75.000.000")
    page.fill("input[name=voucher_number]", "TU-07/2026")
    page.fill("input[name=voucher_date]", "10/04/2026")
    shot(page, "journey-10-staff-advance-form")
    submit(page, "#kc-money-submit")
    assert "Đã ghi tạm ứng 75.000.000 ₫" in page.inner_text("body")
    page.click(f"#allocation-{allocation.pk} >> text=Thanh toán")
    page.fill("input[name=amount]", "30 triệu")
    page.fill("input[name=voucher_number]", "PC-21/2026")
    page.fill("input[name=voucher_date]", "20/05/2026")
    submit(page, "#kc-money-submit")
    page.goto(money_url)
    assert page.inner_text("[data-kc=balance]") == "45.000.000 ₫"
    assert page.inner_text("[data-kc=paid]") == "30.000.000 ₫"
    allocation.refresh_from_db()
    assert (allocation.advanced, allocation.paid) == (75_000_000, 30_000_000)
    assert MoneyEntry.objects.filter(allocation=allocation).count() == 2
    shot(page, "journey-11-staff-money-tab")
    logout(page)

    # 6. The manager opens the dashboard and downloads a report built by the worker.
    login(page, live_server, manager_a.username, PASSWORD)
    page.click("nav >> text=Bảng điều khiển")
    page.wait_for_load_state("networkidle")
    summary = page.inner_text("#dashboard-summary")
    assert "1 đề án được phê duyệt" in summary
    shot(page, "journey-12-manager-dashboard")
    page.goto(f"{live_server.url}/bao-cao/")
    page.click("[data-kc-report=province_annual]")
    page.wait_for_load_state("networkidle")
    page.click("#report-request-form button[type=submit]")
    page.wait_for_selector("#run-progress")
    page.wait_for_selector("#run-download", timeout=60_000)
    assert page.get_attribute("#run-progress", "data-status") == "done"
    shot(page, "journey-13-manager-report-done")
    with page.expect_download() as info:
        page.click("#run-download")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    workbook = load_workbook(target, read_only=True)
    cells = {str(c) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert project.code in cells
    logout(page)

    # 7. An admin creates, in Django admin, a staff user of Hà Nội.
    national = OrganisationFactory.create(
        name="Cục Khuyến công (hành trình)", kind=OrganisationKind.NATIONAL, province=None
    )
    admin = UserFactory.create(username="quantri.journey", organisation=national, role=Role.ADMIN)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    login(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/quan-tri/accounts/user/add/")
    page.fill("#id_username", "cv.hanoi.moi")
    page.fill("#id_password1", NEW_USER_PASSWORD)
    page.fill("#id_password2", NEW_USER_PASSWORD)
    page.click("#id_organisation + .select2 .select2-selection")
    page.fill(".select2-search__field", "Hà Nội")
    page.locator(".select2-results__option", has_text=org_b.name).first.click()
    page.select_option("#id_role", Role.STAFF)
    page.fill("#id_first_name", "Vũ Thị")
    page.fill("#id_last_name", "Trâm")
    shot(page, "journey-14-admin-add-user")
    submit(page, "input[name=_save]")
    new_user = User.objects.get(username="cv.hanoi.moi")
    assert new_user.organisation_id == org_b.pk and new_user.province_id == province_b.pk
    assert new_user.check_password(NEW_USER_PASSWORD)
    shot(page, "journey-15-admin-user-created")
    logout(page)

    # 8. The new Hà Nội user sees none of Phú Thọ's data: 404 on each object, absent from lists.
    login(page, live_server, "cv.hanoi.moi", NEW_USER_PASSWORD)
    assert "Xin chào" in page.inner_text("body")
    for path in (f"/co-so/{facility.pk}/", f"/de-an/{project.pk}/", f"/kinh-phi/de-an/{project.pk}/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
    shot(page, "journey-16-other-province-404")
    page.goto(f"{live_server.url}/co-so/?q=shan+tuyet")
    assert "Chè Shan tuyết Long Cốc" not in page.inner_text("main")
    page.goto(f"{live_server.url}/de-an/")
    assert project.code not in page.inner_text("main")
    shot(page, "journey-17-other-province-lists")
