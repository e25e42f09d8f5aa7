"""Reads: the web's scope, the web lists' filters, cursor pages, CSV/XLSX, codes, bounded queries."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from tests.factories import ProjectFactory, commune_of, facility

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {row["id"] for row in response.json()["results"]}


def test_a_province_token_sees_its_province_only(api, read_a, read_national, province_a, province_b, staff_a):
    pa = ProjectFactory.create(province=province_a, created_by=staff_a)
    pb = ProjectFactory.create(province=province_b, created_by=staff_a)
    url = reverse("api:project_list")
    assert _ids(api(read_a[1]).get(url)) == {pa.pk}
    assert _ids(api(read_national[1]).get(url)) == {pa.pk, pb.pk}
    assert _ids(api(read_a[1]).get(url, {"province": province_b.pk})) == set()
    assert api(read_a[1]).get(reverse("api:project_detail", kwargs={"pk": pb.pk})).status_code == 404


def test_project_carries_codes_beneficiaries_indicators_and_decision(api, read_a, province_a, staff_a):
    from projects.models import ProjectBeneficiary

    project = ProjectFactory.create(
        province=province_a,
        created_by=staff_a,
        status="approved",
        decision_number="125/QĐ-SCT",
        decision_date=dt.date(2026, 3, 2),
    )
    f = facility(province_a, name="Công ty TNHH Chè Phú Hộ", kind="dnnvv")
    ProjectBeneficiary.objects.create(project=project, facility=f, added_by=staff_a)
    project.indicators.create(kind="machines", planned=3, actual=2)
    body = api(read_a[1]).get(reverse("api:project_detail", kwargs={"pk": project.pk})).json()
    assert body["province"] == {"code": province_a.pk, "name": province_a.name}
    assert body["communes"][0]["code"] == commune_of(province_a, "xã").pk
    assert body["beneficiaries"][0]["tax_code"] == f.tax_code
    assert body["indicators"] == [{"kind": "machines", "planned": 3, "actual": 2}]
    assert body["decision"] == {"number": "125/QĐ-SCT", "date": "2026-03-02", "signer": ""}
    assert body["status"] == "approved" and body["status_label"] == "Đã phê duyệt"


def test_project_filters_match_the_web_list(api, read_a, province_a, staff_a):
    from projects.forms import ProjectFilter

    ProjectFactory.create(province=province_a, created_by=staff_a, start_year=2024, end_year=2026)
    ProjectFactory.create(
        province=province_a, created_by=staff_a, start_year=2026, end_year=2026, funding_level="kcqg"
    )
    ProjectFactory.create(province=province_a, created_by=staff_a, start_year=2023, end_year=2023)
    for params in (
        {"year": 2025},
        {"year_from": 2025, "year_to": 2026},
        {"funding_level": "kcqg"},
        {"status": "draft"},
    ):
        web = ProjectFilter(params, queryset=Project.objects.visible_to(staff_a), user=staff_a).qs
        assert _ids(api(read_a[1]).get(reverse("api:project_list"), params)) == set(
            web.values_list("pk", flat=True)
        )


def test_updated_since_and_former_province(api, read_a, province_a, staff_a):
    from regions.models import LegacyCommune

    legacy = (
        LegacyCommune.objects.filter(commune__province=province_a, legacy_district__legacy_province_id=17)
        .select_related("legacy_district__legacy_province", "commune")
        .first()
    )
    assert legacy is not None
    old = ProjectFactory.create(province=province_a, created_by=staff_a, communes=[legacy.commune])
    Project.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=10), legacy_province_id=17
    )
    new = ProjectFactory.create(
        province=province_a, created_by=staff_a, communes=[commune_of(province_a, "xã")]
    )
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert _ids(api(read_a[1]).get(reverse("api:project_list"), {"updated_since": since})) == {new.pk}
    code = legacy.legacy_district.legacy_province_id
    assert old.pk in _ids(api(read_a[1]).get(reverse("api:project_list"), {"former_province": code}))


def test_cursor_pages_cover_everything_once(api, read_a, province_a):
    made = {facility(province_a, name=f"Hợp tác xã số {i}", kind="htx").pk for i in range(7)}
    seen: list[int] = []
    url = reverse("api:facility_list") + "?page_size=3"
    while url:
        body = api(read_a[1]).get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(made)


def test_list_queries_are_bounded(api, read_a, province_a, staff_a, django_assert_max_num_queries):
    from projects.models import ProjectBeneficiary

    for i in range(6):
        p = ProjectFactory.create(province=province_a, created_by=staff_a)
        ProjectBeneficiary.objects.create(
            project=p, facility=facility(province_a, name=f"Cơ sở {i}", kind="htx"), added_by=staff_a
        )
        p.indicators.create(kind="trainees", planned=10)
    with django_assert_max_num_queries(14):
        assert len(api(read_a[1]).get(reverse("api:project_list")).json()["results"]) == 6
    with django_assert_max_num_queries(10):
        api(read_a[1]).get(reverse("api:facility_list"))


def test_csv_and_xlsx_neutralise_formulas(api, read_a, province_a):
    facility(
        province_a, name='=HYPERLINK("http://x")', kind="htx", address="+84 cmd", main_products="@SUM(1)"
    )
    csv = api(read_a[1]).get(reverse("api:facility_list"), {"format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+84 cmd" in text and "'@SUM(1)" in text
    header = text.splitlines()[0].split(",")
    assert "tax_code" in header and "province.code" in header and "commune.code" in header
    xlsx = api(read_a[1]).get(reverse("api:facility_list"), {"format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_file_format_errors_stay_json(api, read_a):
    response = api(read_a[1]).get(reverse("api:project_list"), {"format": "csv", "year": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "year" in response.json()["errors"]


@pytest.mark.parametrize(
    "path", ["/api/v1/facilities/-1389/", "/api/v1/no-such-thing/", "/api/v1/projects/x/"]
)
def test_an_unmatched_api_url_answers_json(api, read_a, path):
    """Found by schemathesis: a negative id does not match ``<int:pk>``, and Django's HTML 404 page came back."""
    response = api(read_a[1]).get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": 404, "code": "not_found", "message": "Không tìm thấy."}


def test_an_unmatched_portal_url_still_answers_the_page(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_regions_carry_national_codes_and_the_former_mapping(api, read_a):
    body = api(read_a[1]).get(reverse("api:former_province_list"), {"page_size": 100}).json()
    hoa_binh = next(p for p in body["results"] if p["code"] == 17)
    phu_tho = api(read_a[1]).get(reverse("api:province_detail", kwargs={"code": hoa_binh["province"]})).json()
    assert phu_tho["name"] == "Tỉnh Phú Thọ"
    communes = (
        api(read_a[1]).get(reverse("api:former_commune_list"), {"former_province": hoa_binh["code"]}).json()
    )
    assert communes["results"] and all(c["former_province"] == hoa_binh["code"] for c in communes["results"])


def test_dashboard_is_the_selectors_figures(api, read_a, manager_a, province_a):
    from api.serializers.dashboard import facts_payload
    from reports.selectors import Filters, dashboard_facts
    from tests.factories import funded_allocation, money_project

    project = money_project(province_a)
    funded_allocation(project, manager_a, amount=150_000_000)
    body = api(read_a[1]).get(reverse("api:dashboard"), {"year_from": 2026, "year_to": 2026}).json()
    facts = dashboard_facts(manager_a, Filters(year_from=2026, year_to=2026))
    assert body == facts_payload(facts)
    assert body["approved"] == 150_000_000 and body["by_area"] == "commune"
