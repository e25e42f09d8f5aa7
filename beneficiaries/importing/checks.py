"""Checking every row of an import (nothing written) and matching rows to existing facilities."""

from __future__ import annotations

import datetime as dt
import re
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.money import MoneyParseError, parse_vnd
from core.search import KcUnaccent, fold

from ..models import CraftVillage, Facility, FacilityKind, FacilityStatus, Sector
from ..validation import normalise_personal_id, normalise_tax_code
from .places import Places, locate
from .readers import MATCHER, blank, column_letter, find_header, read_rows
from .spec import COLUMNS, MAX_ROWS, CheckResult, FileStructureError, RowError, header_label

# --- Checking ------------------------------------------------------------------------------------

_KIND_BY_TEXT = {fold(str(label)): value for value, label in FacilityKind.choices} | {
    fold(v): v for v in FacilityKind.values
}
_KIND_BY_TEXT |= {"dnnvv": "dnnvv", "doanh nghiep": "dnnvv", "htx": "htx", "lien hiep htx": "lien_hiep_htx"}
_KIND_BY_TEXT |= {"tht": "to_hop_tac", "hkd": "ho_kinh_doanh", "ho kinh doanh ca the": "ho_kinh_doanh"}
_YES = {"co", "x", "yes", "1", "true", "dung"}
_NO = {"khong", "no", "0", "false", "", "sai"}


class _Lookups:
    """Reference data for one province, loaded once per file (not once per row)."""

    def __init__(self, province_id: int) -> None:
        self.places = Places(province_id)
        self.sectors = set(Sector.objects.filter(is_active=True).values_list("code", flat=True))
        self.villages: dict[str, CraftVillage] = {
            fold(v.name): v for v in CraftVillage.objects.filter(province_id=province_id)
        }
        self.province_id = province_id
        self.labels = {c.key: header_label(c) for c in COLUMNS}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _int(value: Any, label: str, result: CheckResult, row: int, *, minimum: int = 0) -> int | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "").replace(" ", "")
        if re.fullmatch(r"-?\d+", cleaned):
            value = int(cleaned)
    if not isinstance(value, int):
        result.error(row, label, _("“%(value)s” không phải số nguyên.") % {"value": value})
        return None
    if value < minimum:
        result.error(row, label, _("Không được âm (đang là %(value)s).") % {"value": value})
        return None
    return value


def _bool(value: Any, label: str, result: CheckResult, row: int) -> bool:
    key = fold(_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    result.error(row, label, _("Chỉ ghi “có” hoặc “không” (đang là “%(value)s”).") % {"value": value})
    return False


PLACE_KEYS = ("commune", "legacy_commune", "legacy_district", "legacy_province", "address")


def _year(value: Any, label: str, result: CheckResult, row: int) -> int | None:
    """A year, also from a date cell or a typed date (15/03/2008, 03/2008, 2008-03-15)."""
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(?:\d{1,2}[/.-]){1,2}(\d{4})|(\d{4})-\d{1,2}-\d{1,2}", text)
        if match:
            return int(match.group(1) or match.group(2))
    return _int(value, label, result, row)


def _check_row(
    number: int, cells: dict[str, Any], lookups: _Lookups, result: CheckResult, chosen: dict[int, int]
) -> dict[str, Any] | None:
    before = len(result.errors)
    label = lookups.labels
    data: dict[str, Any] = {}

    name = _text(cells.get("name"))
    if not name:
        result.error(number, label["name"], _("Thiếu tên cơ sở."))
    elif len(name) > 255:
        result.error(number, label["name"], _("Tên cơ sở quá dài (tối đa 255 ký tự)."))
    data["name"] = name

    kind_text = _text(cells.get("kind"))
    kind = _KIND_BY_TEXT.get(fold(kind_text))
    if not kind:
        result.error(
            number,
            label["kind"],
            _("Loại hình “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
            % {"value": kind_text, "choices": ", ".join(str(lbl) for _v, lbl in FacilityKind.choices)},
        )
    data["kind"] = kind

    try:
        data["tax_code"] = normalise_tax_code(cells.get("tax_code"))
    except ValidationError as exc:
        result.error(number, label["tax_code"], exc.messages[0])
        data["tax_code"] = ""
    try:
        data["personal_id"] = normalise_personal_id(cells.get("personal_id"))
    except ValidationError as exc:
        result.error(number, label["personal_id"], exc.messages[0])
        data["personal_id"] = ""
    if kind and kind != FacilityKind.HOUSEHOLD and not data["tax_code"] and len(result.errors) == before:
        result.error(
            number, label["tax_code"], _("Doanh nghiệp, hợp tác xã và tổ hợp tác phải có mã số thuế.")
        )
    if kind == FacilityKind.HOUSEHOLD and not data["tax_code"] and not data["personal_id"]:
        result.error(
            number,
            label["personal_id"],
            _("Hộ kinh doanh cần mã số thuế hoặc số định danh cá nhân của chủ hộ."),
        )

    for key, limit in (
        ("business_reg_no", 30),
        ("representative", 255),
        ("phone", 20),
        ("email", 254),
        ("address", 255),
        ("main_products", 500),
    ):
        value = _text(cells.get(key))
        if len(value) > limit:
            result.error(number, label[key], _("Quá dài (tối đa %(n)s ký tự).") % {"n": limit})
        data[key] = value
    if data["email"]:
        try:
            from django.core.validators import validate_email

            validate_email(data["email"])
        except ValidationError:
            result.error(number, label["email"], _("Địa chỉ thư điện tử không hợp lệ."))

    texts = {k: _text(cells.get(k)) for k in PLACE_KEYS}
    texts["name"] = name
    data["commune"], data["legacy_commune"] = locate(
        number, texts, lookups.places, result, label, chosen.get(number)
    )

    village_text = _text(cells.get("craft_village"))
    data["craft_village"] = None
    if village_text:
        village = lookups.villages.get(fold(village_text))
        if village is None:
            result.error(
                number,
                label["craft_village"],
                _("Không có làng nghề “%(value)s” trong danh mục của tỉnh.") % {"value": village_text},
            )
        data["craft_village"] = village

    codes = [c for c in re.split(r"[,;\s]+", _text(cells.get("sectors"))) if c]
    bad = [c for c in codes if c not in lookups.sectors]
    if bad:
        result.error(
            number,
            label["sectors"],
            _("Mã ngành không có trong danh mục VSIC 2018: %(codes)s.") % {"codes": ", ".join(bad)},
        )
    data["sectors"] = [c for c in codes if c in lookups.sectors]

    year = _year(cells.get("year_founded"), label["year_founded"], result, number)
    if year is not None and not 1900 <= year <= timezone.now().year:
        result.error(
            number, label["year_founded"], _("Năm thành lập %(value)s không hợp lệ.") % {"value": year}
        )
    data["year_founded"] = year
    total = _int(cells.get("workers_total"), label["workers_total"], result, number) or 0
    female = _int(cells.get("workers_female"), label["workers_female"], result, number) or 0
    ethnic = _int(cells.get("workers_ethnic_minority"), label["workers_ethnic_minority"], result, number) or 0
    if female > total:
        result.error(
            number,
            label["workers_female"],
            _("Số lao động nữ (%(f)s) lớn hơn tổng số lao động (%(t)s).") % {"f": female, "t": total},
        )
    if ethnic > total:
        result.error(
            number,
            label["workers_ethnic_minority"],
            _("Số lao động DTTS (%(e)s) lớn hơn tổng số lao động (%(t)s).") % {"e": ethnic, "t": total},
        )
    data.update(workers_total=total, workers_female=female, workers_ethnic_minority=ethnic)

    revenue_value = cells.get("annual_revenue")
    revenue = None
    if not blank(revenue_value):
        try:
            revenue = parse_vnd(int(revenue_value) if isinstance(revenue_value, float) else revenue_value)
        except (MoneyParseError, ValueError):
            result.error(
                number,
                label["annual_revenue"],
                _("Số tiền “%(value)s” không hợp lệ.") % {"value": revenue_value},
            )
        if revenue is not None and revenue < 0:
            result.error(number, label["annual_revenue"], _("Doanh thu không được âm."))
    data["annual_revenue"] = revenue

    for key in ("women_owned", "minority_owned", "disadvantaged_area"):
        data[key] = _bool(cells.get(key), label[key], result, number)

    return data if len(result.errors) == before else None


def _is_example(cells: dict[str, Any]) -> bool:
    """The template's example row (its name and tax code), which is never imported."""
    example = {c.key: c.example for c in COLUMNS}
    return fold(_text(cells.get("name"))) == fold(str(example["name"])) and _text(
        cells.get("tax_code")
    ) == str(example["tax_code"])


def _is_total(cells: dict[str, Any]) -> bool:
    """A "Tổng cộng" row at the bottom of a clerk's list (sums, not a facility)."""
    name = fold(_text(cells.get("name")))
    return name in ("tong", "cong", "tong so") or name.startswith(("tong cong", "cong:", "tong:"))


def _rows_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + ("…" if len(numbers) > 10 else "")


def check_file(
    stream: IO[bytes],
    kind: str,
    *,
    province_id: int,
    user: User,
    choices: dict[int, int] | None = None,
) -> CheckResult:
    """Read and check every row without writing anything (``choices``: row → commune for split communes)."""
    result = CheckResult()
    chosen = choices or {}
    try:
        rows, info = read_rows(stream, kind)
        result.report.update(info)
        header, start = find_header(rows)
        positions = {k: i for k, i in header.positions.items() if not k.startswith("_")}
        result.report.update(
            header_row="–".join(str(n) for n in header.rows),
            skipped_rows=header.skipped_rows[:20],
            columns=MATCHER.report(header),
        )
        lookups = _Lookups(province_id)
        labels = lookups.labels
        known = set(header.positions.values()) | {i for i, _t in header.unknown}
        by_index = {i: labels[k] for k, i in positions.items()}
        seen_tax: dict[str, int] = {}
        seen_pid: dict[str, int] = {}
        blanks: list[int] = []
        formulas: dict[str, int] = {}
        stray: dict[int, list[int]] = {}
        previous = rows[start - 1].number if start else 0
        for row in rows[start:]:
            blanks.extend(range(previous + 1, row.number))
            previous = row.number
            if row.blank:
                blanks.append(row.number)
                continue
            cells = {key: row.get(index) for key, index in positions.items()}
            if _is_example(cells):
                result.warnings.append(
                    _("Dòng %(row)s là dòng ví dụ của tệp mẫu, không nhập.") % {"row": row.number}
                )
                continue
            if _is_total(cells):
                result.warnings.append(_("Dòng %(row)s là dòng tổng cộng, không nhập.") % {"row": row.number})
                continue
            result.rows_total += 1
            if result.rows_total > MAX_ROWS:
                raise FileStructureError(
                    [
                        _("Tệp có quá %(n)s dòng dữ liệu; hãy chia nhỏ tệp.")
                        % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
                    ]
                )
            for index, value in enumerate(row.values):
                if index not in known and not blank(value):
                    stray.setdefault(index, []).append(row.number)
            bad_formula = False
            for index in row.formulas:
                if index not in by_index:
                    continue
                if index in row.uncached:
                    bad_formula = True
                    result.error(
                        row.number,
                        by_index[index],
                        _("Ô công thức chưa có giá trị đã tính; hãy mở tệp bằng Excel, lưu lại rồi tải lên.")
                        if kind == "xlsx"
                        else _(
                            "Tệp CSV không lưu kết quả của công thức; hãy ghi giá trị thay cho công thức."
                        ),
                    )
                else:
                    formulas[by_index[index]] = formulas.get(by_index[index], 0) + 1
            if bad_formula:
                continue
            data = _check_row(row.number, cells, lookups, result, chosen)
            if data is None:
                continue
            for key, seen, column in (
                ("tax_code", seen_tax, labels["tax_code"]),
                ("personal_id", seen_pid, labels["personal_id"]),
            ):
                if data[key] and data[key] in seen:
                    result.error(
                        row.number,
                        column,
                        _("Trùng với dòng %(row)s của cùng tệp.") % {"row": seen[data[key]]},
                    )
                    data = None
                    break
                if data[key]:
                    seen[data[key]] = row.number
            if data is not None:
                data["row"] = row.number
                result.rows.append(data)
        result.report["formulas"] = [{"column": k, "count": n} for k, n in formulas.items()]
        if blanks:
            result.warnings.insert(
                0,
                _("Dòng %(rows)s trống, đã bỏ qua.") % {"rows": _rows_list(blanks)}
                if len(blanks) <= 10
                else _("%(n)s dòng trống đã bỏ qua (dòng %(rows)s).")
                % {"n": len(blanks), "rows": _rows_list(blanks)},
            )
        for index, numbers in stray.items():
            result.warnings.append(
                _("Cột %(col)s không có tiêu đề nhưng có dữ liệu (dòng %(rows)s); cột này được bỏ qua.")
                % {"col": column_letter(index), "rows": _rows_list(numbers)}
            )
    except FileStructureError as exc:
        result.errors = [RowError(0, "", message) for message in exc.messages]
        result.rows = []
        result.choices = []
        return result
    if result.rows_total == 0 and not result.errors:
        result.error(0, "", _("Tệp không có dòng dữ liệu nào."))
    _match_existing(result, province_id=province_id)
    return result


def _match_existing(result: CheckResult, *, province_id: int) -> None:
    """Attach the existing facility each row updates; refuse rows that belong to another province."""
    if not result.rows:
        return
    active = Facility.objects.filter(status=FacilityStatus.ACTIVE)
    taxes = [r["tax_code"] for r in result.rows if r["tax_code"]]
    pids = [r["personal_id"] for r in result.rows if r["personal_id"] and not r["tax_code"]]
    by_tax: dict[str, Facility] = {}
    by_pid: dict[str, Facility] = {}
    for start in range(0, len(taxes), 5000):
        for f in active.filter(tax_code__in=taxes[start : start + 5000]).only(
            "id", "province_id", "tax_code"
        ):
            by_tax[f.tax_code] = f
    for start in range(0, len(pids), 5000):
        for f in active.filter(personal_id__in=pids[start : start + 5000]).only(
            "id", "province_id", "personal_id"
        ):
            by_pid[f.personal_id] = f
    nameless = [r for r in result.rows if not r["tax_code"] and not r["personal_id"]]
    by_name: dict[tuple[int, str], int] = {}
    if nameless:
        rows = (
            active.filter(province_id=province_id, commune_id__in={r["commune"].code for r in nameless})
            .annotate(folded=KcUnaccent("name"))
            .values_list("commune_id", "folded", "id")
        )
        by_name = {(c, n): i for c, n, i in rows}
    tax_header, pid_header = header_label(COLUMNS[2]), header_label(COLUMNS[3])
    kept = []
    for row in result.rows:
        existing = by_tax.get(row["tax_code"]) if row["tax_code"] else None
        header = tax_header
        if existing is None and row["personal_id"] and not row["tax_code"]:
            existing, header = by_pid.get(row["personal_id"]), pid_header
        if existing is not None and existing.province_id != province_id:
            result.error(
                row["row"],
                header,
                _("Mã này đã thuộc một cơ sở của tỉnh/thành phố khác; không thể nhập vào tỉnh này."),
            )
            continue
        if existing is None and not row["tax_code"] and not row["personal_id"]:
            pk = by_name.get((row["commune"].code, fold(row["name"])))
            row["existing_id"] = pk
        else:
            row["existing_id"] = existing.pk if existing is not None else None
        kept.append(row)
    result.rows = kept
    result.to_update = sum(1 for r in kept if r["existing_id"])
    result.to_create = len(kept) - result.to_update
