"""Reference data: categories of Decree 45 and 235, required documents per step (admin-editable)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.errors import DomainError
from projects import services
from projects.models import ActivityCategory, RequiredDocument
from tests.projects.conftest import pdf

pytestmark = pytest.mark.django_db


def test_categories_are_effective_dated():
    assert ActivityCategory.objects.filter(code__startswith="ND45-").count() == 9
    before = {c.code for c in ActivityCategory.objects.in_force_on(datetime.date(2025, 1, 1))}
    after = {c.code for c in ActivityCategory.objects.in_force_on(datetime.date(2026, 1, 1))}
    assert "ND235-CDS" not in before and "ND235-CDS" in after
    assert ActivityCategory.objects.get(code="ND45-07").advance_ceiling_pct == 30


def test_category_not_in_force_is_refused(staff_a, province_a):
    from tests.factories import commune_of

    with pytest.raises(DomainError, match="hiệu lực"):
        services.project_create(
            user=staff_a,
            title="Chuyển đổi số 2024",
            start_year=2024,
            end_year=2024,
            funding_level="kcdp",
            category=ActivityCategory.objects.get(code="ND235-CDS"),
            implementing_unit_name="Trung tâm",
            communes=[commune_of(province_a, "xã")],
            total_cost=1,
        )


def test_a_required_document_added_in_admin_is_enforced(draft, staff_a, client):
    from tests.factories import UserFactory

    root = UserFactory.create(username="root", organisation=None, is_superuser=True, role="admin")
    client.force_login(root)
    response = client.post(
        reverse("admin:projects_requireddocument_add"),
        {"transition": "submit", "document_type": "to_trinh", "is_active": "on"},
    )
    assert response.status_code == 302
    assert RequiredDocument.objects.filter(transition="submit").exists()
    with pytest.raises(DomainError, match="Tờ trình"):
        services.project_submit(user=staff_a, project=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    services.project_submit(user=staff_a, project=draft, upload=pdf("to-trinh.pdf"))
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_the_decision_file_requirement_can_be_switched_off(draft, staff_a, manager_a):
    from tests.projects.test_workflow import walk

    walk(draft, ["submit", "appraise"], staff_a, manager_a)
    RequiredDocument.objects.filter(transition="approve").update(is_active=False)
    services.project_transition(
        user=manager_a,
        project=draft,
        action="approve",
        decision_number="7/QĐ-UBND",
        decision_date=datetime.date(2026, 2, 1),
        decision_signer="Chủ tịch UBND tỉnh",
    )
    draft.refresh_from_db()
    assert draft.status == "approved" and not draft.documents.exists()
