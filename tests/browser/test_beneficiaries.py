"""The facility register in a real browser: staff create a facility, are shown the duplicate when
entering it again, import the template with one bad row, see that row's error, fix it and import; a
staff user of another province cannot open the facility (404)."""

from __future__ import annotations

import openpyxl
import pytest

from beneficiaries.importing import COLUMNS
from beneficiaries.models import Facility
from tests.beneficiaries.factories import sector, valid_tax_code
from tests.browser.conftest import login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def pick(page, select_id: str, text: str, option: str) -> None:
    """Type into a Tom Select search box and click the option that appears."""
    page.click(f"#{select_id}-ts-control")
    page.fill(f"#{select_id}-ts-control", text)
    page.locator(".ts-dropdown .option", has_text=option).first.click()
    page.keyboard.press("Escape")


def fill_facility(page, tax_code: str) -> None:
    page.fill("#id_name", "Hợp tác xã Chè Long Cốc")
    page.select_option("#id_kind", "htx")
    page.fill("#id_tax_code", tax_code)
    page.fill("#id_representative", "Hà Văn Tuấn")
    pick(page, "id_commune", "long coc", "Long Cốc")
    pick(page, "id_sectors", "1076", "Sản xuất chè")
    page.fill("#id_workers_total", "48")
    page.fill("#id_workers_female", "30")
    page.fill("#id_workers_ethnic_minority", "35")
    page.fill("#id_annual_revenue", "4,2 tỷ")


def test_create_duplicate_import_and_scope(staff_a, staff_b, live_server, page, tmp_path):
    sector("1076")  # reference data after the transactional flush
    tax_code = valid_tax_code()

    login(page, live_server, staff_a.username, PASSWORD)
    page.click("a.nav-link:has-text('Cơ sở CNNT')")
    page.click("text=Thêm cơ sở")
    fill_facility(page, tax_code)
    shot(page, "beneficiaries-01-create")
    page.click("input[type=submit][name=save]")
    page.wait_for_selector("text=Đã thêm cơ sở")
    facility = Facility.objects.get(tax_code=tax_code)
    assert "Thuộc đối tượng khuyến công" in page.inner_text("#kc-eligibility")
    shot(page, "beneficiaries-02-detail")

    # Entering it again shows the existing record instead of a duplicate.
    page.goto(f"{live_server.url}/co-so/them/")
    fill_facility(page, tax_code)
    page.click("input[type=submit][name=save]")
    page.wait_for_selector("#kc-duplicates")
    assert page.locator("#kc-duplicates a", has_text="Hợp tác xã Chè Long Cốc").count() == 1
    assert "Mã số thuế này đã có trong sổ đăng ký." in page.inner_text("#kc-facility-form")
    shot(page, "beneficiaries-03-duplicate")
    assert Facility.objects.count() == 1

    # The template, filled with two rows, one of them bad.
    page.goto(f"{live_server.url}/co-so/nhap/")
    with page.expect_download() as download_info:
        page.click("#kc-template-xlsx")
    template = tmp_path / "mau.xlsx"
    download_info.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    keys = [c.key for c in COLUMNS]
    sheet.cell(2, keys.index("tax_code") + 1, valid_tax_code())
    sheet.cell(2, keys.index("commune") + 1, "Xã Mai Châu")
    bad = {"name": "Tổ hợp tác Thêu dệt Đà Bắc", "kind": "Tổ hợp tác", "tax_code": valid_tax_code(),
           "commune": "Đà Bắc", "workers_total": 10, "workers_female": 18}  # fmt: skip
    for key, value in bad.items():
        sheet.cell(3, keys.index(key) + 1, value)
    workbook.save(template)
    page.set_input_files("#id_file", str(template))
    page.click("#kc-import-form button[type=submit]")
    page.wait_for_selector("#kc-import-errors")
    errors = page.inner_text("#kc-import-errors")
    assert "Lao động nữ" in errors and "lớn hơn tổng số lao động" in errors and "3" in errors
    shot(page, "beneficiaries-04-import-error")
    assert Facility.objects.count() == 1

    # Fix the row, upload again, commit.
    sheet.cell(3, keys.index("workers_female") + 1, 8)
    workbook.save(template)
    page.goto(f"{live_server.url}/co-so/nhap/")
    page.set_input_files("#id_file", str(template))
    page.click("#kc-import-form button[type=submit]")
    page.click("#kc-import-commit")
    page.wait_for_selector("text=Đã nhập xong: 2 cơ sở mới")
    shot(page, "beneficiaries-05-imported")
    assert Facility.objects.count() == 3

    # The list finds it without diacritics.
    page.goto(f"{live_server.url}/co-so/?q=theu+det+da+bac")
    assert page.locator("#kc-facility-rows tbody tr").count() == 1
    shot(page, "beneficiaries-06-list")

    # Another province's staff: 404.
    page.context.clear_cookies()
    login(page, live_server, staff_b.username, PASSWORD)
    response = page.goto(f"{live_server.url}/co-so/{facility.pk}/")
    assert response.status == 404
    shot(page, "beneficiaries-07-other-province-404")
