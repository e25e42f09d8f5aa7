"""Guidance on the registration path (issue 15): registering from a facility's page, the duplicate
warning, the required-field stars and the error summary."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import activity_category, commune_of

pytestmark = pytest.mark.django_db

# A decided project carries its decision (check constraint project_decided_has_decision).
DECISION = {"decision_number": "12/QĐ-UBND", "decision_date": datetime.date(2024, 3, 1)}


def _payload(province, facilities, **extra):
    return {
        "title": "Hỗ trợ máy sao chè cho hợp tác xã Long Cốc",
        "province": province.pk,
        "start_year": 2026,
        "end_year": 2026,
        "funding_level": "kcdp",
        "category": activity_category("ND45-03").pk,
        "kind": "thuong",
        "selection_method": "xet_chon",
        "implementing_unit_name": "Trung tâm Khuyến công Phú Thọ",
        "communes": [commune_of(province, "xã").pk],
        "facilities": [f.pk for f in facilities],
        "total_cost": "450 triệu",
        "save": "1",
        **extra,
    }


def test_facility_page_offers_registration_with_the_facility_filled_in(client_for, staff_a, facilities_a):
    facility = facilities_a[0]
    client = client_for(staff_a)
    page = client.get(reverse("beneficiaries:facility_detail", kwargs={"pk": facility.pk})).content.decode()
    link = f"{reverse('projects:project_create')}?facility={facility.pk}"
    assert "Đăng ký đề án cho cơ sở này" in page and link in page
    form = client.get(link).content.decode()
    assert f'<option value="{facility.pk}" selected>' in form


def test_registration_form_stars_the_implementing_unit(client_for, staff_a):
    body = client_for(staff_a).get(reverse("projects:project_create")).content.decode()
    label = body[body.index('for="id_implementing_unit"') :][:300]
    assert "kc-required" in label


def test_same_title_year_and_facility_warns_until_confirmed(client_for, staff_a, province_a, facilities_a):
    client = client_for(staff_a)
    url = reverse("projects:project_create")
    assert client.post(url, _payload(province_a, facilities_a)).status_code == 302
    again = client.post(url, _payload(province_a, facilities_a[:1]))
    assert again.status_code == 400
    body = again.content.decode()
    assert 'id="kc-duplicate-warning"' in body and 'id="kc-error-summary"' in body
    assert body.count("Trùng với đề án đã đăng ký") == 1  # beside the field only; the summary links to it
    assert Project.objects.count() == 1
    confirmed = client.post(url, _payload(province_a, facilities_a[:1], allow_duplicate="on"))
    assert confirmed.status_code == 302
    assert Project.objects.count() == 2


def test_drilldown_list_says_what_it_shows_and_links_back(client_for, manager_a, province_a):
    from tests.factories import ProjectFactory

    ProjectFactory(province=province_a, status="approved", start_year=2024, end_year=2024, **DECISION)
    url = reverse("projects:project_list") + "?status=approved&year_from=2022&year_to=2026&funding_level=kcdp"
    body = client_for(manager_a).get(url).content.decode()
    assert "Đề án đã phê duyệt, Khuyến công địa phương (KCĐP), Tỉnh Phú Thọ, 2022–2026" in body
    dashboard = reverse("reports:dashboard") + "?year_from=2022&amp;year_to=2026&amp;funding_level=kcdp"
    assert dashboard in body
    plain = client_for(manager_a).get(reverse("projects:project_list")).content.decode()
    assert 'id="kc-list-description"' not in plain


def test_status_without_a_transition_log_is_not_called_a_draft(client_for, staff_a, province_a):
    from tests.factories import ProjectFactory

    ProjectFactory(province=province_a, status="in_progress", **DECISION)
    project = Project.objects.get(status="in_progress")
    body = (
        client_for(staff_a)
        .get(reverse("projects:project_detail", kwargs={"pk": project.pk}))
        .content.decode()
    )
    assert "đang là dự thảo" not in body
    assert "Đề án đang ở trạng thái “Đang triển khai”" in body
