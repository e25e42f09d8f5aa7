"""The money pages: Vietnamese input, clear refusals with a 4xx and nothing written, bounded queries."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from funding import services
from funding.models import Allocation, BudgetEnvelope, MoneyEntry, Settlement
from tests.factories import cost_plan_line, money_project

pytestmark = pytest.mark.django_db


def entry_data(amount: str, **extra: str) -> dict[str, str]:
    return {"amount": amount, "voucher_number": "PC-100", "voucher_date": "15/04/2026", **extra}


def test_payment_form_shows_the_remaining_balance(
    client_for, staff_a, allocation_a, django_assert_max_num_queries
):
    services.payment_record(
        user=staff_a,
        allocation=allocation_a,
        amount=45_000_000,
        voucher_number="PC-1",
        voucher_date=dt.date(2026, 4, 1),
    )
    client = client_for(staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("funding:payment_create", kwargs={"pk": allocation_a.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "155.000.000 ₫" in html  # 200 million − 45 million
    assert "Còn lại được chi" in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("6.000.000", 6_000_000), ("6000000", 6_000_000), ("0,06 tỷ", 60_000_000), ("35 triệu", 35_000_000)],
)
def test_payment_accepts_vietnamese_amounts(client_for, staff_a, allocation_a, typed, stored):
    response = client_for(staff_a).post(
        reverse("funding:payment_create", kwargs={"pk": allocation_a.pk}), entry_data(typed)
    )
    assert response.status_code == 302
    assert MoneyEntry.objects.get().amount == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5.000.000", "Số tiền phải lớn hơn 0."),
        ("0", "Số tiền phải lớn hơn 0."),
        ("năm triệu", "Số tiền không hợp lệ"),
        ("", "Cần nhập số tiền."),
        ("200.000.001", "vượt số kinh phí còn lại được chi"),
    ],
)
def test_bad_payment_amounts_get_a_message_a_400_and_change_nothing(
    client_for, staff_a, allocation_a, typed, message
):
    response = client_for(staff_a).post(
        reverse("funding:payment_create", kwargs={"pk": allocation_a.pk}), entry_data(typed)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MoneyEntry.objects.exists()
    assert Allocation.objects.get(pk=allocation_a.pk).paid == 0


def test_advance_above_ceiling_via_the_form(client_for, staff_a, allocation_a):
    response = client_for(staff_a).post(
        reverse("funding:advance_create", kwargs={"pk": allocation_a.pk}), entry_data("150 triệu")
    )
    assert response.status_code == 400
    assert "Tạm ứng vượt mức tối đa 70%" in response.content.decode()
    assert not MoneyEntry.objects.exists()


def test_stale_payment_form_answers_409(client_for, staff_a, allocation_a):
    client = client_for(staff_a)
    url = reverse("funding:payment_create", kwargs={"pk": allocation_a.pk})
    seen = Allocation.objects.get(pk=allocation_a.pk).version
    assert client.post(url, entry_data("1.000.000", version=str(seen))).status_code == 302
    response = client.post(url, entry_data("2.000.000", version=str(seen)))
    assert response.status_code == 409
    assert "người khác thay đổi" in response.content.decode()
    assert MoneyEntry.objects.count() == 1


def test_payment_on_unapproved_project_via_the_form(client_for, staff_a, allocation_a):
    from projects.models import Project

    Project.objects.filter(pk=allocation_a.project_id).update(status="stopped")
    response = client_for(staff_a).post(
        reverse("funding:payment_create", kwargs={"pk": allocation_a.pk}), entry_data("1.000.000")
    )
    assert response.status_code == 400
    assert "Chỉ được thanh toán sau khi ký hợp đồng" in response.content.decode()
    assert not MoneyEntry.objects.exists()


def test_allocation_above_envelope_via_the_form(client_for, manager_a, project_a, province_a):
    BudgetEnvelope.objects.create(province=province_a, year=2026, level="kcdp", amount=100_000_000)
    cost_plan_line(project_a, amount=150_000_000)
    response = client_for(manager_a).post(
        reverse("funding:allocation_create", kwargs={"project_pk": project_a.pk}),
        {
            "source": "kcdp",
            "year": "2026",
            "amount": "0,15 tỷ",
            "decision_number": "1",
            "decision_date": "02/03/2026",
        },
    )
    assert response.status_code == 400
    assert "Vượt dự toán giao" in response.content.decode()
    assert not Allocation.objects.exists()


def test_state_share_above_cap_via_the_form(client_for, manager_a, province_a):
    machinery = money_project(province_a, category="ND45-03", total_cost=400_000_000)
    BudgetEnvelope.objects.create(province=province_a, year=2026, level="kcdp", amount=5_000_000_000)
    cost_plan_line(machinery, amount=250_000_000)
    response = client_for(manager_a).post(
        reverse("funding:allocation_create", kwargs={"project_pk": machinery.pk}),
        {
            "source": "kcdp",
            "year": "2026",
            "amount": "250 triệu",
            "decision_number": "1",
            "decision_date": "02/03/2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "vượt mức tối đa" in html and "50.000.000 ₫" in html
    assert not Allocation.objects.exists()


def test_settlement_before_acceptance_via_the_form(client_for, staff_a, allocation_a):
    response = client_for(staff_a).post(
        reverse("funding:settlement_create", kwargs={"project_pk": allocation_a.project_id}),
        {"year": "2026", "decision_number": "QT-1", "decision_date": "10/01/2027"},
    )
    assert response.status_code == 400
    assert "sau khi đề án đã nghiệm thu" in response.content.decode()
    assert not Settlement.objects.exists()


def test_money_tab_queries_do_not_grow_with_entries(
    client_for, staff_a, allocation_a, django_assert_max_num_queries
):
    for i in range(30):
        services.payment_record(
            user=staff_a,
            allocation=allocation_a,
            amount=1_000_000,
            voucher_number=f"PC-{i}",
            voucher_date=dt.date(2026, 4, 1),
        )
    client = client_for(staff_a)
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("funding:project_money", kwargs={"project_pk": allocation_a.project_id})
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "170.000.000 ₫" in html  # balance
    assert html.count("PC-") >= 30


def test_annual_plan_by_source_and_category(
    client_for, manager_a, staff_a, allocation_a, django_assert_max_num_queries
):
    services.advance_record(
        user=staff_a,
        allocation=allocation_a,
        amount=100_000_000,
        voucher_number="TU-1",
        voucher_date=dt.date(2026, 4, 1),
    )
    client = client_for(manager_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("funding:annual_plan"), {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.000.000.000 ₫" in html and "200.000.000 ₫" in html and "100.000.000 ₫" in html
    assert "Đào tạo nghề, truyền nghề" in html


def test_annual_plan_export_xlsx(client_for, manager_a, allocation_a, province_a):
    response = client_for(manager_a).get(
        reverse("funding:annual_plan_export"), {"year": 2026, "province": province_a.pk}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Theo nguồn"].iter_rows(values_only=True))
    kcdp = next(r for r in rows if r[0] and "KCĐP" in str(r[0]))
    assert kcdp[1:3] == (1_000_000_000, 200_000_000)
    assert book["Theo nội dung"].max_row >= 4


def test_national_manager_chooses_the_province(client_for, national_manager, allocation_a, province_a):
    client = client_for(national_manager)
    assert "Chọn tỉnh/thành phố" in client.get(reverse("funding:annual_plan")).content.decode()
    response = client.get(reverse("funding:annual_plan"), {"year": 2026, "province": province_a.pk})
    assert "200.000.000 ₫" in response.content.decode()


def test_province_manager_records_an_envelope_for_own_province(client_for, manager_a, province_a):
    response = client_for(manager_a).post(
        reverse("funding:envelope_create"), {"year": "2027", "level": "kcqg", "amount": "6,61 tỷ"}
    )
    assert response.status_code == 302
    assert BudgetEnvelope.objects.get(year=2027).province_id == province_a.pk
    assert BudgetEnvelope.objects.get(year=2027).amount == 6_610_000_000


def test_project_detail_money_tab_shows_the_balance(client_for, staff_a, allocation_a):
    services.payment_record(
        user=staff_a,
        allocation=allocation_a,
        amount=20_000_000,
        voucher_number="PC-7",
        voucher_date=dt.date(2026, 4, 1),
    )
    url = reverse("projects:project_detail", kwargs={"pk": allocation_a.project_id})
    response = client_for(staff_a).get(url, {"tab": "money"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-kc="balance">180.000.000 ₫' in html
    assert reverse("funding:payment_create", kwargs={"pk": allocation_a.pk}) in html


def test_voucher_upload_is_checked_and_stored_under_an_opaque_name(client_for, staff_a, allocation_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(staff_a)
    url = reverse("funding:payment_create", kwargs={"pk": allocation_a.pk})
    fake = SimpleUploadedFile("phieu-chi.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(url, {**entry_data("1.000.000"), "document": fake})
    assert response.status_code == 400
    assert "Tệp bị từ chối" in response.content.decode()
    assert not MoneyEntry.objects.exists()
    pdf = SimpleUploadedFile("../../phieu chi.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client.post(url, {**entry_data("1.000.000"), "document": pdf}).status_code == 302
    entry = MoneyEntry.objects.get()
    stored = entry.document.name or ""
    assert stored.startswith(f"funding/vouchers/{allocation_a.pk}/")
    assert ".." not in stored and stored.endswith(".pdf")
    download = client.get(reverse("funding:entry_document", kwargs={"pk": entry.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_cost_plan_form_fills_the_counterpart(client_for, staff_a, project_a):
    from funding.models import CostPlanLine

    response = client_for(staff_a).post(
        reverse("funding:cost_plan_edit", kwargs={"project_pk": project_a.pk}),
        {"kcdp_2026": "0,2 tỷ", "other_2026": "20 triệu", "facilities": "2"},
    )
    assert response.status_code == 302
    assert dict(CostPlanLine.objects.values_list("source", "amount")) == {
        "kcdp": 200_000_000,
        "other": 20_000_000,
        "counterpart": 180_000_000,
    }
    page = client_for(staff_a).get(reverse("funding:project_money", kwargs={"project_pk": project_a.pk}))
    assert "Các nguồn cộng lại bằng tổng kinh phí của đề án." in page.content.decode()


def test_cost_plan_form_refuses_sources_above_total(client_for, staff_a, project_a):
    from funding.models import CostPlanLine

    response = client_for(staff_a).post(
        reverse("funding:cost_plan_edit", kwargs={"project_pk": project_a.pk}),
        {"kcdp_2026": "300 triệu", "counterpart_2026": "200 triệu", "facilities": "1"},
    )
    assert response.status_code == 400
    assert "vượt tổng kinh phí của đề án" in response.content.decode()
    assert not CostPlanLine.objects.exists()


def test_unsettled_money_warning_as_22_january_approaches(allocation_a, province_a):
    from funding.selectors import unsettled_projects

    assert unsettled_projects(province_a.pk, 2026, today=dt.date(2026, 12, 1)) is None
    soon = unsettled_projects(province_a.pk, 2026, today=dt.date(2027, 1, 12))
    assert soon == {"year": 2026, "due": dt.date(2027, 1, 22), "days_left": 10, "overdue": False, "count": 1}
    late = unsettled_projects(province_a.pk, 2026, today=dt.date(2027, 3, 1))
    assert late is not None and late["overdue"] is True


def test_project_money_export_xlsx(client_for, staff_a, allocation_a, django_assert_max_num_queries):
    services.advance_record(
        user=staff_a,
        allocation=allocation_a,
        amount=100_000_000,
        voucher_number="=HYPERLINK(1)",
        voucher_date=dt.date(2026, 4, 1),
    )
    client = client_for(staff_a)
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("funding:project_money_export", kwargs={"project_pk": allocation_a.project_id})
        )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    allocations = list(book["Kinh phí giao"].iter_rows(values_only=True))
    assert allocations[-1][4:9] == (200_000_000, 100_000_000, 0, 0, 100_000_000)
    ledger = list(book["Bút toán"].iter_rows(values_only=True))
    assert ledger[-1][1] == "'=HYPERLINK(1)"  # a voucher number never becomes a formula
    assert ledger[-1][5] == 100_000_000
