"""Fixtures of the projects tests: facilities, a draft project, PDFs to upload."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from tests.factories import activity_category, commune_of, project_facility

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def facilities_a(province_a):
    return [
        project_facility(province_a, "Hợp tác xã chè Long Cốc"),
        project_facility(province_a, "Hộ kinh doanh mây tre đan Bùi Văn Tâm"),
    ]


@pytest.fixture
def draft(staff_a, province_a, facilities_a):
    """A draft project of province A with two beneficiaries, ready to submit."""
    return services.project_create(
        user=staff_a,
        title="Hỗ trợ máy sao chè cho hợp tác xã Long Cốc",
        start_year=2026,
        end_year=2026,
        funding_level="kcdp",
        category=activity_category("ND45-03"),
        implementing_unit_name="Trung tâm Khuyến công Phú Thọ",
        communes=[commune_of(province_a, "xã")],
        total_cost=450_000_000,
        facilities=facilities_a,
    )


TODAY = datetime.date(2026, 3, 2)

# What each transition of the happy path needs (the service keyword arguments).
STEP_INPUT: dict[str, Callable[[], dict[str, Any]]] = {
    "submit": dict,
    "appraise": lambda: {"appraisal_score": 85, "appraisal_recommendation": "Đề nghị phê duyệt."},
    "approve": lambda: {
        "decision_number": "125/QĐ-SCT",
        "decision_date": TODAY,
        "decision_signer": "Nguyễn Văn Hùng",
        "upload": pdf(),
    },
    "contract": lambda: {"decision_number": "18/2026/HĐ-KC", "decision_date": TODAY, "upload": pdf("hd.pdf")},
    "start": dict,
    "accept": lambda: {
        "decision_number": "05/BB-NT",
        "decision_date": TODAY,
        "upload": pdf("bb.pdf"),
        "actual_indicators": {},
    },
    "settle": lambda: {"decision_number": "09/QĐ-QT", "decision_date": TODAY},
    "return": lambda: {"comment": "Bổ sung dự toán chi tiết."},
    "reject": lambda: {"comment": "Không phù hợp kế hoạch năm."},
    "stop": lambda: {
        "decision_number": "30/QĐ-SCT",
        "decision_date": TODAY,
        "comment": "Cơ sở ngừng sản xuất.",
    },
}
