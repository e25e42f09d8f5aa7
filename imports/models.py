"""An upload of past projects (one workbook) and the provenance every imported project keeps.

:class:`ProjectImport` is the batch: the stored file, its SHA-256, who uploaded it, the dry run's
errors and breaches, and the progress the Celery task reports (the same bar as report runs).
:class:`ImportedProject` marks a project as "nhập từ dữ liệu cũ": which batch wrote it last and first,
and the money rules it breached when the source documents record the breach ("historical record").
The audit history (pghistory context ``action=history_import``) names the batch and hash as well.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ kiểm tra")
    CHECKING = "checking", _("Đang kiểm tra")
    CHECKED = "checked", _("Đã kiểm tra (chưa ghi)")
    INVALID = "invalid", _("Có lỗi")
    COMMITTING = "committing", _("Đang ghi")
    COMMITTED = "committed", _("Đã nhập")
    FAILED = "failed", _("Không xử lý được")


#: States in which a worker is (or will be) busy with the batch: the page polls its progress.
ACTIVE_STATES = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING)


class ProjectImportQuerySet(ScopedQuerySet):
    province_lookup = "province"


class ProjectImport(models.Model):
    """One uploaded workbook of past projects: checked (dry run) by a worker, then written all at once."""

    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    file = models.FileField(_("tệp"), upload_to="imports/projects/%Y/%m/")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ImportStatus, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lý do lỗi"), blank=True)
    projects_total = models.PositiveIntegerField(_("số đề án"), default=0)
    projects_created = models.PositiveIntegerField(_("số đề án thêm mới"), default=0)
    projects_updated = models.PositiveIntegerField(_("số đề án cập nhật"), default=0)
    money_rows = models.PositiveIntegerField(_("số bút toán"), default=0)
    breaches = models.PositiveIntegerField(_("số vi phạm được ghi nhận"), default=0)
    # Every bad cell: {"sheet", "row", "column", "message"}; warnings carry "warning": true.
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # How the workbook was read: sheets found, header rows, column matches, formulas, former units.
    report = models.JSONField(_("cách đọc tệp"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    checked_at = models.DateTimeField(_("kiểm tra xong lúc"), null=True, blank=True)
    committed_at = models.DateTimeField(_("thời điểm ghi"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi"),
    )

    objects = ProjectImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập đề án cũ")
        verbose_name_plural = _("các lần nhập đề án cũ")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="projectimport_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATES


class ImportedProjectQuerySet(ScopedQuerySet):
    province_lookup = "project__province"


class ImportedProject(models.Model):
    """A project that came from a past-projects workbook (the "nhập từ dữ liệu cũ" badge)."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="import_record", verbose_name=_("đề án")
    )
    first_batch = models.ForeignKey(
        ProjectImport, on_delete=models.PROTECT, related_name="+", verbose_name=_("nhập lần đầu")
    )
    batch = models.ForeignKey(
        ProjectImport, on_delete=models.PROTECT, related_name="projects", verbose_name=_("nhập gần nhất")
    )
    historical_record = models.BooleanField(_("hồ sơ lịch sử"), default=False)
    historical_note = models.TextField(_("căn cứ ghi nhận"), blank=True)
    # Money rules of the time the source documents show were not met (let in by the historical mark).
    breaches = models.JSONField(_("vi phạm được ghi nhận"), default=list, blank=True)
    flagged = models.BooleanField(_("có vi phạm được ghi nhận"), default=False, db_index=True)

    objects = ImportedProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề án nhập từ dữ liệu cũ")
        verbose_name_plural = _("đề án nhập từ dữ liệu cũ")
        ordering = ["-batch_id", "project_id"]

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.batch_id}"


class ImportedEnvelope(models.Model):
    """A budget envelope (dự toán) the import created for a past year, so a later import may grow it."""

    envelope = models.OneToOneField("funding.BudgetEnvelope", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(ProjectImport, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.envelope_id} ← {self.batch_id}"
