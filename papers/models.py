"""Paper templates replaced per province, generated papers (docx + PDF) and signature checks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaperKind(models.TextChoices):
    DECISION = "quyet_dinh", _("Quyết định phê duyệt đề án")
    CONTRACT = "hop_dong", _("Hợp đồng thực hiện đề án")
    ACCEPTANCE = "nghiem_thu", _("Biên bản nghiệm thu")
    LIQUIDATION = "thanh_ly", _("Biên bản thanh lý hợp đồng")
    SETTLEMENT = "quyet_toan", _("Báo cáo quyết toán")


def template_path(instance: PaperTemplate, filename: str) -> str:
    return f"papers/templates/{instance.province_id}/{instance.kind}-{uuid.uuid4().hex[:10]}.docx"


class PaperTemplate(models.Model):
    """A province's own .docx for one kind of paper (checked for unknown placeholders on upload)."""

    province = models.ForeignKey(
        "regions.Province", on_delete=models.CASCADE, verbose_name=_("tỉnh/thành phố")
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=PaperKind)
    file = models.FileField(_("tệp mẫu (.docx)"), upload_to=template_path, max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu văn bản của tỉnh")
        verbose_name_plural = _("mẫu văn bản của tỉnh")
        constraints = [models.UniqueConstraint(fields=["province", "kind"], name="papertemplate_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.province}"


class PaperStatus(models.TextChoices):
    PENDING = "pending", _("Đang tạo PDF")
    DONE = "done", _("Đã tạo")
    FAILED = "failed", _("Lỗi")


def paper_path(instance: GeneratedPaper, filename: str) -> str:
    return f"papers/{instance.project_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class GeneratedPaperQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> GeneratedPaperQuerySet:
        from projects.models import Project

        return self.filter(project__in=Project.objects.visible_to(user))


class GeneratedPaper(models.Model):
    """A paper generated for a project: the .docx, and its PDF rendered by LibreOffice in the worker."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=PaperKind)
    docx = models.FileField(upload_to=paper_path, max_length=255)
    pdf = models.FileField(upload_to=paper_path, max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PaperStatus, default=PaperStatus.PENDING
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GeneratedPaperQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đã tạo")
        verbose_name_plural = _("văn bản đã tạo")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.project_id}"


class SignatureStatus(models.TextChoices):
    UNSIGNED = "unsigned", _("Không có chữ ký số")
    VALID = "valid", _("Chữ ký số toàn vẹn")
    MODIFIED = "modified", _("Đã bị sửa sau khi ký")
    INVALID = "invalid", _("Chữ ký số không hợp lệ")
    BROKEN = "broken", _("Không đọc được tệp PDF")


class DocumentSignature(models.Model):
    """What pyHanko found in an uploaded PDF: who signed, when, and whether it changed since."""

    document = models.OneToOneField(
        "projects.ProjectDocument", on_delete=models.CASCADE, related_name="signature"
    )
    status = models.CharField(_("kết quả"), max_length=10, choices=SignatureStatus)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    modified_after_signing = models.BooleanField(_("sửa sau khi ký"), default=False)
    trusted = models.BooleanField(_("chứng thư tin cậy"), default=False)
    detail = models.TextField(_("chi tiết"), blank=True)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kiểm tra chữ ký số")
        verbose_name_plural = _("kiểm tra chữ ký số")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.status}"
