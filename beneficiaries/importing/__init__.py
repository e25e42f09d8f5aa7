"""Excel/CSV import of facilities: template, dry run (every bad row with its reason), commit.

The commit re-checks the stored file inside one transaction and writes all rows or none. Rows are
matched to existing facilities by tax code, then personal ID, then name within the commune, so
re-importing a file updates and never duplicates.
"""

from __future__ import annotations

import io
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Facility, FacilityKind, FacilityStatus, ImportBatch, ImportStatus
from ..services import EDITABLE_FIELDS
from .checks import check_file
from .spec import COLUMNS, MAX_ROWS, CheckResult, FileStructureError, ImportColumn, RowError, header_label

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "CheckResult",
    "FileStructureError",
    "ImportColumn",
    "ImportRefused",
    "RowError",
    "check_file",
    "header_label",
    "import_check",
    "import_choose",
    "import_commit",
    "template_csv_rows",
    "write_template",
]

# --- Writing -------------------------------------------------------------------------------------

# An import never changes a facility's status or merge target: those are decisions made on its page.
_WRITE_FIELDS = [name for name in EDITABLE_FIELDS if name not in ("status", "merged_into")]


def _status(result: CheckResult) -> str:
    if result.errors:
        return ImportStatus.INVALID
    return ImportStatus.CHOOSE if result.choices else ImportStatus.CHECKED


def _record(batch: ImportBatch, result: CheckResult) -> None:
    """Copy a check's counts, errors, notes and pending choices onto the batch (not saved)."""
    batch.status = _status(result)
    batch.rows_total = result.rows_total
    batch.rows_created, batch.rows_updated = result.to_create, result.to_update
    batch.rows_invalid = len({e.row for e in result.errors})
    batch.errors = [
        {"row": e.row, "column": str(e.column), "message": str(e.message)} for e in result.errors[:1000]
    ] + [{"row": None, "column": "", "message": str(w), "warning": True} for w in result.warnings[:100]]
    batch.report = {**result.report, "choices": result.choices[:500]}


def import_check(*, user: User, upload: Any, kind: str, province_id: int, sha256: str) -> ImportBatch:
    """Dry run: store the file and an ImportBatch with the counts and every error; write no facility."""
    upload.seek(0)
    content = io.BytesIO(upload.read())
    result = check_file(content, kind, province_id=province_id, user=user)
    batch = ImportBatch(
        province_id=province_id, file_name=(upload.name or "")[:255], sha256=sha256, created_by=user
    )
    _record(batch, result)
    batch.file.save(f"{sha256[:16]}.{kind}", ContentFile(content.getvalue()), save=False)
    batch.save()
    return batch


def _stored(batch: ImportBatch) -> tuple[io.BytesIO, str]:
    kind = "xlsx" if (batch.file.name or "").endswith(".xlsx") else "csv"
    with batch.file.open("rb") as stored:
        return io.BytesIO(stored.read()), kind


def import_choose(*, user: User, batch: ImportBatch, choices: dict[int, int]) -> ImportBatch:
    """Record the user's new commune for rows whose former commune was split, and check again."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportStatus.COMMITTED:
            raise ImportRefused(_("Tệp này đã được nhập."))
        pending = {
            int(c["row"]): {code for code, _name in c["candidates"]} for c in batch.report.get("choices", [])
        }
        merged = {int(k): int(v) for k, v in (batch.choices or {}).items()}
        for row, code in choices.items():
            if code not in pending.get(row, set()):
                raise ImportRefused(_("Lựa chọn xã mới không hợp lệ; hãy chọn trong danh sách."))
            merged[row] = code
        content, kind = _stored(batch)
        result = check_file(content, kind, province_id=batch.province_id, user=user, choices=merged)
        batch.choices = {str(k): v for k, v in merged.items()}
        _record(batch, result)
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
        content, kind = _stored(batch)
        choices = {int(k): int(v) for k, v in (batch.choices or {}).items()}
        result = check_file(content, kind, province_id=batch.province_id, user=user, choices=choices)
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
        (
            _("Tiêu đề"),
            _(
                "Có thể giữ các dòng tiêu đề, ô gộp và tên cột không dấu hoặc viết tắt (MST, SĐT, Số LĐ nữ); "
                "trang nhập cho biết từng cột được hiểu thế nào."
            ),
        ),
        (
            _("Công thức"),
            _("Ô công thức được lấy giá trị đã tính (hãy lưu tệp trong Excel trước khi tải lên)."),
        ),
        (
            _("Xã cũ, huyện cũ, tỉnh cũ"),
            _(
                "Có thể ghi đơn vị hành chính trước 1/7/2025 (tên hoặc mã); hệ thống chuyển sang xã mới. "
                "Xã cũ được chia cho nhiều xã mới thì ghi thêm xã mới, hoặc chọn ở trang kiểm tra."
            ),
        ),
        (_("Dòng ví dụ"), _("Dòng ví dụ của tệp mẫu không bao giờ được nhập.")),
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
