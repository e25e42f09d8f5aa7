"""The provinces and districts before 1/7/2025 in every view: picker, search, lists, dashboard, reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince
from tests.beneficiaries.factories import FacilityFactory, valid_tax_code
from tests.factories import ProjectFactory
from tests.reports.conftest import dataset  # noqa: F401 - the dashboard's data set

pytestmark = pytest.mark.django_db

HOA_BINH, OLD_PHU_THO = 17, 25


@pytest.fixture
def places():
    """Xã Liên Sơn took over Xã Cư Yên (Lương Sơn, Hòa Bình); a commune of the former Phú Thọ."""
    lien_son = Commune.objects.get(name="Xã Liên Sơn", province__name="Tỉnh Phú Thọ")
    old_phu_tho = Commune.objects.filter(
        province__name="Tỉnh Phú Thọ", legacy_province_id=OLD_PHU_THO
    ).first()
    return {
        "lien_son": lien_son,
        "cu_yen": LegacyCommune.objects.get(name="Xã Cư Yên", legacy_district__name="Huyện Lương Sơn"),
        "luong_son": LegacyDistrict.objects.get(name="Huyện Lương Sơn", legacy_province_id=HOA_BINH),
        "old_phu_tho": old_phu_tho,
    }


def test_the_map_knows_each_communes_former_units(places):
    assert places["lien_son"].legacy_province_id == HOA_BINH
    assert places["lien_son"].legacy_district == places["luong_son"]
    assert list(places["cu_yen"].successors.all()) == [places["lien_son"]]
    split = LegacyCommune.objects.get(name="Xã Cao Sơn", legacy_district=places["luong_son"])
    assert sorted(split.successors.values_list("name", flat=True)) == ["Xã Liên Sơn", "Xã Lương Sơn"]
    assert LegacyProvince.objects.get(code=HOA_BINH).province.name == "Tỉnh Phú Thọ"


def test_commune_picker_shows_and_finds_former_units(client_for, staff_a, places):
    client = client_for(staff_a)
    url = reverse("regions:commune_search")
    found = client.get(url, {"q": "Cư Yên"}).json()["results"]
    texts = {r["value"]: r["text"] for r in found}
    assert places["lien_son"].code in texts
    assert (
        "(trước 1/7/2025: " in texts[places["lien_son"].code]
        and "Xã Cư Yên" in texts[places["lien_son"].code]
    )
    assert "Huyện Lương Sơn, Tỉnh Hoà Bình)" in texts[places["lien_son"].code]
    assert "một phần Xã Cao Sơn" in texts[places["lien_son"].code]
    # A former district's name finds the communes that took it over.
    by_district = {r["text"].split(" — ")[0] for r in client.get(url, {"q": "Lương Sơn"}).json()["results"]}
    assert {"Xã Liên Sơn", "Xã Lương Sơn", "Xã Cao Dương"} <= by_district


def test_facility_list_filters_by_former_province_and_district(client_for, staff_a, places):
    recorded = FacilityFactory.create(
        name="HTX ghi xã cũ", commune=places["lien_son"], legacy_commune=places["cu_yen"]
    )
    derived = FacilityFactory.create(name="HTX xã mới thuần Hòa Bình", commune=places["lien_son"])
    other = FacilityFactory.create(name="HTX Phú Thọ cũ", commune=places["old_phu_tho"])
    client = client_for(staff_a)
    url = reverse("beneficiaries:facility_list")
    for params, expected in (
        ({"legacy_province": HOA_BINH}, {recorded, derived}),
        ({"legacy_district": places["luong_son"].code}, {recorded, derived}),
        ({"legacy_province": OLD_PHU_THO}, {other}),
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        assert set(response.context["facilities"]) == expected, params
    page = client.get(url).content.decode()
    assert "Tỉnh cũ (trước 1/7/2025)" in page and "Tỉnh Hoà Bình (nay Phú Thọ)" in page


def test_search_matches_a_branch_tax_code_typed_with_a_dash(client_for, staff_a):
    branch = valid_tax_code() + "001"
    facility = FacilityFactory.create(name="Chi nhánh HTX", tax_code=branch)
    response = client_for(staff_a).get(reverse("beneficiaries:facility_list"), {"q": f"{branch[:10]}-001"})
    assert list(response.context["facilities"]) == [facility]


def test_projects_know_their_former_units_and_the_list_filters_by_them(client_for, staff_a, places):
    from projects import services
    from tests.factories import activity_category

    project = services.project_create(
        user=staff_a,
        title="Hỗ trợ máy chế biến chè Cư Yên",
        start_year=2024,
        end_year=2024,
        funding_level="kcdp",
        category=activity_category(),
        communes=[places["lien_son"]],
        total_cost=300_000_000,
        implementing_unit_name="Trung tâm Khuyến công",
    )
    project.refresh_from_db()
    assert project.legacy_province_id == HOA_BINH and project.legacy_district == places["luong_son"]
    ProjectFactory.create(
        title="Đề án Phú Thọ cũ", communes=[places["old_phu_tho"]], legacy_province_id=OLD_PHU_THO
    )
    response = client_for(staff_a).get(reverse("projects:project_list"), {"legacy_province": HOA_BINH})
    assert [p.pk for p in response.context["page_obj"].object_list] == [project.pk]


def test_dashboard_and_report_filter_by_former_province(
    dataset,  # noqa: F811
    client_for,
    manager_a,
):
    """p1 and p2 ran in former Hòa Bình: live facts, the summary tables and the page agree."""
    from projects.models import Project
    from reports.selectors import Filters, dashboard_facts
    from reports.summary import refresh_summaries
    from tests.reports.conftest import TR

    Project.objects.filter(pk__in=[dataset.p1.pk, dataset.p2.pk]).update(legacy_province_id=HOA_BINH)
    refresh_summaries()
    hoa_binh = Filters(2021, 2025, legacy_province=HOA_BINH)
    live = dashboard_facts(manager_a, hoa_binh)
    summary = dashboard_facts(manager_a, hoa_binh, live=False)
    assert live.project_count == summary.project_count == 2
    assert live.approved == summary.approved == 500 * TR
    assert dashboard_facts(manager_a, Filters(2021, 2025, legacy_province=OLD_PHU_THO)).project_count == 0
    page = client_for(manager_a).get(
        reverse("reports:dashboard"),
        {"year_from": 2021, "year_to": 2025, "province": dataset.p1.province_id, "legacy_province": HOA_BINH},
    )
    assert page.status_code == 200, page.context["form"].errors
    assert page.context["facts"].project_count == 2
    assert 'name="legacy_province"' in page.content.decode()
