"""Reading the workbook: sheets found by name, headers matched, rows and cells read with their place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import Organisation
from beneficiaries.importing.places import Places
from core.parsing import is_ascii_digits
from core.search import fold
from core.sheets import Row, XlsxBook, column_letter
from core.sheets.headers import HeaderMatch, HeaderMatcher
from funding.models import SupportCapRule
from projects.models import ActivityCategory

from .. import cells
from ..spec import (
    EXAMPLE_CODE,
    GUIDE_TITLE,
    PROJECTS,
    Sheet,
    sheet_for,
)
from .plan import (
    CheckResult,
)

# --- Reading --------------------------------------------------------------------------------------


@dataclass
class _Table:
    sheet: Sheet
    name: str  # the tab's name in the file
    header: HeaderMatch
    rows: list[Row]
    labels: dict[str, str]

    def cells(self, row: Row) -> dict[str, Any]:
        return {
            key: row.get(index) for key, index in self.header.positions.items() if not key.startswith("_")
        }


def _read_tables(book: XlsxBook, result: CheckResult) -> dict[str, _Table]:
    tables: dict[str, _Table] = {}
    sheets_report = []
    for name in book.sheet_names():
        sheet = sheet_for(name)
        if sheet is None:
            if fold(name) != fold(str(GUIDE_TITLE)):
                result.warnings.append(
                    _("Trang tính “%(name)s” không thuộc mẫu, đã bỏ qua.") % {"name": name}
                )
            continue
        if sheet.key in tables:
            result.error(sheet, 0, "", _("Tệp có hai trang tính cùng là “%(t)s”.") % {"t": sheet.title})
            continue
        rows = book.rows(name)
        matcher = HeaderMatcher(list(sheet.columns))
        try:
            header, start = matcher.find(rows)
        except LookupError:
            if not any(not r.blank for r in rows):
                continue  # an empty optional sheet
            result.error(sheet, 0, "", _("Không tìm thấy dòng tiêu đề. Hãy dùng tệp mẫu."))
            continue
        missing = matcher.missing(header)
        for group in sheet.one_of:
            if not any(k in header.positions for k in group):
                missing.append(sheet.column(group[0]))
        if missing:
            result.error(
                sheet,
                header.row,
                "",
                _("Dòng tiêu đề thiếu cột: %(cols)s.") % {"cols": ", ".join(f"“{c.label}”" for c in missing)},
            )
            continue
        labels = {c.key: (f"{c.label}*" if c.required else str(c.label)) for c in sheet.columns}
        tables[sheet.key] = _Table(sheet, name, header, rows[start:], labels)
        formulas = sum(len(r.formulas) for r in rows[start:])
        sheets_report.append(
            {
                "sheet": name,
                "as": str(sheet.title),
                "header_row": "–".join(str(n) for n in header.rows),
                "skipped_rows": header.skipped_rows[:20],
                "columns": matcher.report(header),
                "formulas": formulas,
                "merged": sorted(book.merges)[:20],
            }
        )
    result.report["sheets"] = sheets_report
    if PROJECTS.key not in tables and not any(e.sheet == str(PROJECTS.title) for e in result.errors):
        result.error(
            PROJECTS,
            0,
            "",
            _("Tệp không có trang tính “%(t)s”. Hãy dùng tệp mẫu tải từ trang nhập.") % {"t": PROJECTS.title},
        )
    return tables


def _data_rows(table: _Table, result: CheckResult) -> list[tuple[Row, dict[str, Any]]]:
    """The rows with data: blanks, the template's example rows and "Tổng cộng" rows left out;
    formula cells without a cached value refused."""
    out = []
    for row in table.rows:
        if row.blank:
            continue
        values = table.cells(row)
        code = cells.text(values.get("code"))
        folded = fold(code)
        if code == EXAMPLE_CODE:
            continue
        if folded.startswith(("tong", "cong")) or (
            not code
            and any(
                fold(cells.text(v)).startswith(("tong cong", "cong"))
                for v in row.values
                if isinstance(v, str)
            )
        ):
            result.warnings.append(
                _("Trang “%(s)s”, dòng %(r)s là dòng tổng cộng, không nhập.")
                % {"s": table.name, "r": row.number}
            )
            continue
        bad = False
        by_index = {i: k for k, i in table.header.positions.items()}
        for index in row.uncached:
            if index in by_index:
                bad = True
                result.error(
                    table.sheet,
                    row.number,
                    f"{column_letter(index)} ({table.labels.get(by_index[index], '')})",
                    _("Ô công thức chưa có giá trị đã tính; hãy mở tệp bằng Excel, lưu lại rồi tải lên."),
                )
        if not bad:
            out.append((row, values))
    return out


class _Cell:
    """Reads the cells of one row, recording every bad one with its sheet, row and column."""

    def __init__(self, table: _Table, row: Row, values: dict[str, Any], result: CheckResult) -> None:
        self.table, self.row, self.values, self.result = table, row, values, result
        self.failed = False

    def where(self, key: str) -> str:
        index = self.table.header.positions.get(key)
        label = self.table.labels.get(key, key)
        return f"{column_letter(index)} ({label})" if index is not None else label

    def error(self, key: str, message: str) -> None:
        self.failed = True
        self.result.error(self.table.sheet, self.row.number, self.where(key), message)

    def get(self, key: str, reader: Callable[[Any], Any], *, required: bool = False) -> Any:
        value = self.values.get(key)
        try:
            parsed = reader(value)
        except cells.CellError as exc:
            self.error(key, str(exc))
            return None
        if required and (parsed is None or parsed == ""):
            self.error(
                key, _("Thiếu %(label)s.") % {"label": str(self.table.sheet.column(key).label).lower()}
            )
        return parsed


# --- Reference data -------------------------------------------------------------------------------


class _Lookups:
    def __init__(self, province_id: int) -> None:
        self.province_id = province_id
        self.places = Places(province_id)
        self.categories = list(ActivityCategory.objects.all())
        self.organisations = {
            fold(o.name): o.pk for o in Organisation.objects.filter(province_id=province_id, is_active=True)
        }
        self.managing = (
            Organisation.objects.filter(province_id=province_id, is_active=True)
            .order_by("kind", "pk")  # "centre" < "department" alphabetically: prefer the department
            .values_list("pk", "kind")
        )
        rules = list(SupportCapRule.objects.order_by("-valid_from", "-pk"))
        self.rules: dict[int, list[SupportCapRule]] = {}
        for rule in rules:
            self.rules.setdefault(rule.category_id, []).append(rule)

    def managing_organisation(self) -> int | None:
        rows = list(self.managing)
        for pk, kind in rows:
            if kind == "department":
                return pk
        return rows[0][0] if rows else None

    def category(self, raw: str, day: dt.date | None) -> tuple[ActivityCategory | None, str]:
        key = fold(raw)
        if not key:
            return None, _("Thiếu nội dung hoạt động.")
        candidates = [c for c in self.categories if fold(c.code) == key]
        if not candidates and is_ascii_digits(key) and len(key) < 4:
            candidates = [c for c in self.categories if c.code.endswith(f"-{int(key):02d}")]
        if not candidates:
            candidates = [c for c in self.categories if key in (fold(c.short_name), fold(c.name))]
        if not candidates:
            candidates = [c for c in self.categories if key in fold(c.name) or key in fold(c.short_name)]
        if day is not None:
            in_force = [
                c for c in candidates if c.valid_from <= day and (c.valid_to is None or c.valid_to >= day)
            ]
            if candidates and not in_force:
                return None, _("Nội dung “%(v)s” không có hiệu lực ngày %(d)s (ngày quyết định).") % {
                    "v": raw,
                    "d": day.strftime("%d/%m/%Y"),
                }
            candidates = in_force
        if len(candidates) == 1:
            return candidates[0], ""
        if not candidates:
            return None, _("Không có nội dung hoạt động “%(v)s” (ghi mã như ND45-03 hoặc tên nội dung).") % {
                "v": raw
            }
        return None, _("“%(v)s” khớp nhiều nội dung hoạt động; hãy ghi mã (ví dụ ND45-03).") % {"v": raw}

    def rule(self, category_id: int, day: dt.date) -> SupportCapRule | None:
        for rule in self.rules.get(category_id, []):
            if rule.valid_from <= day and (rule.valid_until is None or rule.valid_until >= day):
                return rule
        return None
