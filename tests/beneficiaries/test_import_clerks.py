"""The facility import accepts what clerks make: title rows, merged cells, headers without diacritics or
abbreviated, formulas, dates typed as text, old encodings, and former administrative units."""

import datetime as dt
import io
import unicodedata

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.models import Facility, ImportBatch, ImportStatus
from tests.beneficiaries.factories import valid_tax_code

pytestmark = pytest.mark.django_db

IMPORT = reverse("beneficiaries:facility_import")


def upload(client, file):
    response = client.post(IMPORT, {"file": file})
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    return ImportBatch.objects.latest("pk")


def errors_of(batch):
    return [(e["row"], e["column"], e["message"]) for e in batch.errors if not e.get("warning")]


def notes_of(batch):
    return [e["message"] for e in batch.errors if e.get("warning")]


def clerk_workbook(rows, *, header=None, formulas=True):
    """A sheet as a district clerk keeps it: two title rows merged across, a two-row header with a
    "Lao động" group, a column-number row, headers without diacritics and abbreviated, a total row."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("DS co so")
    bold = book.add_format({"bold": True})
    sheet.merge_range("A1:J1", "UBND HUYỆN LƯƠNG SƠN", bold)
    sheet.merge_range("A2:J2", "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN NĂM 2024", bold)
    header = header or ["STT", "Ten co so", "Loai hinh", "MST", "Xa cu", "Huyen cu", "Nam TL"]
    for col, text in enumerate(header):
        sheet.merge_range(3, col, 4, col, text, bold)
    sheet.merge_range(3, 7, 3, 9, "Lao động", bold)
    for col, text in zip((7, 8, 9), ("Tổng số", "Nữ", "DTTS"), strict=True):
        sheet.write_string(4, col, text, bold)
    for col in range(10):
        sheet.write_string(5, col, f"({col + 1})")
    first = 6
    for index, values in enumerate(rows):
        r = first + index
        sheet.write_number(r, 0, index + 1)
        placed = list(zip((1, 2, 3, 4, 5, 6, 8, 9), values, strict=False))
        for col, value in placed:
            if isinstance(value, dt.date):
                sheet.write_datetime(
                    r,
                    col,
                    dt.datetime.combine(value, dt.time()),
                    book.add_format({"num_format": "dd/mm/yyyy"}),
                )
            elif isinstance(value, int):
                sheet.write_number(r, col, value)
            elif value is not None:
                sheet.write_string(r, col, value)
        if formulas:
            total = values[6] + values[7]
            sheet.write_formula(r, 7, f"=I{r + 1}+J{r + 1}+5", None, total + 5)
    last = first + len(rows)
    sheet.write_string(last, 1, "Tổng cộng")
    sheet.write_formula(last, 7, f"=SUM(H{first + 1}:H{last})", None, 0)
    book.close()
    return SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue())


def test_a_clerks_sheet_is_read_and_the_dry_run_says_how(client_for, staff_a):
    rows = [
        [
            "Hợp tác xã Mây tre Cư Yên",
            "HTX",
            valid_tax_code(),
            "Xã Cư Yên",
            "Huyện Lương Sơn",
            "15/03/2008",
            20,
            6,
        ],
        [
            "Hộ Bùi Văn Dũng",
            "Hộ kinh doanh",
            valid_tax_code(),
            "Cư Yên",
            "Lương Sơn",
            dt.date(2012, 5, 1),
            3,
            3,
        ],
    ]
    batch = upload(client_for(staff_a), clerk_workbook(rows))
    assert batch.status == ImportStatus.CHECKED, batch.errors
    assert batch.rows_total == 2
    report = batch.report
    assert report["header_row"] == "4–5" and report["skipped_rows"] == [1, 2, 6]
    how = {c["header"]: (c["letter"], c["label"], c["how"]) for c in report["columns"]}
    assert how["Ten co so"] == ("B", "Tên cơ sở", "bỏ dấu, không phân biệt hoa thường")
    assert how["MST"] == ("D", "Mã số thuế", "tên khác/viết tắt")
    assert how["Lao động Nữ"] == ("I", "Lao động nữ", "tiêu đề hai dòng")
    assert how["Lao động Tổng số"][1] == "Tổng số lao động"
    assert report["formulas"] == [{"column": "Tổng số lao động", "count": 2}]
    assert report["legacy"] == {"Xã Cư Yên, Huyện Lương Sơn, Tỉnh Hoà Bình → Xã Liên Sơn": 2}
    assert "Dòng 9 là dòng tổng cộng, không nhập." in notes_of(batch)
    client_for(staff_a).post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    coop = Facility.objects.get(name="Hợp tác xã Mây tre Cư Yên")
    assert coop.legacy_commune is not None
    assert coop.commune.name == "Xã Liên Sơn" and coop.legacy_commune.name == "Xã Cư Yên"
    assert coop.year_founded == 2008 and coop.workers_total == 31  # the formula's cached value
    assert Facility.objects.get(name="Hộ Bùi Văn Dũng").year_founded == 2012
    response = client_for(staff_a).get(reverse("beneficiaries:import_detail", args=[batch.pk]))
    assert "Cách hệ thống đọc tệp" in response.content.decode()


def test_a_split_former_commune_asks_the_user_to_choose(client_for, staff_a):
    """Xã Cao Sơn (Lương Sơn) went partly to Xã Lương Sơn, partly to Xã Liên Sơn: the user decides."""
    client = client_for(staff_a)
    rows = [
        ["Hộ Đinh Văn Tám", "Hộ kinh doanh", valid_tax_code(), "Xã Cao Sơn", "Huyện Lương Sơn", 2015, 2, 2]
    ]
    batch = upload(client, clerk_workbook(rows))
    assert batch.status == ImportStatus.CHOOSE and not errors_of(batch)
    [choice] = batch.report["choices"]
    assert choice["row"] == 7 and sorted(n for _c, n in choice["candidates"]) == [
        "Xã Liên Sơn",
        "Xã Lương Sơn",
    ]
    assert client.post(reverse("beneficiaries:import_commit", args=[batch.pk])).status_code == 302
    assert not Facility.objects.exists()
    # A commune that is not one of the successors is refused.
    client.post(reverse("beneficiaries:import_choose", args=[batch.pk]), {"row-7": "4891"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHOOSE
    chosen = next(c for c, n in choice["candidates"] if n == "Xã Lương Sơn")
    client.post(reverse("beneficiaries:import_choose", args=[batch.pk]), {"row-7": str(chosen)})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED, batch.errors
    client.post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert Facility.objects.get().commune.name == "Xã Lương Sơn"


def test_same_former_name_in_two_districts_needs_the_district(client_for, staff_a):
    header = ["STT", "Ten co so", "Loai hinh", "MST", "Xa cu", "Ghi chu", "Nam TL"]
    rows = [["Hộ A", "Hộ kinh doanh", valid_tax_code(), "Xã Cao Sơn", "", 2015, 2, 2]]
    batch = upload(client_for(staff_a), clerk_workbook(rows, header=header))
    [(row, column, message)] = errors_of(batch)
    assert (row, column) == (7, "Xã cũ (trước 1/7/2025)") and "hãy ghi huyện cũ" in message


def test_new_commune_contradicting_the_former_one_is_flagged(client_for, staff_a):
    header = ["STT", "Ten co so", "Loai hinh", "MST", "Xa cu", "Xa/phuong", "Nam TL"]
    rows = [["Hộ B", "Hộ kinh doanh", valid_tax_code(), "Xã Cư Yên", "Xã Mai Châu", 2015, 2, 2]]
    batch = upload(client_for(staff_a), clerk_workbook(rows, header=header))
    [(row, column, message)] = errors_of(batch)
    assert (row, column) == (7, "Xã/phường/đặc khu")
    assert "“Xã Mai Châu” không tiếp nhận Xã Cư Yên, Huyện Lương Sơn, Tỉnh Hoà Bình" in message
    assert "Xã Liên Sơn" in message


def _to_cp1258(text):
    """Windows-1258 as Vietnamese Windows writes it: precomposed where the code page has the letter,
    else base letter plus a combining tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in parts if c in tones).encode("cp1258")
    return out


CSV_TEXT = "Tên cơ sở;Loại hình;Mã số thuế;Xã cũ;Huyện cũ\r\nHợp tác xã Đồng Tâm;Hợp tác xã;{tax};Xã Cư Yên;Lương Sơn\r\n"


@pytest.mark.parametrize(
    ("encode", "label"),
    [
        (lambda t: t.encode("utf-8"), "UTF-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "UTF-8 (BOM)"),
        (lambda t: t.encode("utf-16"), "UTF-16"),
        (lambda t: t.encode("utf-16-le"), "UTF-16"),
        (_to_cp1258, "Windows-1258"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-no-bom", "cp1258"],
)
def test_csv_encodings_are_detected(client_for, staff_a, encode, label):
    content = encode(CSV_TEXT.format(tax=valid_tax_code()))
    batch = upload(client_for(staff_a), SimpleUploadedFile("co-so.csv", content))
    assert batch.report["encoding"] == label
    assert batch.status == ImportStatus.CHECKED, batch.errors
    client_for(staff_a).post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert Facility.objects.get().name == "Hợp tác xã Đồng Tâm"


def test_windows_1252_csv(client_for, staff_a):
    text = "Ten co so;Loai hinh;MST;Xa;Dia chi\r\nCông ty Phú Vinh;Doanh nghiệp;{tax};4960;Xóm Ngã Ba\r\n"
    text = text.replace("Doanh nghiệp", "DNNVV")
    batch = upload(
        client_for(staff_a),
        SimpleUploadedFile("co-so.csv", text.format(tax=valid_tax_code()).encode("cp1252")),
    )
    assert batch.report["encoding"] == "Windows-1252" and batch.status == ImportStatus.CHECKED, batch.errors
    client_for(staff_a).post(reverse("beneficiaries:import_commit", args=[batch.pk]))
    assert Facility.objects.get().address == "Xóm Ngã Ba"


def test_unreadable_encoding_is_named_as_such(client_for, staff_a):
    content = "Tên cơ sở;Xã\n汉字中文;一二三\n".encode("gb2312", errors="ignore") * 20
    batch = upload(client_for(staff_a), SimpleUploadedFile("co-so.csv", content))
    assert errors_of(batch) == [
        (0, "", "Tệp CSV: không đọc được bảng mã. Hãy lưu lại tệp dạng “CSV UTF-8” rồi tải lên lại.")
    ]
