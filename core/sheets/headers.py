"""Finding the header row of a clerk's sheet and matching its headers to the template's columns.

Clerks put title rows above the header ("UBND TỈNH…", "DANH SÁCH CƠ SỞ…", merged across the sheet),
write headers without diacritics or in capitals, abbreviate them ("MST", "Số LĐ nữ"), split one
header over two rows ("Lao động" merged above "Tổng số | Nữ | DTTS"), and number the columns
"(1) (2) (3)" under the header. The matcher accepts all of that from a synonym table and records how
each column was matched, so the dry run can show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.parsing import is_ascii_digits
from core.search import fold

from .base import Row, column_letter, is_blank

HOW_EXACT = gettext_lazy("đúng tên cột mẫu")
HOW_FOLDED = gettext_lazy("bỏ dấu, không phân biệt hoa thường")
HOW_SYNONYM = gettext_lazy("tên khác/viết tắt")
HOW_TWO_ROWS = gettext_lazy("tiêu đề hai dòng")
IGNORED = "_ignored"
_SCAN_ROWS = 30


def header_key(text: Any) -> str:
    """Headers compared: folded, '*' and trailing punctuation dropped, spaces around '/' closed."""
    key = fold(str(text or "")).replace("*", " ")
    key = re.sub(r"\s*/\s*", "/", key)
    key = re.sub(r"[:.]+$", "", " ".join(key.split()))
    return key.strip()


def _without_brackets(key: str) -> str:
    return " ".join(re.sub(r"\([^)]*\)", " ", key).split())


@dataclass(frozen=True)
class Column:
    """One column an importer understands: its key, the template's header and the other names."""

    key: str
    label: Any
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class ColumnMatch:
    index: int
    header: str
    key: str
    how: str

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class HeaderMatch:
    """Where the header is, which column holds which key, and what was left unmatched."""

    row: int  # the (last) header row's number
    positions: dict[str, int]
    matches: list[ColumnMatch] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)  # title rows above, numbering row below
    rows: list[int] = field(default_factory=list)  # the header's row numbers (two for a two-row header)


class HeaderMatcher:
    """Matches headers against ``columns`` (exact label, folded label, aliases, bracket-free form)."""

    def __init__(self, columns: list[Column], ignored: tuple[str, ...] = ("stt", "tt", "so tt", "ghi chu")):
        self.columns = {c.key: c for c in columns}
        self.exact: dict[str, str] = {}
        self.index: dict[str, tuple[str, str]] = {}
        for column in columns:
            label = str(column.label)
            self.exact[label] = column.key
            self.index.setdefault(header_key(label), (column.key, str(HOW_FOLDED)))
            self.index.setdefault(_without_brackets(header_key(label)), (column.key, str(HOW_FOLDED)))
            for alias in column.aliases:
                self.index.setdefault(header_key(alias), (column.key, str(HOW_SYNONYM)))
        for alias in ignored:
            self.index.setdefault(alias, (IGNORED, ""))

    def match(self, text: Any) -> tuple[str, str] | None:
        """(key, how) for one header text, or None."""
        raw = " ".join(str(text).split()).rstrip("*").strip()
        if raw in self.exact:
            return self.exact[raw], str(HOW_EXACT)
        key = header_key(text)
        found = self.index.get(key) or self.index.get(_without_brackets(key))
        return found

    def _score(self, row: Row) -> int:
        keys = set()
        for value in row.values:
            if isinstance(value, str) and value.strip():
                found = self.match(value)
                if found and found[0] != IGNORED:
                    keys.add(found[0])
        return len(keys)

    def find(self, rows: list[Row]) -> tuple[HeaderMatch, int]:
        """The header among the first rows with content, and the index in ``rows`` where data starts.

        Raises LookupError when no row has two or more recognisable headers.
        """
        best, best_score = -1, 1
        for position, row in enumerate(rows[:_SCAN_ROWS]):
            score = self._score(row)
            if score > best_score:
                best, best_score = position, score
        if best < 0:
            raise LookupError
        # A two-row header: the best row may be the lower one (it repeats the vertically merged
        # headers and adds the group's sub-headers) or the upper one.
        above = rows[best - 1] if best > 0 else None
        below = rows[best + 1] if best + 1 < len(rows) else None
        if (
            above is not None
            and above.number == rows[best].number - 1
            and self._sub_header(above, rows[best])
        ):
            top_pos, two_rows = best - 1, True
        else:
            top_pos = best
            two_rows = (
                below is not None
                and below.number == rows[best].number + 1
                and self._sub_header(rows[best], below)
            )
        header_row = rows[top_pos]
        below = rows[top_pos + 1] if two_rows else None
        result = HeaderMatch(row=header_row.number, positions={})
        result.rows = [header_row.number, header_row.number + 1] if two_rows else [header_row.number]
        result.skipped_rows = [r.number for r in rows[:top_pos]]
        data_start = top_pos + 1
        width = max(len(header_row.values), len(below.values) if two_rows and below else 0)
        for index in range(width):
            top = header_row.get(index)
            sub = below.get(index) if two_rows and below else None
            candidates: list[tuple[str, str]] = []
            if not is_blank(sub):
                candidates += [
                    (f"{top} {sub}" if not is_blank(top) else str(sub), str(HOW_TWO_ROWS)),
                    (str(sub), ""),
                ]
            if not is_blank(top):
                candidates.append((str(top), ""))
            if not candidates:
                continue
            for text, how in candidates:
                found = self.match(text)
                if found and (found[0] == IGNORED or found[0] not in result.positions):
                    if found[0] != IGNORED:
                        result.positions[found[0]] = index
                        result.matches.append(
                            ColumnMatch(index, " ".join(text.split()), found[0], how or found[1])
                        )
                    break
            else:
                result.unknown.append((index, " ".join(candidates[-1][0].split())))
        if two_rows:
            data_start += 1
        if data_start < len(rows) and _numbering_row(rows[data_start]):
            result.skipped_rows.append(rows[data_start].number)
            data_start += 1
        return result, data_start

    def _sub_header(self, top: Row, below: Row) -> bool:
        """A second header row: text only, and most of what differs from the row above is a header."""
        if any(not isinstance(v, str) for v in below.values if v is not None):
            return False
        gained = differing = 0
        for index, value in enumerate(below.values):
            parent = top.get(index)
            if is_blank(value) or value == parent:
                continue
            differing += 1
            if (not is_blank(parent) and self.match(f"{parent} {value}")) or self.match(value):
                gained += 1
        return gained >= 1 and gained * 2 >= differing

    def report(self, match: HeaderMatch) -> list[dict[str, str]]:
        """For the dry run: letter, header as written, the template column it fills, how it matched."""
        rows = [
            {"letter": m.letter, "header": m.header, "label": str(self.columns[m.key].label), "how": m.how}
            for m in match.matches
        ]
        rows += [
            {
                "letter": column_letter(i),
                "header": text,
                "label": "",
                "how": str(_("không thuộc mẫu, bỏ qua")),
            }
            for i, text in match.unknown
        ]
        return sorted(rows, key=lambda r: (len(r["letter"]), r["letter"]))

    def missing(self, match: HeaderMatch) -> list[Column]:
        return [c for c in self.columns.values() if c.required and c.key not in match.positions]


def _numbering_row(row: Row) -> bool:
    """ "(1) (2) (3)…" or "1 2 3…" under the header: column numbers, not data."""
    values = [v for v in row.values if not is_blank(v)]
    if len(values) < 3:
        return False
    numbers = []
    for value in values:
        text = str(value).strip().strip("()")
        if not is_ascii_digits(text) or len(text) > 6:
            return False
        numbers.append(int(text))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def describe_missing(columns: list[Column]) -> str:
    return _("Thiếu cột: %(cols)s. Hãy dùng tệp mẫu tải từ trang nhập.") % {
        "cols": ", ".join(f"“{c.label}”" for c in columns)
    }
