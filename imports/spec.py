"""The past-projects workbook: its sheets, their columns (with the names clerks give them), limits.

Headers are matched by :class:`core.sheets.headers.HeaderMatcher` (exact, without diacritics, by
synonym, over two rows) exactly as the facility import does; sheets are found by name the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.search import fold
from core.sheets import Limits
from core.sheets.headers import Column

#: The example rows of the template carry this project code; they are never imported.
EXAMPLE_CODE = "VD-MAU-001"

#: 2,000 projects with 20,000 money rows and their plans fit well inside these.
LIMITS = Limits(
    max_rows=60_000,
    max_columns=60,
    max_cells=1_500_000,
    max_unpacked=96 * 1024 * 1024,
    max_parts=200,
)
MAX_PROJECTS = 5_000


@dataclass(frozen=True)
class Sheet:
    key: str
    title: Any  # the template's sheet name (≤ 31 characters)
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False
    help: Any = ""
    # Alternatives: at least one column of each group must be present.
    one_of: tuple[tuple[str, ...], ...] = ()
    examples: tuple[tuple[Any, ...], ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def label(self, key: str) -> str:
        column = self.column(key)
        return f"{column.label}*" if column.required else str(column.label)


C = Column
CODE = C("code", _("Mã đề án"), ("ma", "ma da", "ma so de an", "ma du an", "so hieu de an"), True)

PROJECTS = Sheet(
    "projects",
    _("Đề án"),
    ("de an", "du an", "danh sach de an", "danh muc de an", "projects", "de an khuyen cong"),
    (
        CODE,
        C("title", _("Tên đề án"), ("ten", "ten du an", "ten de an khuyen cong", "noi dung de an"), True),
        C(
            "start_year",
            _("Năm bắt đầu"),
            ("nam", "nam thuc hien", "tu nam", "nam bd", "nam bat dau thuc hien"),
            True,
        ),
        C("end_year", _("Năm kết thúc"), ("den nam", "nam kt", "nam ket thuc thuc hien")),
        C(
            "category",
            _("Nội dung hoạt động"),
            ("noi dung", "ma noi dung", "noi dung khuyen cong", "linh vuc", "nhom noi dung", "hoat dong"),
            True,
        ),
        C("kind", _("Loại đề án"), ("loai", "loai da", "loai du an")),
        C(
            "funding_level",
            _("Cấp kinh phí"),
            ("cap", "kcqg/kcdp", "nguon kinh phi", "cap kp", "khuyen cong quoc gia/dia phuong"),
            True,
        ),
        C(
            "communes",
            _("Xã thực hiện"),
            ("xa", "dia ban", "dia ban thuc hien", "xa/phuong", "dia diem", "dia diem thuc hien", "xa cu"),
        ),
        C("legacy_district", _("Huyện cũ"), ("huyen", "quan/huyen", "huyen cu (truoc 1/7/2025)")),
        C("legacy_province", _("Tỉnh cũ"), ("tinh", "tinh cu (truoc 1/7/2025)", "tinh (cu)")),
        C(
            "implementing_unit",
            _("Đơn vị thực hiện"),
            ("don vi", "dvth", "don vi chu tri", "don vi thuc hien de an", "co quan thuc hien"),
            True,
        ),
        C(
            "decision_number",
            _("Số quyết định"),
            ("so qd", "so quyet dinh phe duyet", "quyet dinh", "qd phe duyet", "so qd phe duyet"),
            True,
        ),
        C(
            "decision_date",
            _("Ngày quyết định"),
            ("ngay qd", "ngay quyet dinh phe duyet", "ngay phe duyet", "ngay qd phe duyet"),
            True,
        ),
        C("decision_signer", _("Người ký"), ("nguoi ky quyet dinh", "nguoi ky qd")),
        C(
            "total_cost",
            _("Tổng kinh phí (đồng)"),
            (
                "tong kinh phi",
                "tong kp",
                "kinh phi",
                "tong von",
                "tong kinh phi (vnd)",
                "tong kinh phi de an",
            ),
            True,
        ),
        C("status", _("Trạng thái"), ("tinh trang", "tinh trang thuc hien", "ket qua"), True),
        C("contract_number", _("Số hợp đồng"), ("so hd", "hop dong")),
        C("contract_date", _("Ngày hợp đồng"), ("ngay hd", "ngay ky hop dong", "ngay ky hd")),
        C("acceptance_date", _("Ngày nghiệm thu"), ("ngay nt", "nghiem thu")),
        C(
            "historical",
            _("Hồ sơ lịch sử"),
            ("ghi nhan lich su", "lich su", "ho so luu tru", "danh dau lich su"),
        ),
        C(
            "historical_note",
            _("Căn cứ ghi nhận"),
            ("can cu", "ghi chu lich su", "ghi chu", "can cu ghi nhan vi pham"),
        ),
        C("objectives", _("Mục tiêu"), ("muc tieu", "noi dung chinh", "muc tieu, noi dung")),
        C("eligible_cost", _("Chi phí được hỗ trợ (đồng)"), ("chi phi duoc ho tro", "chi phi hop le")),
        C("facilities", _("Số cơ sở thụ hưởng"), ("so co so", "so co so duoc ho tro")),
        C("priority_area", _("Địa bàn ưu tiên"), ("dia ban kho khan", "vung uu tien")),
        C("technology_line", _("Dây chuyền công nghệ"), ("ca day chuyen", "day chuyen")),
    ),
    required=True,
    help=_("Một dòng mỗi đề án. Mã đề án là khóa: nhập lại cùng mã sẽ cập nhật đề án, không tạo bản trùng."),
)

BENEFICIARIES = Sheet(
    "beneficiaries",
    _("Cơ sở thụ hưởng"),
    ("co so thu huong", "thu huong", "co so duoc ho tro", "danh sach co so thu huong", "beneficiaries"),
    (
        CODE,
        C("tax_code", _("Mã số thuế"), ("mst", "ma so doanh nghiep", "ma so thue co so")),
        C("personal_id", _("Số định danh chủ hộ"), ("cccd", "so cccd", "so dinh danh")),
        C("facility_name", _("Tên cơ sở"), ("ten", "ten co so cnnt", "ten doanh nghiep", "co so")),
        C("note", _("Nội dung hỗ trợ"), ("noi dung", "noi dung duoc ho tro", "hang muc")),
    ),
    help=_("Cơ sở phải có trong sổ đăng ký cơ sở CNNT của tỉnh (nhập danh sách cơ sở trước)."),
    one_of=(("tax_code", "personal_id", "facility_name"),),
)

SOURCE_COLUMNS = ("kcqg", "kcdp", "counterpart", "other")
COST_PLAN = Sheet(
    "cost_plan",
    _("Kế hoạch kinh phí"),
    ("ke hoach kinh phi", "du toan", "ke hoach von", "kinh phi theo nguon", "du toan kinh phi", "cost plan"),
    (
        CODE,
        C("year", _("Năm"), ("nam ngan sach", "nam ke hoach"), True),
        C("source", _("Nguồn"), ("nguon von", "nguon kinh phi")),
        C("amount", _("Số tiền (đồng)"), ("so tien", "kinh phi", "so tien (vnd)")),
        C("kcqg", _("KCQG"), ("khuyen cong quoc gia", "kinh phi kcqg", "ngan sach trung uong", "nstw")),
        C("kcdp", _("KCĐP"), ("khuyen cong dia phuong", "kinh phi kcdp", "ngan sach dia phuong", "nsdp")),
        C("counterpart", _("Vốn đối ứng"), ("doi ung", "von doi ung cua co so", "co so doi ung")),
        C("other", _("Nguồn khác"), ("khac", "tai tro", "nguon tai tro")),
        C("total", _("Tổng cộng"), ("tong", "cong", "tong so")),
    ),
    help=_(
        "Một dòng mỗi đề án và năm: số tiền theo từng nguồn (KCQG, KCĐP, vốn đối ứng, nguồn khác); hoặc một "
        "dòng mỗi nguồn với cột “Nguồn” và “Số tiền”. Tổng các nguồn phải bằng tổng kinh phí của đề án."
    ),
    one_of=(("amount", "kcqg", "kcdp", "counterpart", "other"),),
)

ALLOCATIONS = Sheet(
    "allocations",
    _("Kinh phí giao"),
    ("kinh phi giao", "phan bo", "giao kinh phi", "phan bo kinh phi", "kinh phi duoc giao", "allocations"),
    (
        CODE,
        C("year", _("Năm"), ("nam ngan sach", "nam giao"), True),
        C("source", _("Nguồn"), ("nguon von", "nguon kinh phi", "cap kinh phi"), True),
        C("amount", _("Số tiền (đồng)"), ("so tien", "kinh phi giao", "so tien giao"), True),
        C("decision_number", _("Số quyết định"), ("so qd", "so quyet dinh giao", "quyet dinh"), True),
        C("decision_date", _("Ngày quyết định"), ("ngay qd", "ngay giao"), True),
    ),
    help=_("Kinh phí nhà nước giao cho đề án theo nguồn (KCQG hoặc KCĐP) và năm, theo quyết định."),
)

MONEY = Sheet(
    "money",
    _("Tạm ứng, thanh toán"),
    (
        "tam ung thanh toan",
        "tam ung, thanh toan, thu hoi",
        "but toan",
        "giai ngan",
        "chi tiet giai ngan",
        "chung tu",
        "money",
    ),
    (
        CODE,
        C("year", _("Năm kinh phí giao"), ("nam", "nam ngan sach", "nam giao")),
        C("source", _("Nguồn"), ("nguon von", "nguon kinh phi"), True),
        C("kind", _("Loại"), ("loai but toan", "noi dung", "loai chung tu", "nghiep vu"), True),
        C("amount", _("Số tiền (đồng)"), ("so tien", "so tien (vnd)"), True),
        C("voucher_number", _("Số chứng từ"), ("so ct", "chung tu", "so chung tu"), True),
        C("voucher_date", _("Ngày chứng từ"), ("ngay ct", "ngay", "ngay chung tu"), True),
        C("note", _("Ghi chú"), ("dien giai",)),
    ),
    help=_("Loại: tạm ứng, thanh toán hoặc thu hồi tạm ứng. Mỗi chứng từ một dòng."),
)

SETTLEMENT = Sheet(
    "settlement",
    _("Quyết toán"),
    ("quyet toan", "quyet toan kinh phi", "settlement"),
    (
        CODE,
        C("source", _("Nguồn"), ("nguon von", "nguon kinh phi"), True),
        C(
            "actual",
            _("Số quyết toán (đồng)"),
            ("so quyet toan", "kinh phi quyet toan", "quyet toan", "so tien"),
            True,
        ),
        C("decision_number", _("Số quyết định quyết toán"), ("so qd", "so quyet dinh", "so bien ban"), True),
        C("decision_date", _("Ngày quyết toán"), ("ngay qd", "ngay quyet dinh"), True),
        C("year", _("Năm ngân sách"), ("nam",)),
    ),
    help=_("Một dòng mỗi đề án và nguồn; chỉ cho đề án đã nghiệm thu hoặc đã quyết toán."),
)

INDICATORS = Sheet(
    "indicators",
    _("Chỉ tiêu"),
    ("chi tieu", "ket qua", "chi tieu ke hoach va thuc hien", "indicators"),
    (
        CODE,
        C("indicator", _("Chỉ tiêu"), ("ten chi tieu", "noi dung chi tieu"), True),
        C("planned", _("Kế hoạch"), ("ke hoach", "du kien", "so ke hoach", "chi tieu ke hoach"), True),
        C("actual", _("Thực hiện"), ("thuc hien", "dat duoc", "ket qua thuc hien", "so thuc hien")),
    ),
    help=_("Một dòng mỗi đề án và chỉ tiêu: kế hoạch khi phê duyệt, thực hiện khi nghiệm thu."),
)

SHEETS: tuple[Sheet, ...] = (PROJECTS, BENEFICIARIES, COST_PLAN, ALLOCATIONS, MONEY, SETTLEMENT, INDICATORS)
GUIDE_TITLE = _("Hướng dẫn")


def sheet_for(name: str) -> Sheet | None:
    """The sheet a workbook's tab name stands for (without diacritics, any case, by synonym)."""
    key = " ".join(fold(name).replace("_", " ").split())
    for sheet in SHEETS:
        if key == fold(str(sheet.title)) or key in sheet.aliases:
            return sheet
    return None


@dataclass
class Problem:
    """A bad cell: where it is and why (Vietnamese)."""

    sheet: str
    row: int
    column: str
    message: str
    breach: bool = False  # a money rule of the time, which a historical mark lets in

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            **({"breach": True} if self.breach else {}),
        }
