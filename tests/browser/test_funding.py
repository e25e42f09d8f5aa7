"""The money journey: a manager records the allocation from the approval decision, staff records an
advance and a payment, tries to overpay and is refused, and the balance shown is right."""

from __future__ import annotations

import pytest

from funding.models import Allocation, MoneyEntry
from tests.browser.conftest import login, shot
from tests.factories import PASSWORD, budget_envelope, cost_plan_line, money_project

pytestmark = pytest.mark.django_db(transaction=True)


def _logout(page) -> None:
    page.context.clear_cookies()


def test_allocation_advance_payment_and_refused_overpayment(
    live_server, page, province_a, manager_a, staff_a
):
    project = money_project(
        province_a,
        category="ND45-03",
        total_cost=400_000_000,
        title="Hỗ trợ máy sấy chè cho Hợp tác xã chè Mường Động (Hòa Bình cũ)",
        decision_number="318/QĐ-SCT",
        status="in_progress",  # contracted and under way: advances and payments within 70 % until acceptance
    )
    budget_envelope(province_a, level="kcdp", amount=3_500_000_000)
    cost_plan_line(project, amount=150_000_000)
    money_url = f"{live_server.url}/kinh-phi/de-an/{project.pk}/"

    # The manager records the allocation from the approval decision.
    login(page, live_server, manager_a.username, PASSWORD)
    page.goto(money_url)
    page.click("text=Giao kinh phí")
    assert page.input_value("input[name=decision_number]") == "318/QĐ-SCT"
    page.select_option("select[name=source]", "kcdp")
    page.fill("input[name=amount]", "150 triệu")
    shot(page, "funding-allocation-form")
    page.click("#kc-money-submit")
    page.wait_for_load_state("networkidle")
    assert "Đã giao 150.000.000 ₫" in page.inner_text("body")
    assert page.inner_text("[data-kc=balance]") == "150.000.000 ₫"
    _logout(page)

    # Staff records an advance and a payment.
    login(page, live_server, staff_a.username, PASSWORD)
    page.goto(money_url)
    allocation = Allocation.objects.get(project=project)
    page.click(f"#allocation-{allocation.pk} >> text=Tạm ứng")
    page.fill("input[name=amount]", "100.000.000")
    page.fill("input[name=voucher_number]", "TU-01/2026")
    page.fill("input[name=voucher_date]", "10/04/2026")
    page.click("#kc-money-submit")
    page.wait_for_load_state("networkidle")
    assert "Đã ghi tạm ứng 100.000.000 ₫" in page.inner_text("body")

    page.click(f"#allocation-{allocation.pk} >> text=Thanh toán")
    assert page.inner_text("[data-kc=remaining]") == "50.000.000 ₫"
    assert page.inner_text("[data-kc=payable-now]") == "5.000.000 ₫"  # 70 % of 150 million, less 100
    page.fill("input[name=amount]", "5000000")
    page.fill("input[name=voucher_number]", "PC-15/2026")
    page.fill("input[name=voucher_date]", "20/05/2026")
    page.click("#kc-money-submit")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-kc=balance]") == "45.000.000 ₫"

    # Paying the rest before acceptance is refused, naming the rule and the state; nothing is written.
    page.click(f"#allocation-{allocation.pk} >> text=Thanh toán")
    page.fill("input[name=amount]", "0,03 tỷ")
    page.fill("input[name=voucher_number]", "PC-16/2026")
    page.fill("input[name=voucher_date]", "21/05/2026")
    page.click("#kc-money-submit")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "Chỉ được thanh toán phần còn lại sau khi nghiệm thu" in body and "Đang triển khai" in body
    assert page.inner_text("[data-kc=remaining]") == "45.000.000 ₫"
    shot(page, "funding-overpayment-refused")
    assert MoneyEntry.objects.filter(allocation=allocation).count() == 2

    page.goto(money_url)
    assert page.inner_text("[data-kc=balance]") == "45.000.000 ₫"
    assert page.inner_text("[data-kc=outstanding]") == "100.000.000 ₫"
    assert page.inner_text("[data-kc=paid]") == "5.000.000 ₫"
    shot(page, "funding-money-tab")


def test_annual_plan_page(live_server, page, province_a, manager_a, staff_a):
    from tests.factories import funded_allocation

    project = money_project(province_a, title="Đào tạo nghề dệt thổ cẩm Mai Châu")
    budget_envelope(province_a, level="kcqg", amount=2_000_000_000)
    funded_allocation(project, manager_a, amount=180_000_000)
    login(page, live_server, manager_a.username, PASSWORD)
    page.goto(f"{live_server.url}/kinh-phi/ke-hoach-nam/?year=2026")
    body = page.inner_text("body")
    assert "Kế hoạch kinh phí khuyến công năm 2026" in body
    assert "180.000.000 ₫" in body
    shot(page, "funding-annual-plan")
