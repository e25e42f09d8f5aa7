"""Reading uploaded spreadsheets (.xlsx and .csv) safely: bounded memory and time on hostile files.

Every limit is checked while reading, before memory is spent: the unpacked size of the archive, the
row count *including blank rows* (row numbers, not only rows with data), the column index of every
cell, the number of cells, shared-string indices and the length of one cell. A file that breaks one
answers :class:`SheetError` with Vietnamese messages, never an exception that becomes a 500.
"""

from __future__ import annotations

from .base import Limits, Row, SheetError, column_letter, is_blank
from .csvfile import decode_csv, read_csv_rows
from .xlsx import XlsxBook

__all__ = [
    "Limits",
    "Row",
    "SheetError",
    "XlsxBook",
    "column_letter",
    "decode_csv",
    "is_blank",
    "read_csv_rows",
]
