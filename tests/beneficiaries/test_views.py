import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from beneficiaries.models import Facility
from tests.beneficiaries.factories import FacilityFactory, sector, valid_tax_code
from tests.factories import commune_of

pytestmark = pytest.mark.django_db

LIST = reverse("beneficiaries:facility_list")
CREATE = reverse("beneficiaries:facility_create")


def _form(province, **extra):
    data = {
        "name": "Hợp tác xã Mây tre đan Phú Vinh",
        "kind": "htx",
        "tax_code": valid_tax_code(),
        "province": province.pk,
        "commune": commune_of(province, "xã").pk,
        "workers_total": "40",
        "workers_female": "30",
        "workers_ethnic_minority": "5",
        "annual_revenue": "3,5 tỷ",
        "status": "active",
    }
    data.update(extra)
    return data


def test_staff_creates_facility(client_for, staff_a, province_a):
    response = client_for(staff_a).post(CREATE, _form(province_a, sectors=[sector("1629").pk]))
    assert response.status_code == 302, response.context["form"].errors
    facility = Facility.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("beneficiaries:facility_detail", args=[facility.pk])
    assert facility.annual_revenue == 3_500_000_000
    assert facility.province == province_a


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_code", "0100109107", "sai chữ số kiểm tra"),
        ("tax_code", "01001091", "phải có 10 chữ số"),
        ("tax_code", "01001A9106", "chỉ gồm chữ số"),
        ("workers_total", "-3", "không được âm"),
        ("workers_female", "41", "không được lớn hơn tổng số lao động"),
        ("workers_ethnic_minority", "41", "không được lớn hơn tổng số lao động"),
        ("annual_revenue", "-5", "lớn hơn hoặc bằng"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client_for, staff_a, province_a, field, value, message):
    response = client_for(staff_a).post(CREATE, _form(province_a, **{field: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Facility.objects.exists()


def test_commune_outside_chosen_province(client_for, admin_user, province_a, province_b):
    data = _form(province_a, commune=commune_of(province_b, "xã").pk)
    response = client_for(admin_user).post(CREATE, data)
    assert response.status_code == 400
    assert "không thuộc Tỉnh Phú Thọ" in " ".join(response.context["form"].errors["commune"])
    assert not Facility.objects.exists()


def test_staff_cannot_choose_another_province(client_for, staff_a, province_b):
    response = client_for(staff_a).post(CREATE, _form(province_b))
    assert response.status_code == 400
    assert "province" in response.context["form"].errors
    assert not Facility.objects.exists()


def test_duplicate_tax_code_shows_existing_record(client_for, staff_a, province_a):
    existing = FacilityFactory.create(province=province_a, name="Công ty TNHH Chè Phú Thọ")
    response = client_for(staff_a).post(CREATE, _form(province_a, tax_code=existing.tax_code))
    assert response.status_code == 409
    body = response.content.decode()
    assert reverse("beneficiaries:facility_detail", args=[existing.pk]) in body
    assert "Mã số thuế này đã có trong sổ đăng ký." in body
    assert Facility.objects.count() == 1


def test_same_name_in_commune_can_be_confirmed(client_for, staff_a, province_a):
    existing = FacilityFactory.create(
        province=province_a, commune=commune_of(province_a, "xã"), name="Hộ Nguyễn Văn An"
    )
    data = _form(province_a, name="Hộ Nguyễn Văn An")
    client = client_for(staff_a)
    response = client.post(CREATE, data)
    assert response.status_code == 409
    assert response.context["same_name"] is True
    assert reverse("beneficiaries:facility_detail", args=[existing.pk]) in response.content.decode()
    assert client.post(CREATE, {**data, "allow_same_name": "on"}).status_code == 302
    assert Facility.objects.count() == 2


def test_household_with_personal_id_only(client_for, staff_a, province_a):
    data = _form(province_a, kind="ho_kinh_doanh", tax_code="", personal_id="025190001234")
    assert client_for(staff_a).post(CREATE, data).status_code == 302
    assert Facility.objects.get().personal_id == "025190001234"


def test_search_ignores_diacritics_and_case(client_for, staff_a, province_a):
    FacilityFactory.create(province=province_a, name="Hợp tác xã Hòa Bình Xanh")
    FacilityFactory.create(province=province_a, name="Cơ sở Đồng Tâm")
    FacilityFactory.create(province=province_a, name="Công ty Chè Phú Thọ", representative="Đinh Văn Đông")
    FacilityFactory.create(province=province_a, name="Xưởng gỗ Lâm Thao")
    client = client_for(staff_a)

    def names(q):
        return sorted(f.name for f in client.get(LIST, {"q": q}).context["facilities"])

    assert names("hoa binh") == ["Hợp tác xã Hòa Bình Xanh"]
    assert set(names("dong")) == {"Cơ sở Đồng Tâm", "Công ty Chè Phú Thọ"}
    assert names("HÒA BÌNH") == ["Hợp tác xã Hòa Bình Xanh"]
    tax = Facility.objects.get(name="Xưởng gỗ Lâm Thao").tax_code
    assert names(tax) == ["Xưởng gỗ Lâm Thao"]


def test_list_shows_only_own_province(client_for, staff_b, province_a, province_b):
    FacilityFactory.create(province=province_a, name="Của Phú Thọ")
    FacilityFactory.create(province=province_b, name="Của Hà Nội")
    facilities = client_for(staff_b).get(LIST).context["facilities"]
    assert [f.name for f in facilities] == ["Của Hà Nội"]


def test_other_province_detail_is_404(client_for, staff_b, province_a):
    facility = FacilityFactory.create(province=province_a)
    client = client_for(staff_b)
    assert client.get(reverse("beneficiaries:facility_detail", args=[facility.pk])).status_code == 404
    assert client.get(reverse("beneficiaries:facility_update", args=[facility.pk])).status_code == 404


def test_filters(client_for, national_manager, province_a, province_b):
    from tests.beneficiaries.factories import ward_of

    tea = FacilityFactory.create(province=province_a, name="Chè")
    tea.sectors.set([sector("1076")])
    FacilityFactory.create(province=province_a, name="Gỗ", kind="dnnvv", status="closed")
    FacilityFactory.create(province=province_b, name="Phường", commune=ward_of(province_b))
    client = client_for(national_manager)

    def names(**params):
        return sorted(f.name for f in client.get(LIST, params).context["facilities"])

    assert names(sector="10") == ["Chè"]  # a division finds its classes
    assert names(kind="dnnvv") == ["Gỗ"]
    assert names(status="closed") == ["Gỗ"]
    assert names(eligible="yes") == ["Chè"]
    assert names(eligible="no") == ["Gỗ", "Phường"]
    assert names(province=province_b.pk) == ["Phường"]
    assert names(kind="nonsense", page="abc") == ["Chè", "Gỗ", "Phường"]  # bad values are ignored


def test_supported_filter(client_for, staff_a, province_a):
    from tests.factories import ProjectFactory, activity_category

    supported = FacilityFactory.create(province=province_a, name="Đã hỗ trợ")
    FacilityFactory.create(province=province_a, name="Chưa hỗ trợ")
    project = ProjectFactory.create(
        province=province_a,
        category=activity_category(),
        status="approved",
        decision_number="1/QĐ",
        decision_date="2026-03-02",
        total_cost=100_000_000,
    )
    from projects.models import ProjectBeneficiary

    ProjectBeneficiary.objects.create(project=project, facility=supported, added_by=staff_a)
    client = client_for(staff_a)
    assert [f.name for f in client.get(LIST, {"supported": "yes"}).context["facilities"]] == ["Đã hỗ trợ"]
    assert [f.name for f in client.get(LIST, {"supported": "no"}).context["facilities"]] == ["Chưa hỗ trợ"]


def test_list_query_count_is_flat(client_for, staff_a, province_a, django_assert_max_num_queries):
    client = client_for(staff_a)
    FacilityFactory.create(province=province_a)
    client.get(LIST)  # warm the per-process caches (reference data, menus), which a cold first request fills
    with django_assert_max_num_queries(8) as one:
        assert len(client.get(LIST).context["facilities"]) == 1
    for i in range(60):
        FacilityFactory.create(province=province_a, name=f"Cơ sở số {i:02d}")
    with django_assert_max_num_queries(8) as many:
        page = client.get(LIST, {"q": "co so"}).context["page"]
    assert len(page.object_list) == 50 and page.has_next
    assert len(one.captured_queries) == len(many.captured_queries)
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)


def test_pagination_without_count(client_for, staff_a, province_a):
    for i in range(55):
        FacilityFactory.create(province=province_a, name=f"Cơ sở {i:02d}")
    page = client_for(staff_a).get(LIST, {"page": 2}).context["page"]
    assert [f.name for f in page.object_list] == [f"Cơ sở {i:02d}" for i in range(4, -1, -1)]  # newest first
    assert page.has_previous and not page.has_next


def test_csv_export_neutralises_formulas(client_for, manager_a, province_a):
    FacilityFactory.create(province=province_a, name='=HYPERLINK("http://x")', representative="@SUM(A1)")
    response = client_for(manager_a).get(reverse("beneficiaries:facility_export"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "Tên cơ sở"
    assert rows[1][1].startswith("'=")
    assert rows[1][5].startswith("'@")


def test_xlsx_export_of_filtered_list(client_for, manager_a, province_a, province_b):
    tea = FacilityFactory.create(province=province_a, name="+Chè Long Cốc", annual_revenue=1_200_000_000)
    tea.sectors.set([sector("1076"), sector("1079")])
    FacilityFactory.create(province=province_a, name="Gỗ", kind="dnnvv")
    FacilityFactory.create(province=province_b, name="Hà Nội")
    response = client_for(manager_a).get(
        reverse("beneficiaries:facility_export"), {"format": "xlsx", "kind": "htx"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [r for r in workbook.active.iter_rows(values_only=True) if any(r)]
    data = rows[2:]
    assert len(data) == 1
    assert data[0][1] == "'+Chè Long Cốc"
    assert data[0][10] == "1076, 1079"
    assert data[0][16] == 1_200_000_000


def test_export_bad_format_is_400(client_for, manager_a):
    assert (
        client_for(manager_a).get(reverse("beneficiaries:facility_export"), {"format": "exe"}).status_code
        == 400
    )


def test_detail_shows_eligibility_and_history_include(client_for, manager_a, province_a):
    facility = FacilityFactory.create(province=province_a)
    response = client_for(manager_a).get(reverse("beneficiaries:facility_detail", args=[facility.pk]))
    body = response.content.decode()
    assert "Thuộc đối tượng khuyến công" in body
    assert 'id="kc-support-history"' in body
    assert "projects/partials/facility_support_history.html" in [t.name for t in response.templates]


def test_admin_changelist_search_without_full_count(
    client_for, admin_user, province_a, django_assert_max_num_queries
):
    for i in range(5):
        FacilityFactory.create(province=province_a, name=f"Hợp tác xã Đồng Tâm {i}")
    admin_user.is_superuser = True
    admin_user.save()
    client = client_for(admin_user)
    url = reverse("admin:beneficiaries_facility_changelist")
    with django_assert_max_num_queries(12) as captured:
        response = client.get(url, {"q": "dong tam"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 5
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "kc_unaccent" in sql
    assert 'SELECT COUNT(*) AS "__count" FROM "beneficiaries_facility"' not in sql
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "beneficiaries", "model_name": "facility", "field_name": "merged_into", "term": "dong"},
    )
    assert autocomplete.status_code == 200 and len(autocomplete.json()["results"]) == 5


def test_filtered_list_for_national_user_stays_within_eight_queries(
    client_for, national_manager, province_a, django_assert_max_num_queries
):
    tea = sector("1076")
    for i in range(55):
        FacilityFactory.create(province=province_a, name=f"Hợp tác xã Chè {i}").sectors.set([tea])
    client = client_for(national_manager)
    params = {
        "province": province_a.pk,
        "sector": "10",
        "kind": "htx",
        "supported": "no",
        "eligible": "yes",
        "q": "che",
    }
    with django_assert_max_num_queries(8):
        page = client.get(LIST, params).context["page"]
    assert len(page.object_list) == 50 and page.has_next
