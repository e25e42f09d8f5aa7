"""The đề án journey in a real browser: staff register a project with two facilities, a manager
returns it, staff resubmit, the manager appraises and approves it with a decision file."""

from __future__ import annotations

import pytest

from projects.models import Project
from tests.browser.conftest import login, shot
from tests.factories import PASSWORD, activity_category, project_facility

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pick(page, select_id: str, text: str, option: str) -> None:
    """Type into a Tom Select search box and click the option that appears."""
    page.click(f"#{select_id}-ts-control")
    page.fill(f"#{select_id}-ts-control", text)
    page.locator(".ts-dropdown .option", has_text=option).first.click()
    page.keyboard.press("Escape")


def logout(page) -> None:
    page.context.clear_cookies()


def test_register_return_resubmit_approve(world, live_server, page):
    activity_category()  # reference data after the transactional flush
    project_facility(world.province_a, "Hợp tác xã Dệt thổ cẩm Mai Châu")
    project_facility(world.province_a, "Hộ kinh doanh Mây tre đan Lạc Sơn")

    # Staff: one screen to register and submit.
    login(page, live_server, world.staff_a.username, PASSWORD)
    page.click("a.nav-link:has-text('Đề án')")
    page.click("text=Đăng ký đề án")
    page.fill("#id_title", "Hỗ trợ máy dệt thổ cẩm cho cơ sở Mai Châu")
    page.select_option("#id_category", label="Mô hình trình diễn, ứng dụng máy móc")
    page.fill("#id_implementing_unit_name", "Trung tâm Khuyến công tỉnh Phú Thọ")
    pick(page, "id_communes", "mai chau", "Mai Châu")
    pick(page, "id_facilities", "det tho cam", "Dệt thổ cẩm Mai Châu")
    pick(page, "id_facilities", "may tre", "Mây tre đan Lạc Sơn")
    page.fill("#id_total_cost", "450 triệu")
    shot(page, "projects-01-register")
    page.click("#kc-save-submit")
    page.wait_for_selector("text=Đã đăng ký đề án")
    project = Project.objects.get(title__startswith="Hỗ trợ máy dệt")
    assert project.status == "submitted" and project.beneficiaries.count() == 2
    shot(page, "projects-02-submitted")
    logout(page)

    # Manager: the queue, then return with a comment.
    login(page, live_server, world.manager_a.username, PASSWORD)
    page.goto(f"{live_server.url}/de-an/cho-xu-ly/")
    assert project.code in page.inner_text("#kc-review-queue")
    shot(page, "projects-03-queue")
    page.click(f"#kc-review-queue tr:has-text('{project.code}') >> text=Trả lại")
    page.fill("#id_comment", "Bổ sung báo giá máy dệt và đơn đề nghị của hợp tác xã.")
    page.click("#kc-transition-submit")
    page.wait_for_selector("text=Trả lại để chỉnh sửa")
    project.refresh_from_db()
    assert project.status == "returned"
    logout(page)

    # Staff: see why, resubmit.
    login(page, live_server, world.staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/de-an/{project.pk}/")
    assert "Bổ sung báo giá máy dệt" in page.inner_text("#kc-transition-log")
    page.click("[data-kc-action=submit]")
    page.click("#kc-transition-submit")
    page.wait_for_selector("text=Đã thực hiện")
    logout(page)

    # Manager: appraise, then approve — first without the decision file (refused), then with it.
    login(page, live_server, world.manager_a.username, PASSWORD)
    page.goto(f"{live_server.url}/de-an/{project.pk}/")
    page.click("[data-kc-action=appraise]")
    page.fill("#id_appraisal_score", "86")
    page.fill("#id_appraisal_recommendation", "Đủ điều kiện, đề nghị phê duyệt.")
    page.click("#kc-transition-submit")
    page.wait_for_selector("[data-kc-action=approve]")
    page.click("[data-kc-action=approve]")
    page.fill("#id_decision_number", "125/QĐ-SCT")
    page.fill("#id_decision_date", "02/03/2026")
    page.fill("#id_decision_signer", "Trần Văn Minh")
    page.click("#kc-transition-submit")
    assert "cần có tài liệu: Quyết định" in page.inner_text("#kc-transition-form")
    project.refresh_from_db()
    assert project.status == "appraised"
    page.set_input_files("#id_file", {"name": "qd-125.pdf", "mimeType": "application/pdf", "buffer": PDF})
    shot(page, "projects-04-approve-form")
    page.click("#kc-transition-submit")
    page.wait_for_selector("text=Đã phê duyệt")
    project.refresh_from_db()
    assert project.status == "approved" and project.decision_number == "125/QĐ-SCT"
    assert project.documents.filter(document_type="quyet_dinh").count() == 1
    shot(page, "projects-05-approved")
    page.click("[data-kc-tab=history]")
    assert "Chuyển trạng thái" in page.inner_text("#kc-history")
    shot(page, "projects-06-history")


def test_list_filters_and_searches_without_diacritics(world, live_server, page):
    from tests.factories import ProjectFactory

    activity_category()
    titles = [
        ("Hỗ trợ máy sấy cam Cao Phong", 2026, "ND45-03"),
        ("Tham gia Hội chợ hàng thủ công mỹ nghệ 2026", 2026, "ND45-04"),
        ("Đào tạo nghề mây tre đan Lạc Sơn", 2025, "ND45-01"),
        ("Hỗ trợ lò nung gốm Hương Canh", 2024, "ND45-03"),
    ]
    for title, year, code in titles:
        ProjectFactory.create(
            province=world.province_a,
            title=title,
            start_year=year,
            end_year=year,
            category=activity_category(code),
        )
    ProjectFactory.create(province=world.province_b, title="Hỗ trợ máy sấy Hà Nội")
    login(page, live_server, world.staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/de-an/")
    table = page.inner_text("#kc-project-table")
    assert all(title in table for title, _year, _code in titles) and "Hà Nội" not in table
    shot(page, "projects-07-list")
    page.fill("#id_q", "may say cam")
    page.click("#kc-project-filters button[type=submit]")
    rows = page.locator("#kc-project-table tbody tr")
    assert rows.count() == 1 and "Cao Phong" in rows.first.inner_text()
    page.goto(f"{live_server.url}/de-an/")
    page.fill("#id_year", "2026")
    page.select_option("#id_category", label="Sản phẩm tiêu biểu, hội chợ, triển lãm")
    page.click("#kc-project-filters button[type=submit]")
    table = page.inner_text("#kc-project-table")
    assert "Hội chợ hàng thủ công" in table
    assert not any(title in table for title, _year, _code in titles if "Hội chợ" not in title)
    shot(page, "projects-08-list-filtered")
