"""Reading a facility file (.xlsx or .csv) with the safe readers, and finding its header."""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

from core.sheets import Limits, Row, SheetError, XlsxBook, column_letter, is_blank, read_csv_rows
from core.sheets.headers import Column, HeaderMatch, HeaderMatcher

from .spec import COLUMNS, MAX_COLUMNS, MAX_SHEET_ROWS, FileStructureError

LIMITS = Limits(max_rows=MAX_SHEET_ROWS, max_columns=MAX_COLUMNS)
MATCHER = HeaderMatcher([Column(c.key, c.header, c.aliases, c.required) for c in COLUMNS])

__all__ = ["MATCHER", "blank", "column_letter", "find_header", "read_rows"]

blank = is_blank


def read_rows(stream: IO[bytes], kind: str) -> tuple[list[Row], dict[str, Any]]:
    """The rows with content, and how the file was read (encoding, sheet, merged ranges)."""
    stream.seek(0)
    try:
        if kind == "xlsx":
            book = XlsxBook(stream, LIMITS)
            rows = book.rows()
            return rows, {"sheet": book.sheet_names()[0], "merged": sorted(book.merges)[:50]}
        rows, encoding = read_csv_rows(stream.read(), LIMITS)
        return rows, {"encoding": encoding}
    except SheetError as exc:
        raise FileStructureError(exc.messages) from exc


def find_header(rows: list[Row]) -> tuple[HeaderMatch, int]:
    """The header (below any title rows) and where data starts; FileStructureError when unusable."""
    try:
        header, start = MATCHER.find(rows)
    except LookupError:
        raise FileStructureError(
            [_("Không tìm thấy dòng tiêu đề (cần ít nhất cột “Tên cơ sở” và “Loại hình”). Hãy dùng tệp mẫu.")]
        ) from None
    missing = MATCHER.missing(header)
    if "commune" not in header.positions and "legacy_commune" not in header.positions:
        missing.append(Column("commune", _("Xã/phường/đặc khu (hoặc Xã cũ)")))
    if missing:
        raise FileStructureError(
            [
                _("Dòng tiêu đề %(row)s thiếu cột: %(cols)s. Hãy dùng tệp mẫu tải từ trang nhập.")
                % {"row": header.row, "cols": ", ".join(f"“{c.label}”" for c in missing)}
            ]
        )
    return header, start
