"""The limits a reader enforces, the error it raises, and the row it yields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Limits:
    """What one upload may contain. Defaults fit a province's register; importers pass their own."""

    max_rows: int = 25_000  # highest row number, blank rows included
    max_columns: int = 100  # column index of any cell (100 = column CV)
    max_cells: int = 400_000  # cells with content, all sheets together
    max_unpacked: int = 24 * 1024 * 1024  # bytes, all parts of the archive together
    max_parts: int = 2_000  # entries in the archive
    max_strings: int = 1_000_000  # shared strings
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_merges: int = 10_000


class SheetError(Exception):
    """The file cannot be read (broken, hostile or over a limit): one Vietnamese message per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


@dataclass
class Row:
    """One row of a sheet: its number (1-based, as the spreadsheet shows it) and its values."""

    number: int
    values: list[Any]
    formulas: set[int] = field(default_factory=set)  # columns whose cell holds a formula
    uncached: set[int] = field(default_factory=set)  # formula cells without a cached value
    merged: set[int] = field(default_factory=set)  # columns filled from a merged range

    def get(self, index: int) -> Any:
        return self.values[index] if 0 <= index < len(self.values) else None

    @property
    def blank(self) -> bool:
        return all(is_blank(v) for v in self.values)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def too_many_rows(limits: Limits) -> SheetError:
    return SheetError(
        [
            _("Trang tính có hơn %(n)s dòng (kể cả dòng trống); hãy xóa các dòng thừa hoặc chia nhỏ tệp.")
            % {"n": f"{limits.max_rows:,}".replace(",", ".")}
        ]
    )
