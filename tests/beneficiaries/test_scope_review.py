"""Scope review: what a facility's page shows of projects in other provinces."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import ProjectBeneficiary
from tests.factories import commune_of, money_project, project_facility

pytestmark = pytest.mark.django_db


def test_facility_page_hides_projects_of_another_province(
    client_for, staff_a, staff_b, province_a, province_b
):
    """A facility moved from A to B keeps A's project links; B's staff must not read A's projects."""
    facility = project_facility(province_a, "Hợp tác xã chè Long Cốc")
    project_a = money_project(province_a, title="Đề án riêng của Phú Thọ")
    ProjectBeneficiary.objects.create(
        project=project_a, facility=facility, note="ghi chú nội bộ PTH", added_by=staff_a
    )
    facility.commune = commune_of(province_b, "xã")
    facility.province = province_b
    facility.save()

    page = client_for(staff_b).get(reverse("beneficiaries:facility_detail", kwargs={"pk": facility.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert project_a.code not in body
    assert "Đề án riêng của Phú Thọ" not in body
    assert "ghi chú nội bộ PTH" not in body


def test_facility_page_still_lists_projects_in_scope(client_for, staff_a, province_a):
    facility = project_facility(province_a, "Hợp tác xã chè Long Cốc")
    project_a = money_project(province_a)
    ProjectBeneficiary.objects.create(project=project_a, facility=facility, added_by=staff_a)

    page = client_for(staff_a).get(reverse("beneficiaries:facility_detail", kwargs={"pk": facility.pk}))
    assert project_a.code in page.content.decode()
