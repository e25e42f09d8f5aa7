"""The project's enumerations that the workflow and the other apps share (no model imports here,
so ``projects.workflow`` can derive its facts from them and ``projects.models`` can import those)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingLevel(models.TextChoices):
    """Who pays the state share: the national programme (KCQG) or the province (KCĐP)."""

    KCQG = "kcqg", _("Khuyến công quốc gia (KCQG)")
    KCDP = "kcdp", _("Khuyến công địa phương (KCĐP)")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã đăng ký")
    RETURNED = "returned", _("Trả lại để chỉnh sửa")
    APPRAISED = "appraised", _("Đã thẩm định")
    APPROVED = "approved", _("Đã phê duyệt")
    CONTRACTED = "contracted", _("Đã ký hợp đồng")
    IN_PROGRESS = "in_progress", _("Đang triển khai")
    ACCEPTED = "accepted", _("Đã nghiệm thu")
    SETTLED = "settled", _("Đã quyết toán")
    REJECTED = "rejected", _("Không phê duyệt")
    STOPPED = "stopped", _("Ngừng triển khai")


class DocumentType(models.TextChoices):
    SUBMISSION = "to_trinh", _("Tờ trình, hồ sơ đăng ký")
    APPRAISAL = "tham_dinh", _("Phiếu, biên bản thẩm định")
    DECISION = "quyet_dinh", _("Quyết định")
    CONTRACT = "hop_dong", _("Hợp đồng")
    PROGRESS = "bao_cao_tien_do", _("Báo cáo tiến độ")
    ACCEPTANCE = "bien_ban_nghiem_thu", _("Biên bản nghiệm thu")
    VOUCHER = "chung_tu", _("Chứng từ")
    PHOTO = "anh", _("Ảnh")
    OTHER = "khac", _("Tài liệu khác")
