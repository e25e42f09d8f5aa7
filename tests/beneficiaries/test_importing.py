import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.importing import COLUMNS, header_label
from beneficiaries.models import Facility, ImportBatch, ImportStatus
from tests.beneficiaries.factories import FacilityFactory, valid_tax_code

pytestmark = pytest.mark.django_db

IMPORT = reverse("beneficiaries:facility_import")
HEADER = [header_label(c) for c in COLUMNS]


def row(**values):
    base = {
        "name": "Hợp tác xã Chè Long Cốc",
        "kind": "Hợp tác xã",
        "tax_code": valid_tax_code(),
        "commune": "Long Cốc",
        "sectors": "1076",
        "workers_total": 30,
        "workers_female": 20,
        "workers_ethnic_minority": 12,
        "annual_revenue": "2,5 tỷ",
        "women_owned": "có",
    }
    base.update(values)
    return [base.get(c.key, "") for c in COLUMNS]


def xlsx(rows, header=HEADER, merge=None, name="co-so.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, header=HEADER, delimiter=",", name="co-so.csv"):
    lines = [delimiter.join(str(v) for v in header)] + [delimiter.join(str(v) for v in r) for r in rows]
    return SimpleUploadedFile(name, ("\ufeff" + "\n".join(lines)).encode())


def upload(client, file):
    response = client.post(IMPORT, {"file": file})
    if response.status_code == 302:
        return ImportBatch.objects.latest("pk"), response
    return None, response


def errors_of(batch):
    return [(e["row"], e["column"], e["message"]) for e in batch.errors if not e.get("warning")]


def test_dry_run_then_commit(client_for, staff_a, province_a):
    client = client_for(staff_a)
    batch, _ = upload(
        client,
        xlsx(
            [
                row(),
                row(
                    name="Hộ Lò Văn Pằng",
                    kind="Hộ kinh doanh",
                    tax_code="",
                    personal_id="017190001234",
                    commune="Xã Mai Châu",
                ),
            ]
        ),
    )
    assert batch.status == ImportStatus.CHECKED
    assert (batch.rows_total, batch.rows_created, batch.rows_updated) == (2, 2, 0)
    assert len(batch.sha256) == 64 and batch.created_by == staff_a and batch.file_name == "co-so.xlsx"
    assert not Facility.objects.exists()  # the dry run writes nothing
    response = client.post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and batch.committed_at
    tea = Facility.objects.get(name="Hợp tác xã Chè Long Cốc")
    assert tea.province == province_a and tea.commune.name == "Xã Long Cốc"
    assert tea.annual_revenue == 2_500_000_000 and tea.women_owned
    assert list(tea.sectors.values_list("code", flat=True)) == ["1076"]
    assert Facility.objects.get(personal_id="017190001234").commune.name == "Xã Mai Châu"
    # Committing twice does nothing more.
    client.post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert Facility.objects.count() == 2


def test_reimport_updates_by_tax_code(client_for, staff_a, province_a):
    client = client_for(staff_a)
    code = valid_tax_code()
    household = {
        "name": "Hộ Đinh Thị Mơ",
        "kind": "Hộ kinh doanh",
        "tax_code": "",
        "personal_id": "017190004321",
        "commune": "Xã Tân Lạc",
    }
    for workers in (30, 45):
        file = xlsx([row(tax_code=code, workers_total=workers), row(**household)])
        batch, _ = upload(client, file)
        client.post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert Facility.objects.count() == 2
    assert Facility.objects.get(tax_code=code).workers_total == 45
    assert Facility.objects.get(personal_id="017190004321").name == "Hộ Đinh Thị Mơ"
    batch.refresh_from_db()
    assert (batch.rows_created, batch.rows_updated) == (0, 2)


def test_household_without_any_identifier_is_refused(client_for, staff_a):
    batch, _ = upload(client_for(staff_a), xlsx([row(kind="Hộ kinh doanh", tax_code="")]))
    assert batch.status == ImportStatus.INVALID
    assert errors_of(batch)[0][1] == "Số định danh chủ hộ"


def test_every_bad_row_listed_with_row_and_column(client_for, staff_a):
    rows = [
        row(),
        row(tax_code="0100109107"),
        row(tax_code="01001A9106"),
        row(tax_code="0100109"),
        row(workers_total=-2, workers_female=0, workers_ethnic_minority=0),
        row(workers_total=5, workers_female=9, workers_ethnic_minority=0),
        row(commune="Xã Không Có"),
        row(commune="Phường Hoàn Kiếm"),
        row(kind="Công ty cổ phần lớn"),
        row(sectors="9999"),
    ]
    batch, _ = upload(client_for(staff_a), xlsx(rows))
    assert batch.status == ImportStatus.INVALID
    found = {(r, c) for r, c, _m in errors_of(batch)}
    assert found == {
        (3, "Mã số thuế"),
        (4, "Mã số thuế"),
        (5, "Mã số thuế"),
        (6, "Tổng số lao động"),
        (7, "Lao động nữ"),
        (8, "Xã/phường/đặc khu"),
        (9, "Xã/phường/đặc khu"),
        (10, "Loại hình*"),
        (11, "Mã ngành VSIC"),
    }
    messages = " ".join(m for _r, _c, m in errors_of(batch))
    assert "sai chữ số kiểm tra" in messages and "lớn hơn tổng số lao động" in messages
    assert "Không được âm" in messages
    assert batch.rows_invalid == 9


def test_commit_is_all_or_nothing(client_for, staff_a, province_a):
    client = client_for(staff_a)
    taken = valid_tax_code()
    batch, _ = upload(client, xlsx([row(), row(tax_code=taken, name="Cơ sở B")]))
    assert batch.status == ImportStatus.CHECKED
    # Between the dry run and the commit, another province registers the second tax code.
    from tests.factories import province

    FacilityFactory.create(province=province("Thành phố Hà Nội"), tax_code=taken)
    response = client.post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID
    assert Facility.objects.filter(province=province_a).count() == 0  # not even the good row


def test_duplicate_tax_code_within_file(client_for, staff_a):
    code = valid_tax_code()
    batch, _ = upload(client_for(staff_a), xlsx([row(tax_code=code), row(tax_code=code, name="Khác")]))
    assert errors_of(batch) == [(3, "Mã số thuế", "Trùng với dòng 2 của cùng tệp.")]


def test_renamed_executable_is_refused(client_for, staff_a):
    file = SimpleUploadedFile("co-so.xlsx", b"MZ\x90\x00" + b"\x00" * 200)
    batch, response = upload(client_for(staff_a), file)
    assert response.status_code == 400 and batch is None
    assert "Tệp bị từ chối" in " ".join(response.context["form"].errors["file"])


def test_file_too_large(client_for, staff_a, settings):
    settings.KC_MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("co-so.csv", b"a," * (600 * 1024))
    _batch, response = upload(client_for(staff_a), big)
    assert response.status_code == 400
    assert "Tệp quá lớn" in " ".join(response.context["form"].errors["file"])


def test_merged_cells_are_filled_from_their_first_cell(client_for, staff_a):
    """A commune merged down several facility rows (as clerks do) applies to each of them."""
    batch, _ = upload(client_for(staff_a), xlsx([row(), row(commune="")], merge="J2:J3"))
    assert batch.status == ImportStatus.CHECKED, batch.errors
    assert batch.rows_total == 2 and batch.report["merged"] == ["J2:J3"]


def test_formula_without_a_cached_value_is_refused(client_for, staff_a):
    """openpyxl saves formulas without their result: nothing to take, so the cell is listed."""
    batch, _ = upload(client_for(staff_a), xlsx([row(workers_total="=10+20")]))
    assert errors_of(batch) == [
        (
            2,
            "Tổng số lao động",
            "Ô công thức chưa có giá trị đã tính; hãy mở tệp bằng Excel, lưu lại rồi tải lên.",
        )
    ]


def test_blank_rows_are_skipped_with_a_note(client_for, staff_a):
    batch, _ = upload(client_for(staff_a), xlsx([row(), [None] * len(COLUMNS), row()]))
    assert batch.status == ImportStatus.CHECKED and batch.rows_total == 2
    assert [e["message"] for e in batch.errors if e.get("warning")] == ["Dòng 3 trống, đã bỏ qua."]


def test_extra_column_is_ignored_and_shown(client_for, staff_a):
    batch, _ = upload(client_for(staff_a), xlsx([[*row(), "x"]], header=[*HEADER, "Ghi chú riêng"]))
    assert batch.status == ImportStatus.CHECKED, batch.errors
    extra = [c for c in batch.report["columns"] if c["header"] == "Ghi chú riêng"]
    assert extra == [
        {"letter": "Y", "header": "Ghi chú riêng", "label": "", "how": "không thuộc mẫu, bỏ qua"}
    ]


def test_optional_columns_may_be_missing_required_ones_may_not(client_for, staff_a):
    batch, _ = upload(client_for(staff_a), xlsx([row()[:-1]], header=HEADER[:-1]))
    assert batch.status == ImportStatus.CHECKED, batch.errors
    header = [h if h != "Loại hình*" else "Phân loại khác" for h in HEADER]
    batch, _ = upload(client_for(staff_a), xlsx([row()], header=header))
    assert errors_of(batch) == [
        (0, "", "Dòng tiêu đề 1 thiếu cột: “Loại hình”. Hãy dùng tệp mẫu tải từ trang nhập.")
    ]


def test_headers_match_without_diacritics_and_any_order(client_for, staff_a):
    header = ["ten co so", *HEADER[1:]]
    batch, _ = upload(client_for(staff_a), xlsx([row()], header=header))
    assert batch.status == ImportStatus.CHECKED


def test_csv_with_semicolons(client_for, staff_a):
    batch, _ = upload(client_for(staff_a), csv_file([row(annual_revenue="2500000000")], delimiter=";"))
    assert batch.status == ImportStatus.CHECKED, batch.errors


def test_tax_code_of_another_province_is_refused(client_for, staff_a, province_b):
    other = FacilityFactory.create(province=province_b)
    batch, _ = upload(client_for(staff_a), xlsx([row(tax_code=other.tax_code)]))
    assert "tỉnh/thành phố khác" in errors_of(batch)[0][2]


def test_template_round_trip(client_for, staff_a):
    client = client_for(staff_a)
    response = client.get(reverse("beneficiaries:import_template"))
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    batch, _ = upload(client, SimpleUploadedFile("mau-nhap-co-so.xlsx", content))
    # The template's example row is never imported.
    assert batch.status == ImportStatus.INVALID and batch.rows_total == 0
    assert errors_of(batch) == [(0, "", "Tệp không có dòng dữ liệu nào.")]
    assert "Dòng 2 là dòng ví dụ của tệp mẫu, không nhập." in [e["message"] for e in batch.errors]


def test_csv_template_round_trip(client_for, staff_a):
    client = client_for(staff_a)
    content = b"".join(
        client.get(reverse("beneficiaries:import_template"), {"format": "csv"}).streaming_content
    )
    batch, _ = upload(client, SimpleUploadedFile("mau.csv", content))
    assert batch.rows_total == 0 and batch.report["encoding"] == "UTF-8 (BOM)"
    assert "Dòng 2 là dòng ví dụ của tệp mẫu, không nhập." in [e["message"] for e in batch.errors]


def test_other_province_cannot_see_or_commit_batch(client_for, staff_a, staff_b):
    batch, _ = upload(client_for(staff_a), xlsx([row()]))
    client = client_for(staff_b)
    assert client.get(reverse("beneficiaries:import_detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("beneficiaries:import_commit", args=[batch.pk])).status_code == 404
    assert not Facility.objects.exists()


def test_import_of_many_rows_uses_few_queries(client_for, staff_a, django_assert_max_num_queries):
    rows = [row(name=f"Cơ sở {i}", tax_code=valid_tax_code()) for i in range(300)]
    client = client_for(staff_a)
    batch, _ = upload(client, xlsx(rows))
    with django_assert_max_num_queries(40):
        client.post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert Facility.objects.count() == 300


def test_national_admin_chooses_the_province(client_for, admin_user, province_a):
    client = client_for(admin_user)
    response = client.post(IMPORT, {"file": xlsx([row()])})
    assert response.status_code == 400
    assert "province" in response.context["form"].errors
    response = client.post(IMPORT, {"file": xlsx([row()]), "province": province_a.pk})
    batch = ImportBatch.objects.get()
    assert (
        response.status_code == 302 and batch.province == province_a and batch.status == ImportStatus.CHECKED
    )


def test_shared_strings_and_inline_strings_are_read(client_for, staff_a):
    """openpyxl writes shared strings; the template (xlsxwriter) too; our own export writes inline strings."""
    from beneficiaries.xlsx_stream import write_sheet
    from core.exports import Column

    buffer = io.BytesIO()
    write_sheet(buffer, "Cơ sở", [Column(h) for h in HEADER], [row()])
    batch, _ = upload(client_for(staff_a), SimpleUploadedFile("inline.xlsx", buffer.getvalue()))
    assert batch.status == ImportStatus.CHECKED, batch.errors
