"""Spreadsheet exports that are safe to open and cheap to build.

Every text cell that begins with ``= + - @`` (or a tab/CR) is written as text with a leading
apostrophe so that Excel and LibreOffice never evaluate it; numbers stay numbers. xlsxwriter runs in
``constant_memory`` mode and strings are written with ``write_string`` so nothing becomes a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text value inert in a spreadsheet; leave numbers and dates alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    header: StrOrPromise  # a lazy translation in module-level column lists
    width: int = 18
    kind: str = "text"  # text | int | money | date | percent


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(
    filename: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with BOM so Excel reads Vietnamese) in constant memory."""
    writer = csv.writer(_Echo())

    def generate() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([c.header for c in columns])
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return neutralise(value)


def write_xlsx(
    target: str | IO[bytes],
    sheets: Sequence[tuple[Any, ...]],
    *,
    title: str | None = None,
    totals: bool = False,
) -> None:
    """Write one or more sheets: frozen header row, đồng number formats, optional totals row.

    Each sheet is ``(name, columns, rows)`` or ``(name, columns, rows, totals)`` to override ``totals``.
    """
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "in_memory": False},
    )
    header_fmt = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    title_fmt = workbook.add_format({"bold": True, "font_size": 13})
    money_fmt = workbook.add_format({"num_format": '#,##0 "₫"'})
    int_fmt = workbook.add_format({"num_format": "#,##0"})
    pct_fmt = workbook.add_format({"num_format": "0.0%"})
    date_fmt = workbook.add_format({"num_format": "dd/mm/yyyy"})
    total_fmt = {
        "money": workbook.add_format({"num_format": '#,##0 "₫"', "bold": True, "top": 1}),
        "int": workbook.add_format({"num_format": "#,##0", "bold": True, "top": 1}),
        "label": workbook.add_format({"bold": True, "top": 1}),
    }
    formats = {"money": money_fmt, "int": int_fmt, "percent": pct_fmt, "date": date_fmt}
    for sheet in sheets:
        sheet_name, columns, rows = sheet[:3]
        sheet_totals = sheet[3] if len(sheet) > 3 else totals
        ws = workbook.add_worksheet(sheet_name[:31])
        row_idx = 0
        if title:
            ws.write_string(0, 0, title, title_fmt)
            row_idx = 2
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width)
            ws.write_string(row_idx, col, column.header, header_fmt)
        ws.freeze_panes(row_idx + 1, 0)
        sums = [0] * len(columns)
        for row in rows:
            row_idx += 1
            for col, value in enumerate(row):
                kind = columns[col].kind
                if value is None or value == "":
                    continue
                if kind in ("money", "int") and isinstance(value, int):
                    ws.write_number(row_idx, col, value, formats[kind])
                    sums[col] += value
                elif kind == "percent" and isinstance(value, (int, float)):
                    ws.write_number(row_idx, col, value, pct_fmt)
                elif kind == "date" and isinstance(value, (dt.date, dt.datetime)):
                    if isinstance(value, dt.datetime):
                        value = value.replace(tzinfo=None)
                    ws.write_datetime(row_idx, col, value, date_fmt)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(row_idx, col, value)
                else:
                    ws.write_string(row_idx, col, str(neutralise(str(value))))
        if sheet_totals:
            row_idx += 1
            ws.write_string(row_idx, 0, "Tổng cộng", total_fmt["label"])
            for col, column in enumerate(columns):
                if col and column.kind in ("money", "int"):
                    ws.write_number(row_idx, col, sums[col], total_fmt[column.kind])
    workbook.close()
