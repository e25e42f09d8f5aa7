"""Dashboard figures: equal to the database's sums, scoped by province, and read in few queries."""

from __future__ import annotations

import pytest
from django.db.models import F, Sum
from django.urls import reverse

from reports.selectors import Filters, dashboard_facts
from tests.reports.conftest import TR

pytestmark = pytest.mark.django_db


def test_facts_equal_the_database_sums(dataset, manager_a, province_a):
    from funding.models import Allocation, CostPlanLine, SettlementLine

    facts = dashboard_facts(manager_a, Filters(2022, 2026))
    in_range = {"project__province": province_a, "project__start_year__range": (2022, 2026)}
    db_approved = Allocation.objects.filter(**in_range).aggregate(s=Sum("amount"))["s"]
    db_disbursed = Allocation.objects.filter(**in_range).aggregate(
        s=Sum(F("advanced") - F("recovered") + F("paid"))
    )["s"]
    db_counterpart = CostPlanLine.objects.filter(source="counterpart", **in_range).aggregate(s=Sum("amount"))[
        "s"
    ]
    db_settled = SettlementLine.objects.filter(
        settlement__project__province=province_a, settlement__project__start_year__range=(2022, 2026)
    ).aggregate(s=Sum("actual"))["s"]
    assert facts.approved == db_approved == 500 * TR
    assert facts.disbursed == db_disbursed == 460 * TR
    assert facts.planned_counterpart == db_counterpart == 450 * TR
    assert facts.total("settled") == db_settled == 600 * TR
    assert facts.project_count == 3
    assert facts.decided_count == 2
    assert facts.status_counts == {"approved": 1, "settled": 1, "submitted": 1}
    assert facts.disbursement_rate == pytest.approx(0.92)
    assert facts.leverage == pytest.approx(450 / 500)
    assert facts.facilities_supported == 2
    assert facts.indicator("trainees") == 28
    assert facts.share("trainees_female") == pytest.approx(20 / 28)
    assert facts.share("trainees_ethnic") == pytest.approx(14 / 28)
    assert facts.indicator("machines") == 2
    assert facts.indicator("tech_lines") == 1
    assert facts.indicator("products_recognised", "planned") == 3
    assert facts.money_by_year[2024]["kcdp"].approved == 200 * TR
    assert facts.money_by_year[2025]["kcqg"].settled == 290 * TR
    assert facts.by_area == "commune"
    assert sum(c["approved"] for c in facts.categories) == 500 * TR
    funnel = {k: n for k, _label, n in facts.funnel}
    assert funnel == {
        "submitted": 3,
        "appraised": 2,
        "approved": 2,
        "in_progress": 1,
        "accepted": 1,
        "settled": 1,
    }


def test_scope_province_users_see_their_province_only(dataset, manager_b, national_manager):
    facts_b = dashboard_facts(manager_b, Filters(2022, 2026))
    assert facts_b.approved == 500 * TR
    assert facts_b.project_count == 1
    national = dashboard_facts(national_manager, Filters(2022, 2026))
    assert national.approved == 1000 * TR
    assert national.by_area == "province"
    assert {a["name"] for a in national.areas} == {"Tỉnh Phú Thọ", "Thành phố Hà Nội"}


def test_filters_narrow_the_figures(dataset, national_manager, province_a):
    only_kcqg = dashboard_facts(national_manager, Filters(2022, 2026, funding_level="kcqg"))
    assert only_kcqg.approved == 300 * TR
    year_2019 = dashboard_facts(national_manager, Filters(2019, 2019, province=province_a.pk))
    assert year_2019.approved == 100 * TR
    assert year_2019.by_area == "commune"


def test_dashboard_page_in_at_most_12_queries(dataset, client_for, manager_a, django_assert_max_num_queries):
    client = client_for(manager_a)
    # 12: the summary version (with pghistory's context statement) comes before the figures
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Giai đoạn 2022–2026: 2 đề án được phê duyệt, kinh phí hỗ trợ 500 triệu đồng" in text
    assert "500.000.000 ₫" in text
    assert 'id="kc-dashboard-data"' in text


def test_national_dashboard_with_filters_in_at_most_10_queries(
    dataset, client_for, national_manager, province_a, django_assert_max_num_queries
):
    client = client_for(national_manager)
    url = reverse("reports:dashboard")
    query = f"year_from=2022&year_to=2026&province={province_a.pk}&funding_level=kcdp&category=&kind="
    with django_assert_max_num_queries(10):
        response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert response.context["facts"].approved == 200 * TR


def test_another_province_in_the_filter_is_a_400_with_a_message(dataset, client_for, manager_a, province_b):
    response = client_for(manager_a).get(reverse("reports:dashboard"), {"province": province_b.pk})
    assert response.status_code == 400
    assert "facts" not in response.context
    assert "Lựa chọn không hợp lệ" in response.content.decode() or "hợp lệ" in response.content.decode()


def test_inverted_year_range_is_refused(dataset, client_for, manager_a):
    response = client_for(manager_a).get(reverse("reports:dashboard"), {"year_from": 2026, "year_to": 2022})
    assert response.status_code == 400
    assert "Năm kết thúc phải bằng hoặc sau năm bắt đầu." in response.content.decode()


def test_staff_may_not_see_the_dashboard(client_for, staff_a):
    assert client_for(staff_a).get(reverse("reports:dashboard")).status_code == 403


def test_dashboard_tables_export_to_xlsx_with_the_same_figures(
    dataset, client_for, manager_a, django_assert_max_num_queries
):
    import io

    from openpyxl import load_workbook

    client = client_for(manager_a)
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("reports:dashboard_export"),
            {"year_from": 2022, "year_to": 2026, "province": manager_a.province_id},
        )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bang-dieu-khien-2022-2026.xlsx"')
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Theo nội dung",
        "Theo nguồn",
        "Theo trạng thái",
        "Chỉ tiêu",
        "Theo năm và nguồn",
        "Theo địa bàn",
    ]
    title = next(wb["Tổng hợp"].iter_rows(values_only=True))[0]
    assert title.startswith("Giai đoạn 2022–2026: 2 đề án được phê duyệt")
    totals = next(r for r in wb["Theo nguồn"].iter_rows(values_only=True) if r[0] == "Tổng cộng")
    assert totals[2] == 500 * TR and totals[5] == 460 * TR


def test_dashboard_export_refuses_another_province(dataset, client_for, manager_a, province_b):
    response = client_for(manager_a).get(reverse("reports:dashboard_export"), {"province": province_b.pk})
    assert response.status_code == 400
