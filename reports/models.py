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
    status = models.CharField(_("trạng thái"), max_length=10, choices=RunStatus, default=RunStatus.QUEUED)
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
    #: The building worker's sign of life (every few seconds): a running run without one for
    #: services.STALE_SECONDS lost its worker, and the sweeper sends it again.
    heartbeat_at = models.DateTimeField(_("tín hiệu gần nhất của tiến trình"), null=True, blank=True)
    #: Last time the run was handed to the broker, and last time that failed (the broker was down):
    #: the page says so at once, and the run is sent again by itself.
    sent_at = models.DateTimeField(_("gửi vào hàng đợi lúc"), null=True, blank=True)
    send_failed_at = models.DateTimeField(_("gửi vào hàng đợi không được lúc"), null=True, blank=True)

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
    def report(self):
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
    def waiting_for_broker(self) -> bool:
        """Queued, and the last attempt to hand it to the broker failed."""
        return self.status == RunStatus.QUEUED and self.send_failed_at is not None

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


# --- Summary tables of the dashboard ---------------------------------------------------------------
# Kept equal to the ledger in the same transaction by database triggers (migration 0004, see
# reports.summary), so the national dashboard reads ~50,000 narrow rows instead of joining 250,000
# money rows; SummaryState records the last full rebuild (refresh_report_summaries).
# Plain integer columns (no foreign keys): a refresh never blocks a deletion.
class SummaryState(models.Model):
    name = models.CharField(max_length=30, primary_key=True)
    refreshed_at = models.DateTimeField(_("tổng hợp lúc"))
    duration_ms = models.PositiveIntegerField(_("thời gian tổng hợp (ms)"), default=0)
    projects = models.PositiveIntegerField(_("số đề án"), default=0)

    class Meta:
        verbose_name = _("trạng thái bảng tổng hợp")
        verbose_name_plural = _("trạng thái bảng tổng hợp")

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at:%d/%m/%Y %H:%M}"


class ProjectDims(models.Model):
    """The project's filter dimensions, copied onto every summary row."""

    project_id = models.IntegerField()
    province_id = models.IntegerField()
    category_id = models.IntegerField()
    funding_level = models.CharField(max_length=10)
    kind = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    start_year = models.SmallIntegerField()
    end_year = models.SmallIntegerField()
    legacy_province_id = models.IntegerField(null=True)  # before 1/7/2025 (regions.former)
    legacy_district_id = models.IntegerField(null=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.project_id}"


class ProjectFact(ProjectDims):
    """One row per project: state money approved and disbursed, and the indicators."""

    project_id = models.IntegerField(primary_key=True)
    approved = models.BigIntegerField(default=0)
    disbursed = models.BigIntegerField(default=0)
    trainees_planned = models.BigIntegerField(default=0)
    trainees_actual = models.BigIntegerField(default=0)
    trainees_female_planned = models.BigIntegerField(default=0)
    trainees_female_actual = models.BigIntegerField(default=0)
    trainees_ethnic_planned = models.BigIntegerField(default=0)
    trainees_ethnic_actual = models.BigIntegerField(default=0)
    demo_models_planned = models.BigIntegerField(default=0)
    demo_models_actual = models.BigIntegerField(default=0)
    machines_planned = models.BigIntegerField(default=0)
    machines_actual = models.BigIntegerField(default=0)
    tech_lines_planned = models.BigIntegerField(default=0)
    tech_lines_actual = models.BigIntegerField(default=0)
    products_recognised_planned = models.BigIntegerField(default=0)
    products_recognised_actual = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["province_id", "start_year"], name="projectfact_province_year")]


class MoneyFact(ProjectDims):
    """Money of one project, one year and one source: planned, approved, advanced, paid, settled."""

    year = models.SmallIntegerField()
    source = models.CharField(max_length=20)
    planned = models.BigIntegerField(default=0)
    approved = models.BigIntegerField(default=0)
    advanced = models.BigIntegerField(default=0)
    paid = models.BigIntegerField(default=0)
    settled = models.BigIntegerField(default=0)
    returned = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["province_id", "start_year"], name="moneyfact_province_year")]


class FacilityFact(ProjectDims):
    """A facility supported by an approved project (distinct facilities are counted from here)."""

    facility_id = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["province_id", "start_year"], name="facilityfact_province_year")]
