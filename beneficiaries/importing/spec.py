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
    aliases: tuple[str, ...] = ()  # other names clerks give the column (matched without diacritics)


COLUMNS: list[ImportColumn] = [
    ImportColumn(
        "name",
        gettext_lazy("Tên cơ sở"),
        True,
        "Hợp tác xã Mây tre đan Phú Vinh",
        34,
        ("ten", "ten doanh nghiep", "ten co so cnnt", "ten don vi", "ten co so san xuat", "co so", "ten htx"),
    ),
    ImportColumn(
        "kind", gettext_lazy("Loại hình"), True, "Hợp tác xã", 20, ("loai hinh co so", "loai hinh dn", "loai")
    ),
    ImportColumn(
        "tax_code",
        gettext_lazy("Mã số thuế"),
        False,
        "0100109106",
        16,
        ("mst", "ma so doanh nghiep", "ma so thue/ma so doanh nghiep", "ma so dn", "ma so"),
    ),
    ImportColumn(
        "personal_id",
        gettext_lazy("Số định danh chủ hộ"),
        False,
        "",
        16,
        ("cccd", "so cccd", "cmnd/cccd", "so dinh danh", "cccd chu ho", "so cmnd", "so dinh danh ca nhan"),
    ),
    ImportColumn(
        "business_reg_no",
        gettext_lazy("Số đăng ký kinh doanh"),
        False,
        "2507000123",
        16,
        ("so dkkd", "dkkd", "giay dkkd", "so giay dkkd"),
    ),
    ImportColumn(
        "representative",
        gettext_lazy("Người đại diện"),
        False,
        "Nguyễn Thị Lan",
        22,
        ("chu co so", "chu ho", "nguoi dai dien phap luat", "giam doc", "ho ten chu co so"),
    ),
    ImportColumn(
        "phone", gettext_lazy("Điện thoại"), False, "0912345678", 14, ("sdt", "so dien thoai", "dt", "dtdd")
    ),
    ImportColumn("email", gettext_lazy("Thư điện tử"), False, "", 22, ("email", "e-mail", "mail")),
    ImportColumn(
        "address",
        gettext_lazy("Địa chỉ (thôn, xóm)"),
        False,
        "Thôn Phú Vinh",
        24,
        ("dia chi", "thon/xom", "thon xom", "thon", "dia chi thon xom", "thon, xom"),
    ),
    ImportColumn(
        "commune",
        gettext_lazy("Xã/phường/đặc khu"),
        False,
        "",
        24,
        (
            "xa/phuong",
            "xa",
            "phuong",
            "xa phuong",
            "xa moi",
            "xa/phuong moi",
            "xa/phuong/dac khu moi",
            "dia ban",
        ),
    ),
    ImportColumn(
        "legacy_commune",
        gettext_lazy("Xã cũ (trước 1/7/2025)"),
        False,
        "",
        18,
        (
            "ma xa cu (truoc 1/7/2025)",
            "xa cu",
            "ma xa cu",
            "xa/phuong cu",
            "xa/thi tran cu",
            "xa truoc sap nhap",
            "xa/phuong/thi tran cu",
            "xa, thi tran cu",
        ),
    ),
    ImportColumn(
        "legacy_district",
        gettext_lazy("Huyện cũ"),
        False,
        "",
        16,
        ("huyen", "quan/huyen", "huyen/thanh pho", "huyen/thi xa", "quan huyen", "huyen cu (truoc 1/7/2025)"),
    ),
    ImportColumn(
        "legacy_province", gettext_lazy("Tỉnh cũ"), False, "", 14, ("tinh", "tinh (cu)", "tinh/thanh pho cu")
    ),
    ImportColumn("craft_village", gettext_lazy("Làng nghề"), False, "", 22, ("ten lang nghe",)),
    ImportColumn(
        "sectors",
        gettext_lazy("Mã ngành VSIC"),
        False,
        "1629",
        14,
        ("ma nganh", "nganh nghe", "vsic", "ma vsic", "nganh nghe (vsic)", "ma nganh nghe"),
    ),
    ImportColumn(
        "main_products", gettext_lazy("Sản phẩm chính"), False, "Mây tre đan xuất khẩu", 26, ("san pham",)
    ),
    ImportColumn(
        "year_founded",
        gettext_lazy("Năm thành lập"),
        False,
        2008,
        10,
        ("nam tl", "ngay thanh lap", "thanh lap", "nam thanh lap/ngay thanh lap", "ngay/nam thanh lap"),
    ),
    ImportColumn(
        "workers_total",
        gettext_lazy("Tổng số lao động"),
        False,
        45,
        10,
        (
            "so ld",
            "tong ld",
            "lao dong",
            "so lao dong",
            "tong so ld",
            "lao dong tong so",
            "lao dong tong",
            "so lao dong tong so",
            "tong lao dong",
        ),
    ),
    ImportColumn(
        "workers_female",
        gettext_lazy("Lao động nữ"),
        False,
        38,
        10,
        ("so ld nu", "ld nu", "nu", "so lao dong nu", "trong do nu", "lao dong trong do nu"),
    ),
    ImportColumn(
        "workers_ethnic_minority",
        gettext_lazy("Lao động DTTS"),
        False,
        12,
        10,
        (
            "so ld dtts",
            "ld dtts",
            "dtts",
            "lao dong dan toc thieu so",
            "lao dong nguoi dtts",
            "so lao dong dtts",
            "trong do dtts",
            "lao dong trong do dtts",
        ),
    ),
    ImportColumn(
        "annual_revenue",
        gettext_lazy("Doanh thu năm (đồng)"),
        False,
        3_500_000_000,
        18,
        ("doanh thu", "doanh thu nam", "doanh thu (dong)", "doanh thu (vnd)"),
    ),
    ImportColumn("women_owned", gettext_lazy("Phụ nữ làm chủ"), False, "có", 10, ("chu la nu", "nu lam chu")),
    ImportColumn(
        "minority_owned",
        gettext_lazy("Người DTTS làm chủ"),
        False,
        "không",
        10,
        ("dtts lam chu", "chu la nguoi dtts", "chu la dtts"),
    ),
    ImportColumn(
        "disadvantaged_area",
        gettext_lazy("Vùng khó khăn"),
        False,
        "không",
        10,
        ("vung dbkk", "dia ban kho khan", "vung dac biet kho khan"),
    ),
]

# Reading limits for a facility file: the data rows plus title rows and blank lines.
MAX_SHEET_ROWS = MAX_ROWS + 1_000
MAX_COLUMNS = 60


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
    """What a dry run found: structural problems, bad rows, and the rows ready to write.

    ``report`` says how the file was read (encoding, header row, how each column matched, formulas
    whose cached value was taken, merged ranges, former units mapped); ``choices`` lists rows whose
    former commune was split between several new ones and waits for the user's choice.
    """

    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    choices: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    rows_total: int = 0
    to_create: int = 0
    to_update: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.choices

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))


class FileStructureError(Exception):
    """The file cannot be read as the template (merged cells, wrong headers…): one message per problem."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages
