"""The project page's primary button is the user's next step; several projects in one decision."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Project, ProjectBeneficiary, ProjectStatus
from tests.factories import ProjectFactory, money_project, project_facility

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def primary(html: str) -> str | None:
    found = re.findall(r'data-kc-action="(\w+)" data-kc-primary="1"', html)
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        ("draft", "staff_a", "submit"),
        ("submitted", "manager_a", "appraise"),
        ("appraised", "manager_a", "approve"),
        ("approved", "staff_a", "contract"),
        ("approved", "manager_a", "allocate"),
        ("in_progress", "manager_a", "accept"),
        ("submitted", "staff_a", None),
    ],
)
def test_next_step_is_the_primary_button(world, client_for, status, role, expected):
    project = money_project(world.province_a, status=status, created_by=world.staff_a)
    html = (
        client_for(getattr(world, role))
        .get(reverse("projects:project_detail", args=[project.pk]))
        .content.decode()
    )
    assert primary(html) == expected


def test_stop_is_no_longer_beside_the_next_step_after_approval(world, client_for):
    project = money_project(world.province_a, status="approved")
    html = (
        client_for(world.manager_a)
        .get(reverse("projects:project_detail", args=[project.pk]))
        .content.decode()
    )
    assert 'class="btn btn-danger' not in html
    assert f'class="dropdown-item text-danger" href="/de-an/{project.pk}/xu-ly/stop/"' in html
    assert "Giao kinh phí" in html and "In hồ sơ" in html


def _appraised(world, code):
    project = ProjectFactory.create(
        province=world.province_a, created_by=world.staff_a, status="appraised", code=code
    )
    ProjectBeneficiary.objects.create(
        project=project, facility=project_facility(world.province_a, f"Cơ sở {code}"), added_by=world.staff_a
    )
    return project


def test_bulk_approval_is_one_decision_for_all(world, client_for):
    projects = [_appraised(world, f"BK-{i}") for i in range(3)]
    response = client_for(world.manager_a).post(
        reverse("projects:bulk_decide"),
        {
            "action": "approve",
            "projects": [p.pk for p in projects],
            "decision_number": "214/QĐ-SCT",
            "decision_date": "02/05/2026",
            "decision_signer": "Nguyễn Văn Hùng",
            "file": SimpleUploadedFile("qd.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    for p in Project.objects.filter(pk__in=[p.pk for p in projects]):
        assert (p.status, p.decision_number, p.decision_date) == (
            "approved",
            "214/QĐ-SCT",
            dt.date(2026, 5, 2),
        )
        assert p.documents.get().sha256  # each project has its copy of the decision file


def test_bulk_is_all_or_nothing_and_says_why_per_project(world, client_for):
    good = _appraised(world, "BK-OK")
    bad = ProjectFactory.create(
        province=world.province_a, created_by=world.staff_a, status="submitted", code="BK-NO"
    )
    response = client_for(world.manager_a).post(
        reverse("projects:bulk_decide"),
        {
            "action": "approve",
            "projects": [good.pk, bad.pk],
            "decision_number": "215/QĐ-SCT",
            "decision_date": "02/05/2026",
            "decision_signer": "Nguyễn Văn Hùng",
            "file": SimpleUploadedFile("qd.pdf", PDF, "application/pdf"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "chưa đề án nào được thay đổi" in html and "BK-NO" in html and "Không thể “Phê duyệt”" in html
    good.refresh_from_db()
    assert good.status == ProjectStatus.APPRAISED and not good.documents.exists()


def test_bulk_return_needs_the_shared_comment(world, client_for):
    project = _appraised(world, "BK-RT")
    client = client_for(world.manager_a)
    response = client.post(reverse("projects:bulk_decide"), {"action": "return", "projects": [project.pk]})
    assert response.status_code == 400 and "bắt buộc" in response.content.decode()
    response = client.post(
        reverse("projects:bulk_decide"), {"action": "return", "projects": [project.pk], "comment": "Bổ sung"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.RETURNED


def test_bulk_never_reaches_another_province(world, client_for):
    other = ProjectFactory.create(province=world.province_b, created_by=world.staff_b, status="appraised")
    response = client_for(world.manager_a).post(
        reverse("projects:bulk_decide"), {"action": "return", "projects": [other.pk], "comment": "x"}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == "appraised"


def test_print_dossier_opens_the_pdf(world, client_for):
    project = money_project(world.province_a, status="approved", title="Hỗ trợ máy sấy chè Đồng Xuân")
    response = client_for(world.staff_a).get(reverse("projects:project_dossier_pdf", args=[project.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "inline" in response["Content-Disposition"]
    assert (
        client_for(world.staff_b).get(reverse("projects:project_dossier_pdf", args=[project.pk])).status_code
        == 404
    )
