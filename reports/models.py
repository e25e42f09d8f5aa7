"""Report runs: one row per requested (or scheduled) report, carrying status, progress, error and file.

The Celery task (reports.tasks.generate_report) only ever receives a run's primary key; everything it
needs is on the row, and everything it produces is written back to the row in one place
(reports.services.report_run_execute).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")
    EXPIRED = "expired", _("Đã xoá tệp")


class ReportRunQuerySet(ScopedQuerySet):
    """A run belongs to the province whose data it holds; national runs (no province) are for
    national users only, which ``visible_to`` gives for free (``province = user's province``)."""

    province_lookup = "province"

    def finished(self) -> ReportRunQuerySet:
        return self.filter(status=RunStatus.DONE)


def report_upload_to(instance: ReportRun, filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class ReportRun(models.Model):
    kind = models.CharField(_("loại báo cáo"), max_length=50)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("tỉnh/thành phố"),
        help_text=_("Để trống: báo cáo toàn quốc."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("người yêu cầu"),
    )
    scheduled = models.BooleanField(_("tạo tự động theo lịch"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lý do lỗi"), blank=True)
    file = models.FileField(_("tệp"), upload_to=report_upload_to, max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    idempotency_key = models.CharField(_("khoá chống trùng"), max_length=120, unique=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần tạo báo cáo")
        verbose_name_plural = _("các lần tạo báo cáo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "started_at"], name="reportrun_status_started"),
            models.Index(fields=["province", "-created_at"], name="reportrun_province_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="reportrun_progress_0_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values),
                name="reportrun_status_valid",
                violation_error_message=_("Trạng thái không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="reportrun_done_has_file",
                violation_error_message=_("Báo cáo đã hoàn thành phải có tệp."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    @property
    def report(self):  # type: ignore[no-untyped-def]
        from .registry import get_report

        return get_report(self.kind)

    @property
    def title(self) -> str:
        report = self.report
        return str(report.title) if report else self.kind

    @property
    def description(self) -> str:
        """The parameters in words (year range, province, funding level…)."""
        report = self.report
        return report.describe(self.parameters) if report else ""

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def duration(self):  # type: ignore[no-untyped-def]
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
