"""Workbooks of past projects for the tests and the bench: built with xlsxwriter (cached formula
values included), one sheet per part, optionally with a clerk's title rows above each header."""

from __future__ import annotations

import io
from typing import Any

HEADERS = {
    "Đề án": [
        "Mã đề án", "Tên đề án", "Năm bắt đầu", "Năm kết thúc", "Nội dung hoạt động", "Loại đề án",
        "Cấp kinh phí", "Xã thực hiện", "Huyện cũ", "Tỉnh cũ", "Đơn vị thực hiện", "Số quyết định",
        "Ngày quyết định", "Tổng kinh phí (đồng)", "Trạng thái", "Ngày hợp đồng", "Ngày nghiệm thu",
        "Hồ sơ lịch sử", "Căn cứ ghi nhận",
    ],
    "Cơ sở thụ hưởng": ["Mã đề án", "Mã số thuế", "Nội dung hỗ trợ"],
    "Kế hoạch kinh phí": ["Mã đề án", "Năm", "KCQG", "KCĐP", "Vốn đối ứng", "Nguồn khác", "Tổng cộng"],
    "Kinh phí giao": ["Mã đề án", "Năm", "Nguồn", "Số tiền (đồng)", "Số quyết định", "Ngày quyết định"],
    "Tạm ứng, thanh toán": [
        "Mã đề án", "Năm kinh phí giao", "Nguồn", "Loại", "Số tiền (đồng)", "Số chứng từ", "Ngày chứng từ",
    ],
    "Quyết toán": ["Mã đề án", "Nguồn", "Số quyết toán (đồng)", "Số quyết định quyết toán", "Ngày quyết toán"],
    "Chỉ tiêu": ["Mã đề án", "Chỉ tiêu", "Kế hoạch", "Thực hiện"],
}  # fmt: skip


def project_row(code: str, **overrides: Any) -> list[Any]:
    row = {
        "Mã đề án": code,
        "Tên đề án": f"Đề án {code}",
        "Năm bắt đầu": 2021,
        "Năm kết thúc": 2021,
        "Nội dung hoạt động": "ND45-01",
        "Loại đề án": "thường",
        "Cấp kinh phí": "KCĐP",
        "Xã thực hiện": "",
        "Huyện cũ": "",
        "Tỉnh cũ": "Hòa Bình",
        "Đơn vị thực hiện": "Trung tâm Khuyến công tỉnh Hòa Bình",
        "Số quyết định": f"{code}/QĐ-SCT",
        "Ngày quyết định": "10/03/2021",
        "Tổng kinh phí (đồng)": 300_000_000,
        "Trạng thái": "Đã quyết toán",
        "Ngày hợp đồng": "",
        "Ngày nghiệm thu": "",
        "Hồ sơ lịch sử": "",
        "Căn cứ ghi nhận": "",
    }
    row.update(overrides)
    return [row[h] for h in HEADERS["Đề án"]]


def settled_project(code: str, **overrides: Any) -> dict[str, list[list[Any]]]:
    """A KCĐP training project of ``year`` (default 2021): 200 tr state + 100 tr counterpart, advanced
    140 tr, recovered and paid 200 tr after acceptance, settled at 190 tr (10 tr returned). ``tax_code``
    names the beneficiary; other keywords override columns of the project row."""
    year: int = overrides.pop("year", 2021)
    tax_code: str = overrides.pop("tax_code", "")
    rows: dict[str, list[list[Any]]] = {
        "Đề án": [
            project_row(
                code,
                **{
                    "Năm bắt đầu": year,
                    "Năm kết thúc": year,
                    "Ngày quyết định": f"10/03/{year}",
                    **overrides,
                },
            )
        ],
        "Kế hoạch kinh phí": [
            [code, year, "", 200_000_000, 100_000_000, "", ("=SUM(C{r}:F{r})", 300_000_000)]
        ],
        "Kinh phí giao": [[code, year, "KCĐP", 200_000_000, f"{code}/QĐ-GKP", f"15/03/{year}"]],
        "Tạm ứng, thanh toán": [
            [code, year, "KCĐP", "tạm ứng", 140_000_000, f"{code}-TU1", f"01/04/{year}"],
            [code, year, "KCĐP", "thu hồi tạm ứng", 140_000_000, f"{code}-TH1", f"20/11/{year}"],
            [code, year, "KCĐP", "thanh toán", 200_000_000, f"{code}-TT1", f"20/11/{year}"],
        ],
        "Quyết toán": [
            [code, "KCĐP", 190_000_000, f"{code}/QĐ-QT", f"15/01/{year + 1}"],
            [code, "Vốn đối ứng", 100_000_000, f"{code}/QĐ-QT", f"15/01/{year + 1}"],
        ],
        "Chỉ tiêu": [[code, "Số học viên được đào tạo", 30, 32]],
    }
    if tax_code:
        rows["Cơ sở thụ hưởng"] = [[code, tax_code, "Đào tạo nghề"]]
    return rows


def merge(*parts: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {}
    for part in parts:
        for sheet, rows in part.items():
            out.setdefault(sheet, []).extend(rows)
    return out


def workbook(
    sheets: dict[str, list[list[Any]]],
    *,
    headers: dict[str, list[str]] | None = None,
    titles: bool = False,
    constant_memory: bool = False,
) -> bytes:
    """The bytes of an .xlsx with one sheet per key. A cell given as ``(formula, value)`` is a formula
    with its cached value, as Excel or LibreOffice saves it."""
    import xlsxwriter

    headers = {**HEADERS, **(headers or {})}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": constant_memory, "strings_to_numbers": False})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        first = 0
        if titles:
            ws.write_string(0, 0, "UBND TỈNH HÒA BÌNH")
            ws.write_string(1, 0, f"BẢNG TỔNG HỢP {name.upper()} GIAI ĐOẠN 2021–2025")
            first = 3
        for col, text in enumerate(headers[name]):
            ws.write_string(first, col, text)
        for r, values in enumerate(rows, start=first + 1):
            for c, value in enumerate(values):
                if isinstance(value, tuple):
                    ws.write_formula(r, c, value[0].format(r=r + 1), None, value[1])
                elif isinstance(value, bool):
                    ws.write_string(r, c, "có" if value else "không")
                elif isinstance(value, int):
                    ws.write_number(r, c, value)
                elif value not in ("", None):
                    ws.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()
