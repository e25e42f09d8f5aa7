"""Scope review: what a project's page shows of projects in other provinces."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ProjectFactory, commune_of

pytestmark = pytest.mark.django_db


def test_double_funding_warning_does_not_show_another_provinces_project(
    client_for, draft, staff_a, manager_b, staff_b, facilities_a, province_a, province_b
):
    """A facility moved from A to B stays linked to A's project; B sees the warning, not A's project."""
    moved = facilities_a[0]
    project_b = ProjectFactory.create(province=province_b, category=draft.category, status="draft")
    project_b.beneficiaries.create(facility=moved, added_by=staff_b)
    draft.status = "submitted"
    draft.save(update_fields=["status"])
    moved.commune = commune_of(province_b, "xã")
    moved.province = province_b
    moved.save()

    page = client_for(manager_b).get(reverse("projects:project_detail", kwargs={"pk": project_b.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cảnh báo trùng hỗ trợ" in body
    assert draft.code not in body
    assert draft.title not in body
    assert reverse("projects:project_detail", kwargs={"pk": draft.pk}) not in body
