"""What a paper says about a project: one flat vocabulary of placeholders shared by every template
(so an uploaded template can be checked for names the portal does not fill)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.money import format_vnd
from core.numwords import vnd_in_words

from .models import PaperKind

#: Every placeholder a template may use, with what it holds (shown to admins).
PLACEHOLDERS: dict[str, str] = {
    "co_quan_chu_quan": "Cơ quan chủ quản (dòng trên của tên cơ quan ban hành)",
    "co_quan_ban_hanh": "Cơ quan ban hành văn bản",
    "tham_quyen": "Thẩm quyền ban hành quyết định, ví dụ ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
    "so_ky_hieu": "Số và ký hiệu văn bản, ví dụ 125/QĐ-UBND",
    "dia_danh": "Địa danh, ví dụ Phú Thọ",
    "ngay_thang": "Địa danh và ngày tháng năm theo Nghị định 30",
    "ma_de_an": "Mã đề án",
    "ten_de_an": "Tên đề án",
    "tinh": "Tỉnh/thành phố quản lý",
    "nam_thuc_hien": "Thời gian thực hiện (năm)",
    "noi_dung_hoat_dong": "Nội dung hoạt động khuyến công",
    "cap_kinh_phi": "Khuyến công quốc gia / địa phương",
    "co_quan_quan_ly": "Cơ quan quản lý đề án",
    "don_vi_thuc_hien": "Đơn vị thực hiện",
    "muc_tieu": "Mục tiêu, nội dung chính",
    "dia_ban": "Địa bàn thực hiện",
    "kinh_phi": "Tổng kinh phí (số)",
    "kinh_phi_bang_chu": "Tổng kinh phí bằng chữ",
    "so_quyet_dinh_phe_duyet": "Số quyết định phê duyệt",
    "ngay_quyet_dinh_phe_duyet": "Ngày quyết định phê duyệt",
    "nguoi_ky": "Người ký",
    "chuc_vu_ky": "Chức vụ người ký",
    "so_hop_dong": "Số hợp đồng",
    "ngay_hop_dong": "Ngày ký hợp đồng",
    "so_bien_ban_nghiem_thu": "Số biên bản nghiệm thu",
    "ngay_nghiem_thu": "Ngày nghiệm thu",
    "kinh_phi_giao": "Kinh phí nhà nước đã giao (số)",
    "kinh_phi_giao_bang_chu": "Kinh phí đã giao bằng chữ",
    "da_giai_ngan": "Kinh phí đã giải ngân (số)",
    "da_giai_ngan_bang_chu": "Kinh phí đã giải ngân bằng chữ",
    "quyet_toan": "Kinh phí quyết toán (số)",
    "quyet_toan_bang_chu": "Kinh phí quyết toán bằng chữ",
    "co_so_thu_huong": "Danh sách cơ sở thụ hưởng (ten, dia_chi)",
    "chi_tieu": "Danh sách chỉ tiêu (ten, ke_hoach, thuc_hien)",
    "nguon_kinh_phi": "Kinh phí theo nguồn (nguon, ke_hoach, quyet_toan)",
}


def decree_date(place: str, day: dt.date | None) -> str:
    """``Phú Thọ, ngày 05 tháng 02 năm 2026``: days below 10 and months 1–2 take a leading zero
    (Decree 30/2020, Appendix I); an unknown date leaves dots to fill by hand."""
    if day is None:
        return f"{place}, ngày … tháng … năm {timezone.localdate().year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _money(amount: int) -> tuple[str, str]:
    return format_vnd(amount).replace(" ₫", "").replace("₫", "").strip(), vnd_in_words(amount)


def paper_context(project: Any, kind: str) -> dict[str, Any]:
    """The values of every placeholder for ``project`` (kind-specific number, date and signer)."""
    from funding.models import Allocation, Settlement
    from projects.models import FundingLevel, ProjectTransition

    province = project.province
    place = province.short_name
    national = project.funding_level == FundingLevel.KCQG
    steps = {t.action: t for t in ProjectTransition.objects.filter(project=project).order_by("at")}
    contract, accept = steps.get("contract"), steps.get("accept")
    allocations = list(Allocation.objects.filter(project=project))
    allocated = sum(a.amount for a in allocations)
    disbursed = sum(a.disbursed for a in allocations)
    settlement = Settlement.objects.filter(project=project).prefetch_related("lines").first()
    settled = sum(line.actual for line in settlement.lines.all()) if settlement else 0
    total, total_words = _money(project.total_cost)
    numbers = {
        PaperKind.DECISION: (project.decision_number, project.decision_date),
        PaperKind.CONTRACT: (
            contract.decision_number if contract else "",
            contract.decision_date if contract else None,
        ),
        PaperKind.ACCEPTANCE: (
            accept.decision_number if accept else "",
            accept.decision_date if accept else None,
        ),
        PaperKind.LIQUIDATION: ("", None),
        PaperKind.SETTLEMENT: (
            settlement.decision_number if settlement else "",
            settlement.decision_date if settlement else None,
        ),
    }
    number, day = numbers[PaperKind(kind)]
    symbol = {
        "quyet_dinh": "QĐ",
        "hop_dong": "HĐ",
        "nghiem_thu": "BB-NT",
        "thanh_ly": "BB-TL",
        "quyet_toan": "BC",
    }[kind]
    issuer = "UBND" if kind == PaperKind.DECISION and not national else "SCT"
    return {
        "co_quan_chu_quan": "BỘ CÔNG THƯƠNG" if national else f"UBND {province.name.upper()}",
        "co_quan_ban_hanh": (
            "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG"
            if national
            else ("ỦY BAN NHÂN DÂN" if kind == PaperKind.DECISION else "SỞ CÔNG THƯƠNG")
        ),
        "tham_quyen": "BỘ TRƯỞNG BỘ CÔNG THƯƠNG" if national else f"ỦY BAN NHÂN DÂN {province.name.upper()}",
        "so_ky_hieu": number or f"     /{symbol}-{issuer}",
        "dia_danh": place,
        "ngay_thang": decree_date(place, day),
        "ma_de_an": project.code,
        "ten_de_an": project.title,
        "tinh": province.name,
        "nam_thuc_hien": project.years_label,
        "noi_dung_hoat_dong": project.category.name,
        "cap_kinh_phi": project.get_funding_level_display(),
        "co_quan_quan_ly": str(project.managing_organisation),
        "don_vi_thuc_hien": project.implementing_unit_label,
        "muc_tieu": project.objectives,
        "dia_ban": ", ".join(c.name for c in project.communes.all()),
        "kinh_phi": total,
        "kinh_phi_bang_chu": total_words,
        "so_quyet_dinh_phe_duyet": project.decision_number or "…",
        "ngay_quyet_dinh_phe_duyet": project.decision_date.strftime("%d/%m/%Y")
        if project.decision_date
        else "…",
        "nguoi_ky": project.decision_signer or "",
        "chuc_vu_ky": "CHỦ TỊCH" if kind == PaperKind.DECISION and not national else "GIÁM ĐỐC",
        "so_hop_dong": contract.decision_number if contract else "…",
        "ngay_hop_dong": contract.decision_date.strftime("%d/%m/%Y")
        if contract and contract.decision_date
        else "…",
        "so_bien_ban_nghiem_thu": accept.decision_number if accept else "…",
        "ngay_nghiem_thu": accept.decision_date.strftime("%d/%m/%Y")
        if accept and accept.decision_date
        else "…",
        "kinh_phi_giao": _money(allocated)[0],
        "kinh_phi_giao_bang_chu": _money(allocated)[1],
        "da_giai_ngan": _money(disbursed)[0],
        "da_giai_ngan_bang_chu": _money(disbursed)[1],
        "quyet_toan": _money(settled)[0],
        "quyet_toan_bang_chu": _money(settled)[1],
        "co_so_thu_huong": [
            {"ten": b.facility.name, "dia_chi": str(b.facility.commune)}
            for b in project.beneficiaries.select_related("facility__commune")
        ],
        "chi_tieu": [
            {
                "ten": str(i.get_kind_display()),
                "ke_hoach": f"{i.planned:,}".replace(",", "."),
                "thuc_hien": "" if i.actual is None else f"{i.actual:,}".replace(",", "."),
            }
            for i in project.indicators.order_by("kind")
        ],
        "nguon_kinh_phi": [
            {
                "nguon": line.get_source_display(),
                "ke_hoach": _money(line.planned)[0],
                "quyet_toan": _money(line.actual)[0],
            }
            for line in (settlement.lines.all() if settlement else [])
        ],
    }
