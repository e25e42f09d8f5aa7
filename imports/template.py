"""The downloadable workbook: one sheet per part of a project's history, an example row on each
(code VD-MAU-001, never imported) and a "Hướng dẫn" sheet explaining every column in Vietnamese."""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from projects.models import ActivityCategory

from .checking import IMPORT_STATES
from .spec import EXAMPLE_CODE, GUIDE_TITLE, SHEETS, Sheet

_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "projects": [
        {
            "code": EXAMPLE_CODE, "title": "Hỗ trợ máy móc chế biến chè cho HTX chè Hợp Thành",
            "start_year": 2022, "end_year": 2022, "category": "ND45-03", "kind": "thường",
            "funding_level": "KCĐP", "communes": "Xã Cư Yên", "legacy_district": "Huyện Lương Sơn",
            "legacy_province": "Tỉnh Hòa Bình", "implementing_unit": "Trung tâm Khuyến công tỉnh Hòa Bình",
            "decision_number": "125/QĐ-SCT", "decision_date": "15/03/2022", "decision_signer": "Nguyễn Văn A",
            "total_cost": 600000000, "status": "Đã quyết toán", "contract_number": "12/HĐ-KC",
            "contract_date": "01/04/2022", "acceptance_date": "20/11/2022", "historical": "không",
        }
    ],
    "beneficiaries": [{"code": EXAMPLE_CODE, "tax_code": "0100109106", "note": "Máy sao chè"}],
    "cost_plan": [
        {"code": EXAMPLE_CODE, "year": 2022, "kcdp": 180000000, "counterpart": 420000000, "total": 600000000}
    ],
    "allocations": [
        {"code": EXAMPLE_CODE, "year": 2022, "source": "KCĐP", "amount": 180000000,
         "decision_number": "130/QĐ-SCT", "decision_date": "20/03/2022"}
    ],
    "money": [
        {"code": EXAMPLE_CODE, "year": 2022, "source": "KCĐP", "kind": "tạm ứng", "amount": 120000000,
         "voucher_number": "UNC 015", "voucher_date": "10/04/2022"},
        {"code": EXAMPLE_CODE, "year": 2022, "source": "KCĐP", "kind": "thanh toán", "amount": 60000000,
         "voucher_number": "UNC 102", "voucher_date": "05/12/2022"},
    ],
    "settlement": [
        {"code": EXAMPLE_CODE, "source": "KCĐP", "actual": 180000000, "decision_number": "05/QĐ-SCT",
         "decision_date": "15/01/2023", "year": 2022},
        {"code": EXAMPLE_CODE, "source": "Vốn đối ứng", "actual": 420000000, "decision_number": "05/QĐ-SCT",
         "decision_date": "15/01/2023", "year": 2022},
    ],
    "indicators": [
        {"code": EXAMPLE_CODE, "indicator": "Số máy móc, thiết bị hỗ trợ", "planned": 2, "actual": 2}
    ],
}  # fmt: skip

_COLUMN_HELP: dict[str, Any] = {
    "code": _lazy(
        "Mã đề án trong hồ sơ (ví dụ HBH-2021-005). Là khóa: nhập lại cùng mã sẽ cập nhật, "
        "không tạo bản trùng."
    ),
    "category": _lazy("Mã nội dung (ND45-01 … ND45-09) hoặc tên nội dung hoạt động khuyến công."),
    "kind": _lazy("thường, điểm hoặc nhóm (để trống: thường)."),
    "funding_level": _lazy("KCQG (khuyến công quốc gia) hoặc KCĐP (khuyến công địa phương)."),
    "communes": _lazy(
        "Xã thực hiện, cách nhau bởi dấu chấm phẩy; ghi tên xã hiện nay hoặc tên xã cũ (trước 1/7/2025)."
    ),
    "legacy_district": _lazy("Huyện trước 1/7/2025 (không bắt buộc), dùng để lọc theo đơn vị hành chính cũ."),
    "legacy_province": _lazy("Tỉnh trước 1/7/2025, ví dụ Tỉnh Hòa Bình (không bắt buộc)."),
    "decision_date": _lazy(
        "Ngày quyết định phê duyệt (ngày/tháng/năm). Mức hỗ trợ tối đa được kiểm tra theo quy định có "
        "hiệu lực ngày này."
    ),
    "total_cost": _lazy("Tổng kinh phí (đồng). Phải bằng tổng kế hoạch kinh phí các nguồn."),
    "status": _lazy("Đề án đã đến bước nào (xem danh sách trạng thái ở trên)."),
    "historical": _lazy(
        "Ghi “có” nếu hồ sơ gốc ghi nhận đề án không đúng một quy định về kinh phí thời đó (vượt mức hỗ "
        "trợ, tạm ứng vượt mức…): đề án vẫn được nhập, được đánh dấu và liệt kê trong báo cáo."
    ),
    "historical_note": _lazy("Căn cứ ghi nhận (số văn bản, biên bản kiểm tra…)."),
    "kind@money": _lazy("tạm ứng, thanh toán hoặc thu hồi tạm ứng."),
    "source": _lazy("KCQG, KCĐP, vốn đối ứng hoặc nguồn khác."),
    "year@money": _lazy(
        "Năm của kinh phí giao mà chứng từ chi từ đó (để trống nếu đề án chỉ có một lần giao nguồn này)."
    ),
    "indicator": _lazy("Tên chỉ tiêu, ví dụ Số học viên được đào tạo, Số máy móc, thiết bị hỗ trợ."),
}


def write_template(target: IO[bytes]) -> None:
    """Write the template workbook to ``target``."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    example = book.add_format({"italic": True, "font_color": "#7F7F7F"})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    guide = book.add_worksheet(str(GUIDE_TITLE)[:31])
    for sheet in SHEETS:
        _sheet(book, sheet, head, required, example)
    guide.set_column(0, 0, 28)
    guide.set_column(1, 1, 30)
    guide.set_column(2, 2, 100)
    lines: list[tuple[str, str, str]] = [
        (_("NHẬP ĐỀ ÁN KHUYẾN CÔNG ĐÃ THỰC HIỆN (DỮ LIỆU CŨ)"), "", ""),
        (
            "",
            "",
            _("Mỗi trang tính là một phần hồ sơ; chỉ trang “Đề án” là bắt buộc. Cột có dấu * là bắt buộc."),
        ),
        (
            "",
            "",
            _("Dòng ví dụ (mã %(c)s) không bao giờ được nhập; có thể xóa hoặc để nguyên.")
            % {"c": EXAMPLE_CODE},
        ),
        (
            "",
            "",
            _(
                "Có thể giữ dòng tiêu đề, ô gộp, tên cột không dấu hoặc viết tắt, công thức (lấy giá "
                "trị đã tính), ngày ghi dạng văn bản ngày/tháng/năm."
            ),
        ),
        (
            "",
            "",
            _(
                "Tải lên chỉ để kiểm tra: mọi ô lỗi được liệt kê theo trang, dòng, cột. Chỉ khi bấm "
                "“Ghi” tất cả đề án mới được ghi cùng lúc, hoặc không đề án nào."
            ),
        ),
        (
            "",
            "",
            _(
                "Quy định về kinh phí được kiểm tra theo quy định có hiệu lực vào ngày quyết định "
                "của từng đề án: mức hỗ trợ tối đa, mức tạm ứng, tổng các nguồn bằng tổng kinh phí, "
                "kinh phí giao không vượt kế hoạch, chi không vượt kinh phí giao."
            ),
        ),
        (
            "",
            "",
            _(
                "Đề án nhập vào ở đúng trạng thái đã ghi, có nhãn “nhập từ dữ liệu cũ”; lịch sử thay "
                "đổi ghi lần nhập, mã SHA-256 của tệp, người nhập và thời điểm."
            ),
        ),
        (
            "",
            "",
            _("Nội dung hoạt động: ")
            + "; ".join(
                f"{c.code} {c.short_name}" for c in ActivityCategory.objects.order_by("position", "code")
            ),
        ),
        ("", "", ""),
        ("", "", _("Trạng thái: %(states)s.") % {"states": ", ".join(str(st.label) for st in IMPORT_STATES)}),
        ("", "", ""),
        (_("Trang tính"), _("Cột"), _("Cách ghi")),
    ]
    for sheet in SHEETS:
        lines.append((str(sheet.title), "", str(sheet.help)))
        for column in sheet.columns:
            text = _COLUMN_HELP.get(f"{column.key}@{sheet.key}") or _COLUMN_HELP.get(column.key, "")
            label = f"{column.label}*" if column.required else str(column.label)
            lines.append(("", label, str(text)))
    for row, (a, b, c) in enumerate(lines):
        guide.write_string(row, 0, a, bold)
        guide.write_string(row, 1, b, bold if a == str(_("Trang tính")) else None)
        guide.write_string(row, 2, c, wrap)
    book.close()


def _sheet(book: Any, sheet: Sheet, head: Any, required: Any, example: Any) -> None:
    ws = book.add_worksheet(str(sheet.title)[:31])
    columns = [c for c in sheet.columns if not (sheet.key == "cost_plan" and c.key in ("source", "amount"))]
    for index, column in enumerate(columns):
        ws.set_column(index, index, 24 if column.key in ("title", "implementing_unit", "communes") else 16)
        label = f"{column.label}*" if column.required else str(column.label)
        ws.write_string(0, index, label, required if column.required else head)
    for row, values in enumerate(_EXAMPLES.get(sheet.key, []), start=1):
        for index, column in enumerate(columns):
            value = values.get(column.key)
            if isinstance(value, int):
                ws.write_number(row, index, value, example)
            elif value:
                ws.write_string(row, index, str(value), example)
    ws.freeze_panes(1, 0)
