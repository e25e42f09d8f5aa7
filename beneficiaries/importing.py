"""Excel/CSV import of facilities: template, dry run (every bad row with its reason), commit.

The commit re-checks the stored file inside one transaction and writes all rows or none. Rows are
matched to existing facilities by tax code, then personal ID, then name within the commune, so
re-importing a file updates and never duplicates.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.money import MoneyParseError, parse_vnd
from core.search import KcUnaccent, fold
from regions.models import Commune, LegacyCommune

from .models import CraftVillage, Facility, FacilityKind, FacilityStatus, ImportBatch, ImportStatus, Sector
from .validation import normalise_personal_id, normalise_tax_code

MAX_ROWS = 20_000


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: Any  # lazy Vietnamese header, exactly as in the template
    required: bool = False
    example: Any = ""
    width: int = 18


COLUMNS: list[ImportColumn] = [
    ImportColumn("name", gettext_lazy("Tên cơ sở"), True, "Hợp tác xã Mây tre đan Phú Vinh", 34),
    ImportColumn("kind", gettext_lazy("Loại hình"), True, "Hợp tác xã", 20),
    ImportColumn("tax_code", gettext_lazy("Mã số thuế"), False, "0100109106", 16),
    ImportColumn("personal_id", gettext_lazy("Số định danh chủ hộ"), False, "", 16),
    ImportColumn("business_reg_no", gettext_lazy("Số đăng ký kinh doanh"), False, "2507000123", 16),
    ImportColumn("representative", gettext_lazy("Người đại diện"), False, "Nguyễn Thị Lan", 22),
    ImportColumn("phone", gettext_lazy("Điện thoại"), False, "0912345678", 14),
    ImportColumn("email", gettext_lazy("Thư điện tử"), False, "", 22),
    ImportColumn("address", gettext_lazy("Địa chỉ (thôn, xóm)"), False, "Thôn Phú Vinh", 24),
    ImportColumn("commune", gettext_lazy("Xã/phường/đặc khu"), True, "", 24),
    ImportColumn("legacy_commune", gettext_lazy("Mã xã cũ (trước 1/7/2025)"), False, "", 14),
    ImportColumn("craft_village", gettext_lazy("Làng nghề"), False, "", 22),
    ImportColumn("sectors", gettext_lazy("Mã ngành VSIC"), False, "1629", 14),
    ImportColumn("main_products", gettext_lazy("Sản phẩm chính"), False, "Mây tre đan xuất khẩu", 26),
    ImportColumn("year_founded", gettext_lazy("Năm thành lập"), False, 2008, 10),
    ImportColumn("workers_total", gettext_lazy("Tổng số lao động"), False, 45, 10),
    ImportColumn("workers_female", gettext_lazy("Lao động nữ"), False, 38, 10),
    ImportColumn("workers_ethnic_minority", gettext_lazy("Lao động DTTS"), False, 12, 10),
    ImportColumn("annual_revenue", gettext_lazy("Doanh thu năm (đồng)"), False, 3_500_000_000, 18),
    ImportColumn("women_owned", gettext_lazy("Phụ nữ làm chủ"), False, "có", 10),
    ImportColumn("minority_owned", gettext_lazy("Người DTTS làm chủ"), False, "không", 10),
    ImportColumn("disadvantaged_area", gettext_lazy("Vùng khó khăn"), False, "không", 10),
]


def header_label(column: ImportColumn) -> str:
    return f"{column.header}*" if column.required else str(column.header)


def _header_key(text: Any) -> str:
    return fold(str(text or "")).rstrip("*").strip()


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class CheckResult:
    """What a dry run found: structural problems, bad rows, and the rows ready to write."""

    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    rows_total: int = 0
    to_create: int = 0
    to_update: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))


class FileStructureError(Exception):
    """The file cannot be read as the template (merged cells, wrong headers…): one message per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# --- Reading -------------------------------------------------------------------------------------


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet (workbook.xml order, resolved through its rels)."""
    from xml.etree import ElementTree

    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    rel_id = sheet.get(f"{_REL_NS}id") if sheet is not None else None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    from xml.etree.ElementTree import iterparse

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as part:
        for _event, element in iterparse(part):
            if element.tag == f"{_NS}si":
                # Rich text: the runs' texts, without phonetic (rPh) hints.
                texts = [t.text or "" for t in element.iter(f"{_NS}t") if t is not None]
                phonetic = {id(t) for r in element.iter(f"{_NS}rPh") for t in r.iter(f"{_NS}t")}
                if phonetic:
                    texts = [t.text or "" for t in element.iter(f"{_NS}t") if id(t) not in phonetic]
                strings.append("".join(texts))
                element.clear()
    return strings


def _number(text: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        return text  # type: ignore[return-value]
    return int(value) if value.is_integer() and "e" not in text.lower() else value


def _read_xlsx(stream: IO[bytes]) -> Iterator[tuple[int, list[Any], list[int]]]:
    """(row number, values, columns holding formulas) for each row of the first sheet.

    The sheet XML is read with ElementTree's C parser (openpyxl costs ~20 µs a cell); merged cells,
    listed after the rows, raise FileStructureError once the sheet has been read.
    """
    from xml.etree.ElementTree import ParseError, iterparse

    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
        path = _first_sheet_path(archive)
        strings = _shared_strings(archive)
        part = archive.open(path)
    except (KeyError, zipfile.BadZipFile, ParseError, AttributeError) as exc:
        raise FileStructureError(
            [_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")]
        ) from exc
    merged: list[str] = []
    c_tag, row_tag, v_tag, f_tag = f"{_NS}c", f"{_NS}row", f"{_NS}v", f"{_NS}f"
    is_tag, t_tag, merge_tag = f"{_NS}is", f"{_NS}t", f"{_NS}mergeCell"
    values: list[Any] = []
    formulas: list[int] = []
    next_row = 1
    try:
        with part:
            for _event, element in iterparse(part):
                tag = element.tag
                if tag == c_tag:
                    ref = element.get("r")
                    match = _CELL_REF.fullmatch(ref) if ref else None
                    column = _column_index(match.group(1)) if match else len(values)
                    kind = element.get("t")
                    if element.find(f_tag) is not None:
                        formulas.append(column)
                    raw = element.findtext(v_tag)
                    if kind == "s":
                        value: Any = strings[int(raw)] if raw is not None else None
                    elif kind == "inlineStr":
                        node = element.find(is_tag)
                        value = "".join(t.text or "" for t in node.iter(t_tag)) if node is not None else None
                    elif kind in ("str", "e"):
                        value = raw
                    elif kind == "b":
                        value = raw == "1"
                    else:
                        value = _number(raw) if raw is not None else None
                    if column >= len(values):
                        values.extend([None] * (column - len(values) + 1))
                    values[column] = value
                    element.clear()
                elif tag == row_tag:
                    number = int(element.get("r") or next_row)
                    yield number, values, formulas
                    next_row = number + 1
                    values, formulas = [], []
                    element.clear()
                elif tag == merge_tag:
                    merged.append(element.get("ref", ""))
    except ParseError as exc:
        raise FileStructureError(
            [_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")]
        ) from exc
    if merged:
        raise FileStructureError(
            [
                _("Tệp có ô gộp (%(ranges)s). Hãy bỏ gộp ô (Unmerge) và điền đủ giá trị cho từng dòng.")
                % {"ranges": ", ".join(sorted(merged)[:10])}
            ]
        )


def _read_csv(stream: IO[bytes]) -> Iterator[tuple[int, list[Any], list[int]]]:
    stream.seek(0)
    raw = stream.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileStructureError([_("Tệp CSV phải được lưu với bảng mã UTF-8.")]) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for number, values in enumerate(reader, start=1):
        formulas = [i for i, v in enumerate(values) if v.startswith("=")]
        yield number, list(values), formulas


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _map_headers(header: list[Any]) -> dict[str, int]:
    """Column key → index, or FileStructureError naming missing, extra and misspelt headers."""
    expected = {_header_key(header_label(c)): c for c in COLUMNS}
    positions: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for index, value in enumerate(header):
        if _blank(value):
            continue
        key = _header_key(value)
        if key in expected and expected[key].key not in positions:
            positions[expected[key].key] = index
        else:
            unknown.append((index, str(value).strip()))
    missing = [c for c in COLUMNS if c.key not in positions]
    messages = []
    for index, text in unknown:
        letter = _column_letter(index)
        template_col = COLUMNS[index] if index < len(COLUMNS) else None
        if template_col is not None and template_col in missing:
            messages.append(
                _("Cột %(col)s: tiêu đề “%(got)s” không đúng mẫu, phải là “%(want)s”.")
                % {"col": letter, "got": text, "want": header_label(template_col)}
            )
            missing.remove(template_col)
        else:
            messages.append(
                _("Cột %(col)s: “%(got)s” là cột thừa, không có trong mẫu. Hãy xóa cột này.")
                % {"col": letter, "got": text}
            )
    if missing:
        messages.append(
            _("Thiếu cột: %(cols)s. Hãy dùng tệp mẫu tải từ trang nhập.")
            % {"cols": ", ".join(f"“{header_label(c)}”" for c in missing)}
        )
    if messages:
        raise FileStructureError(messages)
    return positions


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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
        communes = list(
            Commune.objects.filter(province_id=province_id).only("code", "name", "kind", "province_id")
        )
        self.commune_by_code = {c.code: c for c in communes}
        self.commune_by_name: dict[str, list[Commune]] = {}
        for commune in communes:
            folded = fold(commune.name)
            short = re.sub(r"^(xa|phuong|dac khu) ", "", folded)
            for key in {folded, short}:
                self.commune_by_name.setdefault(key, []).append(commune)
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
    if _blank(value):
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


def _check_row(
    number: int, cells: dict[str, Any], lookups: _Lookups, result: CheckResult
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

    commune_value = cells.get("commune")
    commune = None
    commune_text = _text(commune_value)
    if not commune_text:
        result.error(number, label["commune"], _("Thiếu xã/phường/đặc khu."))
    elif commune_text.isdigit():
        commune = lookups.commune_by_code.get(int(commune_text))
        if commune is None:
            result.error(
                number,
                label["commune"],
                _("Mã %(value)s không phải xã/phường/đặc khu của tỉnh đang nhập.") % {"value": commune_text},
            )
    else:
        matches = lookups.commune_by_name.get(fold(commune_text), [])
        if len(matches) == 1:
            commune = matches[0]
        elif not matches:
            result.error(
                number,
                label["commune"],
                _("“%(value)s” không phải xã/phường/đặc khu của tỉnh đang nhập.") % {"value": commune_text},
            )
        else:
            result.error(
                number,
                label["commune"],
                _("“%(value)s” trùng tên nhiều đơn vị; hãy ghi mã xã.") % {"value": commune_text},
            )
    data["commune"] = commune

    legacy_text = _text(cells.get("legacy_commune"))
    data["legacy_commune"] = None
    if legacy_text:
        legacy = (
            LegacyCommune.objects.filter(code=int(legacy_text)).first() if legacy_text.isdigit() else None
        )
        if legacy is None:
            result.error(
                number,
                label["legacy_commune"],
                _("Không tìm thấy mã xã cũ “%(value)s”.") % {"value": legacy_text},
            )
        data["legacy_commune"] = legacy

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

    year = _int(cells.get("year_founded"), label["year_founded"], result, number)
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
    if not _blank(revenue_value):
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


def check_file(stream: IO[bytes], kind: str, *, province_id: int, user: User) -> CheckResult:
    """Read and check every row without writing anything."""
    result = CheckResult()
    reader = _read_xlsx(stream) if kind == "xlsx" else _read_csv(stream)
    try:
        positions: dict[str, int] | None = None
        lookups = _Lookups(province_id)
        seen_tax: dict[str, int] = {}
        seen_pid: dict[str, int] = {}
        for number, values, formulas in reader:
            if positions is None:
                if all(_blank(v) for v in values):
                    continue
                if formulas:
                    raise FileStructureError([_("Dòng tiêu đề không được chứa công thức.")])
                positions = _map_headers(values)
                continue
            if all(_blank(v) for v in values):
                result.warnings.append(_("Dòng %(row)s trống, đã bỏ qua.") % {"row": number})
                continue
            result.rows_total += 1
            if result.rows_total > MAX_ROWS:
                raise FileStructureError(
                    [
                        _("Tệp có quá %(n)s dòng dữ liệu; hãy chia nhỏ tệp.")
                        % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
                    ]
                )
            known = set(positions.values())
            for index in formulas:
                header = next(
                    (header_label(c) for c in COLUMNS if positions.get(c.key) == index), _column_letter(index)
                )
                result.error(
                    number,
                    header,
                    _("Ô chứa công thức; hãy dán giá trị (Paste Special → Values) thay cho công thức."),
                )
            stray = [i for i, v in enumerate(values) if i not in known and not _blank(v)]
            for index in stray:
                result.error(number, _column_letter(index), _("Có dữ liệu ở cột không có tiêu đề."))
            if formulas or stray:
                continue
            cells = {key: values[index] if index < len(values) else None for key, index in positions.items()}
            data = _check_row(number, cells, lookups, result)
            if data is None:
                continue
            for key, seen, header in (
                ("tax_code", seen_tax, header_label(COLUMNS[2])),
                ("personal_id", seen_pid, header_label(COLUMNS[3])),
            ):
                if data[key] and data[key] in seen:
                    result.error(
                        number, header, _("Trùng với dòng %(row)s của cùng tệp.") % {"row": seen[data[key]]}
                    )
                    data = None
                    break
                if data[key]:
                    seen[data[key]] = number
            if data is not None:
                data["row"] = number
                result.rows.append(data)
        if positions is None:
            raise FileStructureError([_("Tệp không có dòng tiêu đề. Hãy dùng tệp mẫu.")])
    except FileStructureError as exc:
        result.errors = [RowError(0, "", message) for message in exc.messages]
        result.rows = []
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


# --- Writing -------------------------------------------------------------------------------------

_WRITE_FIELDS = [
    "name",
    "kind",
    "tax_code",
    "personal_id",
    "business_reg_no",
    "representative",
    "phone",
    "email",
    "address",
    "commune",
    "legacy_commune",
    "craft_village",
    "main_products",
    "year_founded",
    "workers_total",
    "workers_female",
    "workers_ethnic_minority",
    "annual_revenue",
    "women_owned",
    "minority_owned",
    "disadvantaged_area",
]


def import_check(*, user: User, upload: Any, kind: str, province_id: int, sha256: str) -> ImportBatch:
    """Dry run: store the file and an ImportBatch with the counts and every error; write no facility."""
    upload.seek(0)
    content = io.BytesIO(upload.read())
    result = check_file(content, kind, province_id=province_id, user=user)
    batch = ImportBatch(
        province_id=province_id,
        file_name=(upload.name or "")[:255],
        sha256=sha256,
        status=ImportStatus.CHECKED if result.ok else ImportStatus.INVALID,
        rows_total=result.rows_total,
        rows_created=result.to_create,
        rows_updated=result.to_update,
        rows_invalid=len({e.row for e in result.errors}),
        errors=[
            {"row": e.row, "column": str(e.column), "message": str(e.message)} for e in result.errors[:1000]
        ]
        + [{"row": None, "column": "", "message": str(w), "warning": True} for w in result.warnings[:100]],
        created_by=user,
    )
    batch.file.save(f"{sha256[:16]}.{kind}", ContentFile(content.getvalue()), save=False)
    batch.save()
    return batch


class ImportRefused(Exception):
    """The stored file no longer passes the checks (the register changed since the dry run)."""


def import_commit(*, user: User, batch: ImportBatch) -> ImportBatch:
    """Write every row of a checked file, or none (one transaction); updates match by tax code."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.CHECKED:
            raise ImportRefused(_("Tệp này đã được nhập hoặc có lỗi; hãy kiểm tra lại tệp."))
        kind = "xlsx" if batch.file.name.endswith(".xlsx") else "csv"
        with batch.file.open("rb") as stored:
            content = io.BytesIO(stored.read())
        result = check_file(content, kind, province_id=batch.province_id, user=user)
        if result.ok:
            try:
                with transaction.atomic():
                    _write_rows(result.rows, user=user)
            except IntegrityError as exc:  # a concurrent write took a tax code: write nothing
                raise ImportRefused(
                    _("Sổ đăng ký vừa thay đổi; không dòng nào được ghi. Hãy thử lại.")
                ) from exc
            batch.status = ImportStatus.COMMITTED
            batch.rows_created, batch.rows_updated = result.to_create, result.to_update
            batch.committed_at = timezone.now()
            batch.save(update_fields=["status", "rows_created", "rows_updated", "committed_at"])
            return batch
        # Nothing is written; the batch records why (outside any rolled-back block).
        batch.status = ImportStatus.INVALID
        batch.errors = [
            {"row": e.row, "column": str(e.column), "message": str(e.message)} for e in result.errors[:1000]
        ]
        batch.rows_invalid = len({e.row for e in result.errors})
        batch.save(update_fields=["status", "errors", "rows_invalid"])
    raise ImportRefused(_("Dữ liệu đã thay đổi từ lần kiểm tra trước; tệp có lỗi, không dòng nào được ghi."))


def _write_rows(rows: list[dict[str, Any]], *, user: User) -> None:
    """Bulk create and update (thousands of rows in seconds), then replace the sector links."""
    existing_ids = [r["existing_id"] for r in rows if r["existing_id"]]
    existing = {f.pk: f for f in Facility.objects.select_for_update().filter(pk__in=existing_ids)}
    to_create, to_update = [], []
    for row in rows:
        facility = existing.get(row["existing_id"]) if row["existing_id"] else None
        if facility is None:
            facility = Facility(created_by=user, status=FacilityStatus.ACTIVE)
            to_create.append((facility, row))
        else:
            to_update.append((facility, row))
        for name in _WRITE_FIELDS:
            setattr(facility, name, row[name])
        facility.province_id = row["commune"].province_id
        facility.updated_by = user
    Facility.objects.bulk_create([f for f, _r in to_create], batch_size=2000)
    if to_update:
        now = timezone.now()
        for facility, _row in to_update:
            facility.updated_at = now
        Facility.objects.bulk_update(
            [f for f, _r in to_update],
            [*_WRITE_FIELDS, "province", "updated_by", "updated_at"],
            batch_size=2000,
        )
    through = Facility.sectors.through
    pairs = to_create + to_update
    touched = [f.pk for f, _r in to_update]
    for start in range(0, len(touched), 5000):
        through.objects.filter(facility_id__in=touched[start : start + 5000]).delete()
    links = [
        through(facility_id=f.pk, sector_id=code)
        for f, row in pairs
        for code in dict.fromkeys(row["sectors"])
    ]
    through.objects.bulk_create(links, batch_size=5000)


# --- Template ------------------------------------------------------------------------------------


def write_template(target: IO[bytes]) -> None:
    """The template workbook: Vietnamese headers (required ones marked *), one example row, a guide."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    head = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(_("Cơ sở")[:31])
    for index, column in enumerate(COLUMNS):
        sheet.set_column(
            index, index, column.width, text if column.key in ("tax_code", "personal_id", "commune") else None
        )
        sheet.write_string(0, index, header_label(column), required if column.required else head)
        example = column.example
        if column.key == "commune":
            example = "Xã Phù Ninh"
        if isinstance(example, int):
            sheet.write_number(1, index, example)
        elif example:
            sheet.write_string(1, index, str(example))
    sheet.freeze_panes(1, 0)
    guide = workbook.add_worksheet(_("Hướng dẫn")[:31])
    guide.set_column(0, 0, 30)
    guide.set_column(1, 1, 90)
    lines = [
        (_("Cột có dấu *"), _("Bắt buộc.")),
        (_("Loại hình"), ", ".join(str(label) for _v, label in FacilityKind.choices)),
        (_("Mã số thuế"), _("10 chữ số, hoặc 13 chữ số với chi nhánh; nhập dạng văn bản để giữ số 0 đầu.")),
        (_("Số định danh chủ hộ"), _("12 chữ số, cho hộ kinh doanh không có mã số thuế.")),
        (
            _("Xã/phường/đặc khu"),
            _("Tên hoặc mã đơn vị hành chính hiện nay (sau 1/7/2025) của tỉnh đang nhập."),
        ),
        (_("Mã ngành VSIC"), _("Một hoặc nhiều mã VSIC 2018, cách nhau bởi dấu phẩy, ví dụ 1629, 3100.")),
        (_("Ô gộp, công thức"), _("Không dùng ô gộp và công thức; chỉ nhập giá trị.")),
        (_("Nhập lại"), _("Nhập lại cùng tệp sẽ cập nhật cơ sở theo mã số thuế, không tạo bản trùng.")),
    ]
    bold = workbook.add_format({"bold": True})
    for row, (key, value) in enumerate(lines):
        guide.write_string(row, 0, str(key), bold)
        guide.write_string(row, 1, str(value))
    workbook.close()


def template_csv_rows() -> tuple[list[str], list[Any]]:
    header = [header_label(c) for c in COLUMNS]
    example = ["Xã Phù Ninh" if c.key == "commune" else c.example for c in COLUMNS]
    return header, example
