"""Demo đề án for ``manage.py seed_demo``: Phú Thọ (with the former Hòa Bình and Vĩnh Phúc) over
2021–2026 in every state, and a few in Hà Nội. Idempotent: a project whose title exists is skipped.

Each project goes through the real services, so its transition log, versions and audit trail are
what a user would have produced.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from regions.models import Commune, Province

from . import services
from .models import ActivityCategory, Project

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"

# name, commune, kind
FACILITIES_PHUTHO = [
    ("Hợp tác xã Dệt thổ cẩm Mai Châu", "Xã Mai Châu", "htx"),
    ("Hộ kinh doanh Mây tre đan Bùi Văn Thắng", "Xã Lạc Sơn", "ho_kinh_doanh"),
    ("Công ty TNHH Chế biến nông sản Cao Phong", "Xã Cao Phong", "dnnvv"),
    ("Hợp tác xã Rượu cần Mường Bi", "Xã Mường Bi", "htx"),
    ("Hộ kinh doanh Mộc mỹ nghệ Kim Bôi", "Xã Kim Bôi", "ho_kinh_doanh"),
    ("Hợp tác xã Miến dong Tân Lạc", "Xã Tân Lạc", "htx"),
    ("Công ty TNHH Gốm Lương Sơn", "Xã Lương Sơn", "dnnvv"),
    ("Hợp tác xã Chè Thượng Cốc", "Xã Thượng Cốc", "htx"),
    ("Tổ hợp tác Thêu dệt Đà Bắc", "Xã Đà Bắc", "to_hop_tac"),
    ("Hợp tác xã Gốm Hương Canh", "Xã Bình Xuyên", "htx"),
    ("Hộ kinh doanh Chế biến chè Tam Dương", "Xã Tam Dương", "ho_kinh_doanh"),
]
FACILITIES_HANOI = [
    ("Hợp tác xã Gốm sứ Bát Tràng", "Xã Bát Tràng", "htx"),
    ("Hộ kinh doanh Mây tre giang đan Chương Mỹ", "Xã Chương Dương", "ho_kinh_doanh"),
    ("Công ty TNHH Mỹ nghệ Ba Vì", "Xã Ba Vì", "dnnvv"),
]

TRAINING = {"trainees": 35, "trainees_female": 28, "trainees_ethnic": 24, "courses": 1}
MACHINE = {"machines": 2, "facilities_supported": 1, "jobs_created": 8}
FAIR = {"fair_booths": 12, "facilities_supported": 12}

# title, start, end, level, category, extra, kind, key, selection, communes, facilities (indexes), cost,
# target state, planned indicators
PHUTHO: list[tuple[Any, ...]] = [
    ("Tham gia Hội chợ Công thương vùng Tây Bắc 2021", 2021, 2021, "kcdp", "ND45-04", [], "thuong", False,
     "dau_thau", ["Xã Mai Châu"], [0, 1, 3], 280_000_000, "settled", FAIR),
    ("Đào tạo nghề dệt thổ cẩm cho lao động nữ dân tộc Thái xã Mai Châu", 2021, 2021, "kcdp", "ND45-01", [],
     "thuong", True, "xet_chon", ["Xã Mai Châu"], [0], 185_000_000, "settled", TRAINING),
    ("Hỗ trợ ứng dụng máy sấy cam cho Công ty TNHH Chế biến nông sản Cao Phong", 2022, 2022, "kcdp",
     "ND45-03", [], "thuong", False, "xet_chon", ["Xã Cao Phong"], [2], 420_000_000, "settled", MACHINE),
    ("Mô hình trình diễn kỹ thuật sản xuất miến dong Tân Lạc", 2022, 2023, "kcqg", "ND45-03", [], "thuong",
     True, "xet_chon", ["Xã Tân Lạc"], [5], 1_250_000_000, "settled",
     {"demo_models": 1, "machines": 4, "facilities_supported": 1, "jobs_created": 20}),
    ("Tổ chức Hội chợ hàng công nghiệp nông thôn tiêu biểu tỉnh Hòa Bình 2023", 2023, 2023, "kcdp",
     "ND45-04", [], "thuong", True, "dau_thau", ["Phường Hòa Bình"], [0, 1, 4, 5, 7], 650_000_000, "settled",
     {"fair_booths": 80, "facilities_supported": 60, "products_recognised": 0}),
    ("Hỗ trợ máy cắt, chẻ nan tre cho hộ kinh doanh mây tre đan Lạc Sơn", 2023, 2023, "kcdp", "ND45-03", [],
     "thuong", False, "xet_chon", ["Xã Lạc Sơn"], [1], 160_000_000, "accepted", MACHINE),
    ("Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh 2024", 2024, 2024, "kcdp", "ND45-04", [],
     "thuong", False, "xet_chon", ["Phường Hòa Bình"], [0, 2, 3, 5], 210_000_000, "accepted",
     {"products_recognised": 18, "facilities_supported": 15}),
    ("Đào tạo nâng cao tay nghề gốm cho lao động Công ty TNHH Gốm Lương Sơn", 2024, 2024, "kcdp", "ND45-01",
     [], "thuong", False, "xet_chon", ["Xã Lương Sơn"], [6], 140_000_000, "in_progress", TRAINING),
    ("Đề án điểm phát triển nghề dệt thổ cẩm gắn với du lịch cộng đồng Mai Châu – Đà Bắc", 2025, 2026,
     "kcqg", "ND45-03", ["ND45-01", "ND45-04"], "diem", True, "xet_chon", ["Xã Mai Châu", "Xã Đà Bắc"],
     [0, 8], 2_400_000_000, "in_progress", {"demo_models": 2, "trainees": 60, "trainees_female": 55,
                                    "trainees_ethnic": 58, "courses": 2, "facilities_supported": 2}),
    ("Hỗ trợ dây chuyền chế biến chè xanh cho Hợp tác xã Chè Thượng Cốc", 2025, 2025, "kcdp", "ND45-03", [],
     "thuong", False, "xet_chon", ["Xã Thượng Cốc"], [7], 480_000_000, "contracted",
     {"tech_lines": 1, "facilities_supported": 1, "jobs_created": 12}),
    ("Hỗ trợ chuyển đổi số, bán hàng trực tuyến cho cơ sở công nghiệp nông thôn", 2026, 2026, "kcdp",
     "ND235-CDS", [], "nhom", False, "xet_chon", ["Phường Hòa Bình", "Xã Bình Xuyên"], [], 300_000_000,
     "approved", {"facilities_supported": 20}),
    ("Tham gia Hội chợ triển lãm hàng thủ công mỹ nghệ Hà Nội 2026", 2026, 2026, "kcdp", "ND45-04", [],
     "thuong", False, "dau_thau", ["Xã Mai Châu", "Xã Bình Xuyên"], [0, 9], 240_000_000, "appraised", FAIR),
    ("Hỗ trợ lò nung gốm tiết kiệm năng lượng cho Hợp tác xã Gốm Hương Canh", 2026, 2026, "kcdp", "ND45-03",
     [], "thuong", True, "xet_chon", ["Xã Bình Xuyên"], [9], 520_000_000, "submitted", MACHINE),
    ("Hỗ trợ máy vò, sấy chè cho hộ kinh doanh Tam Dương", 2026, 2026, "kcdp", "ND45-03", [], "thuong",
     False, "xet_chon", ["Xã Tam Dương"], [10, 9], 260_000_000, "returned", MACHINE),
    ("Đào tạo truyền nghề mây tre đan cho lao động xã Lạc Sơn", 2026, 2026, "kcdp", "ND45-01", [], "thuong",
     False, "xet_chon", ["Xã Lạc Sơn"], [1], 120_000_000, "draft", TRAINING),
    ("Hỗ trợ thiết bị đóng gói rượu cần Mường Bi", 2025, 2025, "kcdp", "ND45-03", [], "thuong", False,
     "xet_chon", ["Xã Mường Bi"], [3], 190_000_000, "rejected", MACHINE),
]  # fmt: skip

HANOI: list[tuple[Any, ...]] = [
    ("Hỗ trợ lò nung gas cho Hợp tác xã Gốm sứ Bát Tràng", 2025, 2025, "kcdp", "ND45-03", [], "thuong", True,
     "xet_chon", ["Xã Bát Tràng"], [0], 450_000_000, "accepted", MACHINE),
    ("Đào tạo nghề mây tre giang đan xuất khẩu Chương Mỹ", 2026, 2026, "kcdp", "ND45-01", [], "thuong",
     False, "xet_chon", ["Xã Chương Dương"], [1], 150_000_000, "submitted", TRAINING),
    ("Tham gia Hội chợ quà tặng thủ công mỹ nghệ Hà Nội 2026", 2026, 2026, "kcqg", "ND45-04", [], "thuong",
     False, "dau_thau", ["Xã Ba Vì", "Xã Bát Tràng"], [0, 2], 320_000_000, "approved", FAIR),
]  # fmt: skip

PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "appraised": ["submit", "appraise"],
    "rejected": ["submit", "reject"],
    "approved": ["submit", "appraise", "approve"],
    "contracted": ["submit", "appraise", "approve", "contract"],
    "in_progress": ["submit", "appraise", "approve", "contract", "start"],
    "accepted": ["submit", "appraise", "approve", "contract", "start", "accept"],
    "settled": ["submit", "appraise", "approve", "contract", "start", "accept", "settle"],
}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _commune(province: Province, name: str) -> Commune:
    found = Commune.objects.filter(province=province, name=name).first()
    commune = found or Commune.objects.filter(province=province, kind="xã").order_by("code").first()
    if commune is None:
        raise LookupError(f"{province}: no commune to seed the demo with")
    return commune


def _facilities(province: Province, specs: list[tuple[str, str, str]]) -> list[Any]:
    from beneficiaries.models import Facility

    result = []
    for name, commune_name, kind in specs:
        facility = Facility.objects.filter(province=province, name=name).first()
        if facility is None:
            commune = _commune(province, commune_name)
            facility = Facility.objects.create(
                name=name, kind=kind, commune=commune, province=province, workers_total=12, workers_female=8
            )
        result.append(facility)
    return result


def _step_kwargs(action: str, year: int, n: int) -> dict[str, Any]:
    day = min(datetime.date(year, 3, 10 + n % 15), datetime.date.today())
    later = min(datetime.date(year, 11, 5 + n % 20), datetime.date.today())
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "submit": lambda: {"comment": "Kính trình lãnh đạo Sở xem xét."},
        "return": lambda: {"comment": "Bổ sung báo giá thiết bị và đơn đề nghị của cơ sở."},
        "reject": lambda: {"comment": "Cơ sở đã được hỗ trợ thiết bị tương tự từ nguồn vốn khác."},
        "appraise": lambda: {
            "appraisal_score": 78 + n % 17,
            "appraisal_recommendation": "Đủ điều kiện, đề nghị phê duyệt.",
        },
        "approve": lambda: {
            "decision_number": f"{100 + n}/QĐ-SCT",
            "decision_date": day,
            "decision_signer": "Trần Văn Minh",
            "upload": _pdf(f"qd-phe-duyet-{100 + n}.pdf"),
        },
        "contract": lambda: {
            "decision_number": f"{n:02d}/{year}/HĐ-KC",
            "decision_date": day,
            "upload": _pdf("hop-dong.pdf"),
        },
        "start": dict,
        "accept": lambda: {
            "decision_number": f"{n:02d}/BB-NT",
            "decision_date": later,
            "upload": _pdf("bien-ban-nghiem-thu.pdf"),
        },
        "settle": lambda: {"decision_number": f"{200 + n}/QĐ-SCT", "decision_date": later},
    }
    return steps[action]()


def _seed_province(
    province: Province,
    specs: list[tuple[Any, ...]],
    facilities: list[Any],
    staff: Any,
    manager: Any,
    centre: Any,
    out: Any,
) -> int:
    created = 0
    for n, spec in enumerate(specs, 1):
        (
            title,
            start,
            end,
            level,
            cat,
            extra,
            kind,
            key,
            selection,
            communes,
            fac_idx,
            cost,
            target,
            indicators,
        ) = spec
        if Project.objects.filter(province=province, title=title).exists():
            continue
        project = services.project_create(
            user=staff,
            title=title,
            start_year=start,
            end_year=end,
            funding_level=level,
            category=ActivityCategory.objects.get(code=cat),
            extra_categories=list(ActivityCategory.objects.filter(code__in=extra)),
            kind=kind,
            is_key=key,
            selection_method=selection,
            province=province,
            implementing_unit=centre,
            communes=[_commune(province, c) for c in communes],
            objectives=f"{title}: nâng cao năng lực sản xuất, tạo việc làm ổn định cho lao động địa phương.",
            total_cost=cost,
            facilities=[facilities[i] for i in fac_idx],
        )
        services.project_set_planned_indicators(user=staff, project=project, planned=indicators)
        for action in PATHS[target]:
            actor = staff if action in ("submit", "contract", "start") else manager
            kwargs = _step_kwargs(action, start, n)
            if action == "accept":
                kwargs["actual_indicators"] = {k: max(v - (v // 10), 0) for k, v in indicators.items()}
            if action == "approve" and services.double_funding_conflicts(project):
                services.project_acknowledge_double_funding(
                    user=manager, project=project, note="Hỗ trợ hạng mục khác, không trùng chi phí."
                )
            if action == "return":
                project.refresh_from_db()
            services.project_transition(user=actor, project=project, action=action, **kwargs)
            project.refresh_from_db()
            if action == "start" and target == "in_progress":
                services.progress_report_file(
                    user=staff, project=project, period=datetime.date(min(end, 2026), 10, 1), percent_done=45,
                    money_used=cost * 4 // 10, problems="Thiết bị giao chậm hai tuần so với kế hoạch.",
                )  # fmt: skip
        if target == "approved" and kind == "nhom":
            for facility in facilities[:3]:
                services.project_add_beneficiary(user=staff, project=project, facility=facility)
        created += 1
    out.write(f"  Đề án {province.short_name}: {created} mới.")
    return created


def seed(context: dict[str, Any]) -> None:
    """Create the demo projects (skipped when already there)."""
    orgs, users, out = context["organisations"], context["users"], context["stdout"]
    phutho = Province.objects.get(name="Tỉnh Phú Thọ")
    hanoi = Province.objects.get(name="Thành phố Hà Nội")
    _seed_province(
        phutho, PHUTHO, _facilities(phutho, FACILITIES_PHUTHO), users["cv.phutho"], users["ld.phutho"],
        orgs["phutho_centre"], out,
    )  # fmt: skip
    _seed_province(
        hanoi, HANOI, _facilities(hanoi, FACILITIES_HANOI), users["cv.hanoi"], users["ld.hanoi"],
        orgs["hanoi_centre"], out,
    )  # fmt: skip
