import datetime as dt
import io
from typing import Any

import openpyxl

from beneficiaries.xlsx_stream import write_sheet
from core.exports import Column


def test_workbook_opens_with_values_types_and_no_formulas():
    columns = [
        Column("Tên"),
        Column("Số lao động", kind="int"),
        Column("Doanh thu", kind="money"),
        Column("Ngày", kind="date"),
    ]
    rows: list[list[Any]] = [
        ["=1+1", 12, 3_500_000_000, dt.date(2026, 3, 2)],
        ["A & B <c> \x07bell", None, 0, None],
        ["@SUM(A1)", 7, None, ""],
    ]
    buffer = io.BytesIO()
    assert write_sheet(buffer, "Cơ sở", columns, rows, title="Danh sách") == 3
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A1"].value == "Danh sách"
    assert [c.value for c in sheet[3]] == ["Tên", "Số lao động", "Doanh thu", "Ngày"]
    assert sheet["A4"].value == "'=1+1" and sheet["A4"].data_type == "s"
    assert sheet["B4"].value == 12 and sheet["C4"].number_format == '#,##0 "₫"'
    assert sheet["D4"].value == dt.datetime(2026, 3, 2)
    assert sheet["A5"].value == "A & B <c> bell" and sheet["C5"].value == 0 and sheet["B5"].value is None
    assert sheet["A6"].value == "'@SUM(A1)" and sheet["B6"].value == 7
    assert sheet.freeze_panes == "A4"
