"""The safe spreadsheet readers: hostile files are refused with a Vietnamese message, never a 500."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.sheets import Limits, SheetError, XlsxBook, read_csv_rows
from tests.core import hostile_files
from tests.core.hostile_files import HOSTILE

EXPECTED = {
    "blank_rows": "Trang tính có hơn 25.000 dòng (kể cả dòng trống)",
    "blank_rows_unnumbered": "Trang tính có hơn 25.000 dòng (kể cả dòng trống)",
    "last_row_only": "Trang tính có hơn 25.000 dòng (kể cả dòng trống)",
    "far_column": "Ô AAAAAA1 nằm ngoài giới hạn 100 cột (đến cột CV).",
    "column_past_cap": "Ô XFD1 nằm ngoài giới hạn 100 cột",
    "row_number_not_a_number": "Dòng có số thứ tự không hợp lệ (“abc”).",
    "rows_out_of_order": "Các dòng của trang tính không theo thứ tự (dòng 2).",
    "shared_string_out_of_range": "Ô tham chiếu tới chuỗi văn bản không tồn tại (chỉ số “999999999”).",
    "shared_string_not_a_number": "Ô tham chiếu tới chuỗi văn bản không tồn tại (chỉ số “-1”).",
    "unpacked_bomb": "Tệp Excel khi giải nén lớn hơn 24 MB",
    "long_text": "Một ô có hơn 32767 ký tự.",
    "long_attribute": "Không đọc được tệp Excel",
    "entity_expansion": "Không đọc được tệp Excel",
    "many_cells": "Tệp có hơn 400.000 ô dữ liệu",
    "many_strings": "Tệp Excel có quá nhiều chuỗi văn bản.",
    "many_merges": "Trang tính có quá nhiều ô gộp.",
    "huge_merge": "Tệp có hơn 400.000 ô dữ liệu",
    "many_parts": "Không đọc được tệp Excel",
    "not_a_zip": "Không đọc được tệp Excel",
    "truncated": "Không đọc được tệp Excel",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_workbook_is_refused_with_a_vietnamese_message(name):
    data = HOSTILE[name]()
    with pytest.raises(SheetError) as caught:
        XlsxBook(io.BytesIO(data)).rows()
    assert EXPECTED[name] in caught.value.messages[0]


def test_every_hostile_file_has_an_expectation():
    assert set(EXPECTED) == set(HOSTILE)


def test_the_limits_are_the_callers():
    data = hostile_files.workbook('<sheetData><row r="30"><c r="E30"><v>1</v></c></row></sheetData>')
    assert XlsxBook(io.BytesIO(data)).rows()[0].values == [None, None, None, None, 1]
    with pytest.raises(SheetError, match="hơn 20 dòng"):
        XlsxBook(io.BytesIO(data), Limits(max_rows=20)).rows()
    with pytest.raises(SheetError, match="giới hạn 4 cột"):
        XlsxBook(io.BytesIO(data), Limits(max_columns=4)).rows()


def test_values_types_formulas_and_merges():
    body = (
        '<sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>Tiêu đề</t></is></c></row>'
        '<row r="3"><c r="B3"><f>1+1</f><v>2</v></c><c r="C3"><f>A1</f></c><c r="D3" t="b"><v>1</v></c>'
        '<c r="E3" t="s"><v>1</v></c><c r="F3" t="e"><v>#REF!</v></c><c r="G3"><v>1.5</v></c></row></sheetData>'
        '<mergeCells><mergeCell ref="A2:C2"/></mergeCells>'
    )
    data = hostile_files.workbook(body, strings="<si><t>a</t></si><si><r><t>b</t></r><r><t>c</t></r></si>")
    first, second = XlsxBook(io.BytesIO(data)).rows()
    assert first.values == ["Tiêu đề"] * 3 and first.merged == {1, 2}
    assert second.values == [None, 2, None, True, "bc", "#REF!", 1.5]
    assert second.formulas == {1, 2} and second.uncached == {2}


def test_csv_limits():
    with pytest.raises(SheetError, match="kể cả dòng trống"):
        read_csv_rows(b"a\n" + b"\n" * 30 + b"b\n", Limits(max_rows=20))
    with pytest.raises(SheetError, match="hơn 3 cột"):
        read_csv_rows(b"a,b,c,d\n", Limits(max_columns=3))
    with pytest.raises(SheetError, match="không đọc được bảng mã"):
        read_csv_rows(b"\x00\x01\x02\x03" * 100)
    rows, encoding = read_csv_rows(b"ten,xa\n\n\nA,B\n")
    assert encoding == "UTF-8" and [r.number for r in rows] == [1, 4]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["blank_rows", "far_column", "row_number_not_a_number", "shared_string_out_of_range", "truncated"]
)
def test_hostile_upload_answers_a_message_not_a_500(client_for, staff_a, name):
    from beneficiaries.models import ImportBatch, ImportStatus

    response = client_for(staff_a).post(
        reverse("beneficiaries:facility_import"), {"file": SimpleUploadedFile("co-so.xlsx", HOSTILE[name]())}
    )
    if response.status_code == 400:  # refused at the door (not recognisable as .xlsx at all)
        assert "Tệp bị từ chối" in " ".join(response.context["form"].errors["file"])
        return
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    facility_limits = {"25.000": "21.000", "100 cột (đến cột CV)": "60 cột (đến cột BH)"}
    expected = EXPECTED[name]
    for default, facility in facility_limits.items():
        expected = expected.replace(default, facility)
    assert expected in batch.errors[0]["message"]
