"""Đề án khuyến công: reference categories, the project and everything its lifecycle records.

Money stops at ``Project.total_cost`` (the estimate); allocations, advances and payments live in the
funding app and point here with ``on_delete=PROTECT``. Writes go through ``projects.services``.
"""

from __future__ import annotations

import datetime
import functools
import operator

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet
from core.search import KcUnaccent

from . import workflow
from .choices import DocumentType, FundingLevel, ProjectStatus

# --- Reference data -------------------------------------------------------------------------------


class IndicatorKind(models.TextChoices):
    """What a project promises at approval and reports at acceptance (domain.md §6)."""

    TRAINEES = "trainees", _("Số học viên được đào tạo")
    TRAINEES_FEMALE = "trainees_female", _("trong đó: học viên nữ")
    TRAINEES_ETHNIC = "trainees_ethnic", _("trong đó: học viên dân tộc thiểu số")
    COURSES = "courses", _("Số lớp đào tạo")
    DEMO_MODELS = "demo_models", _("Số mô hình trình diễn")
    MACHINES = "machines", _("Số máy móc, thiết bị hỗ trợ")
    TECH_LINES = "tech_lines", _("Số dây chuyền công nghệ")
    FAIR_BOOTHS = "fair_booths", _("Số gian hàng hội chợ, triển lãm")
    PRODUCTS_RECOGNISED = "products_recognised", _("Số sản phẩm được công nhận tiêu biểu")
    FACILITIES_SUPPORTED = "facilities_supported", _("Số cơ sở được hỗ trợ")
    JOBS_CREATED = "jobs_created", _("Số việc làm tạo ra")


class ActivityCategoryQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> ActivityCategoryQuerySet:
        """Categories valid on ``day`` (valid_from ≤ day, and no end or end ≥ day)."""
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class ActivityCategory(models.Model):
    """A content of khuyến công (Decree 45 Art. 4 and the Decree 235 additions), effective-dated."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên nội dung"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=80)
    decree = models.CharField(_("căn cứ"), max_length=120)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    advance_ceiling_pct = models.PositiveSmallIntegerField(_("mức tạm ứng tối đa (%)"), default=70)
    default_selection_method = models.CharField(
        _("hình thức lựa chọn thường dùng"), max_length=20, default="xet_chon"
    )
    indicator_kinds = ArrayField(
        models.CharField(max_length=30, choices=IndicatorKind),
        verbose_name=_("chỉ tiêu phù hợp"),
        default=list,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = ActivityCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("nội dung hoạt động khuyến công")
        verbose_name_plural = _("nội dung hoạt động khuyến công")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(advance_ceiling_pct__lte=100),
                name="activitycategory_advance_pct_le_100",
                violation_error_message=_("Mức tạm ứng tối đa không vượt quá 100%."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="activitycategory_valid_range",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu áp dụng."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


# --- The project ----------------------------------------------------------------------------------


class ProjectKind(models.TextChoices):
    REGULAR = "thuong", _("Đề án thường")
    FLAGSHIP = "diem", _("Đề án điểm")
    GROUP = "nhom", _("Đề án nhóm")


class SelectionMethod(models.TextChoices):
    SELECTION = "xet_chon", _("Xét chọn")
    BIDDING = "dau_thau", _("Đấu thầu")


#: What a decision fixed in money, time and scope: in a decided state these change only through an
#: adjustment. Free text (title, objectives) is left to the services so that data fixes stay possible.
PROTECTED_FIELDS = (
    "start_year", "end_year", "funding_level", "category_id", "kind", "province_id", "total_cost",
    "decision_number", "decision_date", "decision_signer",
)  # fmt: skip


class ProjectQuerySet(ScopedQuerySet):
    province_lookup = "province"

    def for_list(self) -> ProjectQuerySet:
        """What the list pages show, fetched in bulk."""
        # A correlated subquery, not a JOIN + GROUP BY: PostgreSQL computes it for the page's rows only.
        counts = (
            ProjectBeneficiary.objects.filter(project=models.OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.select_related(
            "province", "category", "managing_organisation", "implementing_unit", "import_record"
        ).annotate(beneficiary_count=Coalesce(models.Subquery(counts, output_field=models.IntegerField()), 0))


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ProjectEvent",
    context_field=pghistory.ContextForeignKey(),
)
class Project(models.Model):
    """An đề án khuyến công, managed by one province (the scope field)."""

    code = models.CharField(_("mã đề án"), max_length=30, unique=True)
    title = models.CharField(_("tên đề án"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"))
    funding_level = models.CharField(_("cấp kinh phí"), max_length=10, choices=FundingLevel.choices)
    category = models.ForeignKey(
        ActivityCategory,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("nội dung hoạt động chính"),
    )
    extra_categories = models.ManyToManyField(
        ActivityCategory,
        through="ProjectCategory",
        blank=True,
        related_name="linked_projects",
        verbose_name=_("nội dung kết hợp (đề án điểm)"),
    )
    kind = models.CharField(_("loại đề án"), max_length=10, choices=ProjectKind, default=ProjectKind.REGULAR)
    is_key = models.BooleanField(_("đề án trọng điểm"), default=False)
    selection_method = models.CharField(
        _("hình thức lựa chọn"),
        max_length=20,
        choices=SelectionMethod,
        default=SelectionMethod.SELECTION,
    )
    province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("tỉnh/thành phố quản lý"),
    )
    managing_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="managed_projects",
        verbose_name=_("cơ quan quản lý"),
    )
    implementing_unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implemented_projects",
        verbose_name=_("đơn vị thực hiện"),
    )
    implementing_unit_name = models.CharField(
        _("đơn vị thực hiện (ngoài danh sách)"), max_length=255, blank=True
    )
    # Where the project was before 1/7/2025: recorded by the history import, or derived from its
    # communes when they all lay in one former district/province (regions.former explains the filter).
    legacy_province = models.ForeignKey(
        "regions.LegacyProvince",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh cũ (trước 1/7/2025)"),
    )
    legacy_district = models.ForeignKey(
        "regions.LegacyDistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("huyện cũ (trước 1/7/2025)"),
    )
    communes = models.ManyToManyField(
        "regions.Commune",
        through="ProjectCommune",
        blank=True,
        related_name="projects",
        verbose_name=_("địa bàn thực hiện"),
    )
    objectives = models.TextField(_("mục tiêu, nội dung chính"), blank=True)
    total_cost = models.BigIntegerField(_("tổng kinh phí dự kiến (đồng)"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    # Appraisal (thẩm định).
    appraisal_score = models.PositiveSmallIntegerField(_("điểm thẩm định"), null=True, blank=True)
    appraisal_recommendation = models.TextField(_("kết luận thẩm định"), blank=True)
    # Approval decision (phê duyệt).
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký"), max_length=120, blank=True)
    # Double funding (same facility, category and year in another project): a manager acknowledges.
    double_funding_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lãnh đạo xác nhận trùng hỗ trợ"),
    )
    double_funding_acknowledged_at = models.DateTimeField(null=True, blank=True)
    double_funding_note = models.TextField(_("giải trình trùng hỗ trợ"), blank=True)
    # Optimistic locking: every write through a service increments it.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề án")
        verbose_name_plural = _("đề án")
        ordering = ["-start_year", "-code"]
        indexes = [
            models.Index(fields=["province", "status"], name="project_province_status"),
            models.Index(fields=["province", "start_year"], name="project_province_year"),
            models.Index(fields=["status", "updated_at"], name="project_status_updated"),
            GinIndex(OpClass(KcUnaccent("title"), name="gin_trgm_ops"), name="project_title_trgm"),
            GinIndex(OpClass(KcUnaccent("code"), name="gin_trgm_ops"), name="project_code_trgm"),
        ]
        triggers = [
            # After approval the content changes only through projects.services.project_adjust (which
            # lifts this trigger for its own statement): not by a form, a bulk update or raw SQL.
            pgtrigger.Protect(
                name="protect_decided_content",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__status__in=workflow.DECIDED_STATES)
                & functools.reduce(
                    operator.or_,
                    [
                        pgtrigger.Q(**{f"old__{name}__df": pgtrigger.F(f"new__{name}")})
                        for name in PROTECTED_FIELDS
                    ],
                ),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="project_end_after_start",
                violation_error_message=_("Năm kết thúc không được trước năm bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, start_year__lte=2100),
                name="project_start_year_range",
                violation_error_message=_("Năm bắt đầu không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(total_cost__gte=0),
                name="project_total_cost_non_negative",
                violation_error_message=_("Tổng kinh phí không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(appraisal_score__isnull=True) | Q(appraisal_score__lte=100),
                name="project_appraisal_score_le_100",
                violation_error_message=_("Điểm thẩm định tối đa 100."),
            ),
            models.CheckConstraint(
                condition=Q(implementing_unit__isnull=False) | ~Q(implementing_unit_name=""),
                name="project_has_implementing_unit",
                violation_error_message=_("Cần chọn hoặc ghi tên đơn vị thực hiện."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=workflow.DECIDED_STATES)
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="project_decided_has_decision",
                violation_error_message=_("Đề án đã phê duyệt phải có số và ngày quyết định."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="diem") | Q(end_year__gt=models.F("start_year")),
                name="project_flagship_multi_year",
                violation_error_message=_("Đề án điểm phải thực hiện trong hơn một năm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def implementing_unit_label(self) -> str:
        unit = self.implementing_unit
        return unit.name if unit is not None else self.implementing_unit_name

    @property
    def years_label(self) -> str:
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_decided(self) -> bool:
        return self.status in workflow.DECIDED_STATES


@pghistory.track(
    pghistory.InsertEvent("add"),
    pghistory.DeleteEvent("remove"),
    context_field=pghistory.ContextForeignKey(),
    model_name="ProjectCommuneEvent",
)
class ProjectCommune(models.Model):
    """A commune where the project takes place (the through table of ``Project.communes``, audited)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    commune = models.ForeignKey("regions.Commune", on_delete=models.PROTECT)
    # The former commune the source records name (history import); none for projects made here.
    legacy_commune = models.ForeignKey(
        "regions.LegacyCommune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã cũ (trước 1/7/2025)"),
    )

    class Meta:
        db_table = "projects_project_communes"
        unique_together = [("project", "commune")]

    def __str__(self) -> str:
        return f"{self.project_id} – {self.commune_id}"


@pghistory.track(
    pghistory.InsertEvent("add"),
    pghistory.DeleteEvent("remove"),
    context_field=pghistory.ContextForeignKey(),
    model_name="ProjectCategoryEvent",
)
class ProjectCategory(models.Model):
    """A combined activity of a flagship project (the through table of ``Project.extra_categories``)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    activitycategory = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT)

    class Meta:
        db_table = "projects_project_extra_categories"
        unique_together = [("project", "activitycategory")]

    def __str__(self) -> str:
        return f"{self.project_id} – {self.activitycategory_id}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ProjectBeneficiaryEvent",
    context_field=pghistory.ContextForeignKey(),
)
class ProjectBeneficiary(models.Model):
    """A facility that benefits from a project (for an đề án nhóm, named after approval)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="beneficiaries")
    facility = models.ForeignKey(
        "beneficiaries.Facility",
        on_delete=models.PROTECT,
        related_name="project_links",
        verbose_name=_("cơ sở thụ hưởng"),
    )
    note = models.CharField(_("nội dung hỗ trợ"), max_length=255, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ sở thụ hưởng đề án")
        verbose_name_plural = _("cơ sở thụ hưởng đề án")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "facility"], name="projectbeneficiary_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} – {self.facility_id}"


class ProjectCodeCounter(models.Model):
    """The last number given to a project of one province and year (row-locked when a code is drawn)."""

    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="projectcodecounter_unique")]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.year}: {self.last_number}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ProjectIndicatorEvent",
    context_field=pghistory.ContextForeignKey(),
)
class ProjectIndicator(models.Model):
    """One indicator of a project: planned at approval, actual at acceptance."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("chỉ tiêu"), max_length=30, choices=IndicatorKind)
    planned = models.PositiveIntegerField(_("kế hoạch"), default=0)
    actual = models.PositiveIntegerField(_("thực hiện"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu đề án")
        verbose_name_plural = _("chỉ tiêu đề án")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="projectindicator_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.planned}"


def project_document_path(instance: ProjectDocument, filename: str) -> str:
    """Files are stored under an opaque name: the original name is kept on the row, never trusted."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}.{suffix}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ProjectDocumentEvent",
    context_field=pghistory.ContextForeignKey(),
)
class ProjectDocument(models.Model):
    """A file attached to a project; served only through the scope-checked download view."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="documents")
    document_type = models.CharField(_("loại tài liệu"), max_length=30, choices=DocumentType.choices)
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=project_document_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    file_kind = models.CharField(_("định dạng"), max_length=20)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên")
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu đề án")
        verbose_name_plural = _("tài liệu đề án")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["project", "document_type"], name="projectdoc_project_type")]

    def __str__(self) -> str:
        return self.title


class RequiredDocument(models.Model):
    """A document type that must be on the project before a workflow transition (editable in admin)."""

    transition = models.CharField(_("bước"), max_length=30)
    document_type = models.CharField(_("loại tài liệu"), max_length=30, choices=DocumentType.choices)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("tài liệu bắt buộc theo bước")
        verbose_name_plural = _("tài liệu bắt buộc theo bước")
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "document_type"], name="requireddocument_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transition}: {self.get_document_type_display()}"


class ProjectTransition(models.Model):
    """One step of the lifecycle: who moved the project from which state to which, when and why."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=ProjectStatus.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=ProjectStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    decision_number = models.CharField(_("số quyết định/văn bản"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định/văn bản"), null=True, blank=True)
    document = models.ForeignKey(
        ProjectDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transitions",
        verbose_name=_("tệp kèm theo"),
    )
    data = models.JSONField(_("thông tin kèm theo"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bước xử lý đề án")
        verbose_name_plural = _("bước xử lý đề án")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["project", "at"], name="projecttransition_project_at")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_status} → {self.to_status}"


class ProgressReport(models.Model):
    """A monthly progress report of a project being implemented (due by the 25th)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.DateField(_("tháng báo cáo"))
    percent_done = models.PositiveSmallIntegerField(_("khối lượng hoàn thành (%)"))
    money_used = models.BigIntegerField(_("kinh phí đã sử dụng (đồng)"), default=0)
    problems = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người báo cáo")
    )
    reported_at = models.DateTimeField(_("báo cáo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="progressreport_one_per_month"),
            models.CheckConstraint(
                condition=Q(percent_done__lte=100),
                name="progressreport_percent_le_100",
                violation_error_message=_("Tỷ lệ hoàn thành tối đa 100%."),
            ),
            models.CheckConstraint(
                condition=Q(money_used__gte=0),
                name="progressreport_money_non_negative",
                violation_error_message=_("Kinh phí đã sử dụng không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period:%m/%Y}: {self.percent_done}%"


class ProgressIndicator(models.Model):
    """An indicator achieved so far (cumulative), as a monthly progress report states it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("chỉ tiêu"), max_length=30, choices=IndicatorKind)
    value = models.PositiveIntegerField(_("đã đạt"))

    class Meta:
        verbose_name = _("chỉ tiêu trong báo cáo tiến độ")
        verbose_name_plural = _("chỉ tiêu trong báo cáo tiến độ")
        ordering = ["report", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="progressindicator_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}: {self.value}"


class AdjustmentKind(models.TextChoices):
    BUDGET = "budget", _("Kinh phí")
    CONTENT = "content", _("Nội dung")
    TIMING = "timing", _("Thời gian thực hiện")
    BENEFICIARIES = "beneficiaries", _("Cơ sở thụ hưởng")
    SITE = "site", _("Địa điểm")


class ProjectVersion(models.Model):
    """A frozen copy of the project: the approved version, then one per adjustment."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("lần"))
    label = models.CharField(_("nội dung"), max_length=255)
    snapshot = models.JSONField(_("nội dung đề án"))
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    adjustment_kinds = ArrayField(
        models.CharField(max_length=20, choices=AdjustmentKind), default=list, blank=True
    )
    reason = models.TextField(_("lý do"), blank=True)
    document = models.ForeignKey(
        ProjectDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản đề án")
        verbose_name_plural = _("phiên bản đề án")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="projectversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} v{self.number}"
