"""The import template's columns and the shapes of a check's result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from core.search import fold

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


def header_key(text: Any) -> str:
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
