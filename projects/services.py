"""Every write to a project goes through here: atomic, row-locked, checked, audited.

Each service takes keyword-only arguments and the acting ``user``; it raises :class:`ProjectError`
(a Vietnamese, translatable message, optionally tied to a form field) and changes nothing when a
rule is broken. pghistory triggers record every row change; ``pghistory.context`` adds who and why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import pghistory
import pgtrigger
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationKind, User
from accounts.permissions import has_perm
from core.files import DOCUMENT_KINDS, sha256_of, validate_upload
from core.scoping import user_can_see_province
from core.search import fold
from regions.models import Commune, Province

from . import workflow
from .models import (
    ActivityCategory,
    AdjustmentKind,
    DocumentType,
    IndicatorKind,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectCodeCounter,
    ProjectDocument,
    ProjectIndicator,
    ProjectKind,
    ProjectStatus,
    ProjectTransition,
    ProjectVersion,
    RequiredDocument,
)


class ProjectError(Exception):
    """A rule of the lifecycle was broken; ``message`` is shown to the user, ``field`` names the input."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


# --- Codes ----------------------------------------------------------------------------------------

# Three-letter prefixes of today's 34 provinces and cities (folded short names as keys).
PROVINCE_PREFIXES: dict[str, str] = {
    "ha noi": "HNI", "hue": "HUE", "lai chau": "LCU", "dien bien": "DBN", "son la": "SLA",
    "lang son": "LSN", "quang ninh": "QNH", "thanh hoa": "THA", "nghe an": "NAN", "ha tinh": "HTH",
    "cao bang": "CBG", "tuyen quang": "TQG", "lao cai": "LCI", "thai nguyen": "TNN", "phu tho": "PTH",
    "bac ninh": "BNH", "hung yen": "HYN", "hai phong": "HPG", "ninh binh": "NBH", "quang tri": "QTI",
    "da nang": "DNG", "quang ngai": "QNI", "gia lai": "GLI", "khanh hoa": "KHA", "lam dong": "LDG",
    "dak lak": "DLK", "ho chi minh": "HCM", "dong nai": "DNI", "tay ninh": "TNH", "can tho": "CTO",
    "vinh long": "VLG", "dong thap": "DTP", "ca mau": "CMU", "an giang": "AGG",
}  # fmt: skip


def province_prefix(province: Province) -> str:
    """The code prefix of a province: its three letters, or ``T`` and its number when unknown."""
    return PROVINCE_PREFIXES.get(fold(province.short_name), f"T{province.code:02d}")


def next_project_code(*, province: Province, year: int) -> str:
    """Draw the next code of ``province`` and ``year`` (``PTH-2026-001``); call inside a transaction."""
    ProjectCodeCounter.objects.get_or_create(province=province, year=year)
    counter = ProjectCodeCounter.objects.select_for_update().get(province=province, year=year)
    prefix = province_prefix(province)
    while True:
        counter.last_number += 1
        code = f"{prefix}-{year}-{counter.last_number:03d}"
        if not Project.objects.filter(code=code).exists():  # codes typed in by hand (demo, import)
            break
    counter.save(update_fields=["last_number"])
    return code


# --- Checks ---------------------------------------------------------------------------------------


def _require_scope(user: User, project: Project) -> None:
    if not user_can_see_province(user, project.province_id):
        raise ProjectError(_("Không tìm thấy đề án."), status=404)


def _require_perm(user: User, permission: str) -> None:
    if not has_perm(user, permission):
        raise ProjectError(_("Bạn không có quyền thực hiện thao tác này."), status=403)


def _lock(project: Project, expected_version: int | None = None) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ProjectError(
            _(
                "Đề án vừa được người khác cập nhật (phiên bản %(current)s). "
                "Vui lòng tải lại trang và thực hiện lại."
            )
            % {"current": locked.version},
            status=409,
        )
    return locked


def _require_editable(project: Project) -> None:
    if project.status not in workflow.EDITABLE_STATES:
        raise ProjectError(
            _(
                "Đề án đang ở trạng thái “%(status)s”: chỉ sửa được khi là dự thảo hoặc bị trả lại. "
                "Sau phê duyệt, mọi thay đổi phải qua điều chỉnh có quyết định."
            )
            % {"status": project.get_status_display()},
            status=409,
        )


def _check_years(start_year: int, end_year: int, kind: str) -> None:
    if end_year < start_year:
        raise ProjectError(_("Năm kết thúc không được trước năm bắt đầu."), field="end_year")
    if kind == ProjectKind.FLAGSHIP and end_year <= start_year:
        raise ProjectError(_("Đề án điểm phải thực hiện trong hơn một năm."), field="end_year")


def _check_categories(
    category: ActivityCategory, extra: Iterable[ActivityCategory], kind: str, start_year: int, end_year: int
) -> None:
    first_day, last_day = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
    for cat in [category, *extra]:
        if cat.valid_from > last_day or (cat.valid_to is not None and cat.valid_to < first_day):
            raise ProjectError(
                _("Nội dung “%(name)s” không còn hoặc chưa có hiệu lực trong thời gian thực hiện đề án.")
                % {"name": cat},
                field="category",
            )
    distinct = {category.pk, *(c.pk for c in extra)}
    if kind == ProjectKind.FLAGSHIP and len(distinct) < 2:
        raise ProjectError(
            _("Đề án điểm phải kết hợp ít nhất hai nội dung hoạt động có liên quan."),
            field="extra_categories",
        )


def _check_communes(communes: Iterable[Commune], province_id: int) -> None:
    for commune in communes:
        if commune.province_id != province_id:
            raise ProjectError(
                _("Xã/phường “%(name)s” không thuộc tỉnh quản lý đề án.") % {"name": commune.name},
                field="communes",
            )


def _check_facility(facility: Any, project: Project) -> None:
    if facility.province_id != project.province_id:
        raise ProjectError(
            _("Cơ sở “%(name)s” không thuộc tỉnh quản lý đề án.") % {"name": facility.name},
            field="facilities",
        )
    eligibility = getattr(facility, "eligibility", None)  # beneficiaries.Facility.eligibility
    if eligibility is not None and not eligibility.eligible:
        raise ProjectError(
            _("Cơ sở “%(name)s” không đủ điều kiện hỗ trợ: %(reason)s")
            % {"name": facility.name, "reason": eligibility.reason},
            field="facilities",
        )


# --- Create and edit ------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "title",
    "start_year",
    "end_year",
    "funding_level",
    "category",
    "kind",
    "is_key",
    "selection_method",
    "implementing_unit",
    "implementing_unit_name",
    "objectives",
    "total_cost",
)


def _bump(project: Project, user: User) -> None:
    project.version += 1
    project.updated_by = user


@transaction.atomic
def project_create(
    *,
    user: User,
    title: str,
    start_year: int,
    end_year: int,
    funding_level: str,
    category: ActivityCategory,
    extra_categories: Iterable[ActivityCategory] = (),
    kind: str = ProjectKind.REGULAR,
    is_key: bool = False,
    selection_method: str = "xet_chon",
    province: Province | None = None,
    managing_organisation: Organisation | None = None,
    implementing_unit: Organisation | None = None,
    implementing_unit_name: str = "",
    communes: Iterable[Commune] = (),
    objectives: str = "",
    total_cost: int = 0,
    facilities: Iterable[Any] = (),
    code: str | None = None,
) -> Project:
    """Register a new draft project in the user's province (national users name the province)."""
    _require_perm(user, "project.change")
    province = province or user.province
    if province is None:
        raise ProjectError(_("Chọn tỉnh/thành phố quản lý đề án."), field="province")
    if not user_can_see_province(user, province.pk):
        raise ProjectError(_("Bạn không quản lý đề án của tỉnh này."), field="province", status=403)
    extra = [c for c in extra_categories if c.pk != category.pk]
    communes = list(communes)
    facilities = list(facilities)
    _check_years(start_year, end_year, kind)
    _check_categories(category, extra, kind, start_year, end_year)
    _check_communes(communes, province.pk)
    if managing_organisation is None:
        # The province's Sở Công Thương manages; its extension centre usually implements.
        managing_organisation = (
            Organisation.objects.filter(province=province, is_active=True, kind=OrganisationKind.DEPARTMENT)
            .order_by("pk")
            .first()
        )
        if (
            managing_organisation is None
            and user.organisation
            and user.organisation.province_id == province.pk
        ):
            managing_organisation = user.organisation
        if managing_organisation is None:
            managing_organisation = (
                Organisation.objects.filter(province=province, is_active=True).order_by("pk").first()
            )
        if managing_organisation is None:
            raise ProjectError(_("Tỉnh này chưa có cơ quan quản lý trên hệ thống."), field="province")
    if not implementing_unit and not implementing_unit_name.strip():
        raise ProjectError(_("Cần chọn hoặc ghi tên đơn vị thực hiện."), field="implementing_unit")
    if total_cost < 0:
        raise ProjectError(_("Tổng kinh phí không được âm."), field="total_cost")
    with pghistory.context(user=user.pk, action="project_create"):
        project = Project(
            code=code or next_project_code(province=province, year=start_year),
            title=title.strip(),
            start_year=start_year,
            end_year=end_year,
            funding_level=funding_level,
            category=category,
            kind=kind,
            is_key=is_key,
            selection_method=selection_method,
            province=province,
            managing_organisation=managing_organisation,
            implementing_unit=implementing_unit,
            implementing_unit_name=implementing_unit_name.strip(),
            objectives=objectives,
            total_cost=total_cost,
            created_by=user,
            updated_by=user,
        )
        try:
            with transaction.atomic():
                project.save()
        except IntegrityError as exc:
            raise ProjectError(_("Mã đề án đã tồn tại."), field="code") from exc
        project.extra_categories.set(extra)
        project.communes.set(communes)
        for facility in facilities:
            _check_facility(facility, project)
            ProjectBeneficiary.objects.create(project=project, facility=facility, added_by=user)
    return project


@transaction.atomic
def project_update(
    *,
    user: User,
    project: Project,
    expected_version: int | None = None,
    extra_categories: Iterable[ActivityCategory] | None = None,
    communes: Iterable[Commune] | None = None,
    **changes: Any,
) -> Project:
    """Edit a draft or returned project (staff only); ``expected_version`` guards lost updates."""
    _require_perm(user, "project.change")
    _require_scope(user, project)
    project = _lock(project, expected_version)
    _require_editable(project)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(project, name, value)
    extra = (
        [c for c in extra_categories if c.pk != project.category_id]
        if extra_categories is not None
        else list(project.extra_categories.all())
    )
    _check_years(project.start_year, project.end_year, project.kind)
    _check_categories(project.category, extra, project.kind, project.start_year, project.end_year)
    if not project.implementing_unit_id and not project.implementing_unit_name.strip():
        raise ProjectError(_("Cần chọn hoặc ghi tên đơn vị thực hiện."), field="implementing_unit")
    with pghistory.context(user=user.pk, action="project_update"):
        _bump(project, user)
        project.save()
        if extra_categories is not None:
            project.extra_categories.set(extra)
        if communes is not None:
            communes = list(communes)
            _check_communes(communes, project.province_id)
            project.communes.set(communes)
    return project


def _may_change_beneficiaries(project: Project) -> bool:
    return project.status in workflow.EDITABLE_STATES or (
        project.kind == ProjectKind.GROUP and project.status in workflow.GROUP_BENEFICIARY_STATES
    )


@transaction.atomic
def project_add_beneficiary(
    *, user: User, project: Project, facility: Any, note: str = ""
) -> ProjectBeneficiary:
    """Add a beneficiary facility (draft/returned, or an approved đề án nhóm naming its beneficiaries)."""
    _require_perm(user, "project.change")
    _require_scope(user, project)
    project = _lock(project)
    if not _may_change_beneficiaries(project):
        _require_editable(project)
    _check_facility(facility, project)
    if ProjectBeneficiary.objects.filter(project=project, facility=facility).exists():
        raise ProjectError(_("Cơ sở này đã có trong danh sách thụ hưởng."), field="facility")
    with pghistory.context(user=user.pk, action="project_add_beneficiary"):
        link = ProjectBeneficiary.objects.create(project=project, facility=facility, note=note, added_by=user)
        # A new beneficiary may raise a new double-funding warning: the acknowledgement starts over.
        project.double_funding_acknowledged_by = None
        project.double_funding_acknowledged_at = None
        _bump(project, user)
        project.save()
    return link


@transaction.atomic
def project_remove_beneficiary(*, user: User, project: Project, beneficiary: ProjectBeneficiary) -> None:
    """Remove a beneficiary while the project may still be edited."""
    _require_perm(user, "project.change")
    _require_scope(user, project)
    project = _lock(project)
    if beneficiary.project_id != project.pk:
        raise ProjectError(_("Cơ sở không thuộc đề án này."), status=404)
    if not _may_change_beneficiaries(project) or project.status not in workflow.EDITABLE_STATES:
        _require_editable(project)
    with pghistory.context(user=user.pk, action="project_remove_beneficiary"):
        beneficiary.delete()
        _bump(project, user)
        project.save()


@transaction.atomic
def project_set_planned_indicators(*, user: User, project: Project, planned: dict[str, int]) -> None:
    """Set the planned indicators (draft/returned); a zero removes the indicator."""
    _require_perm(user, "project.change")
    _require_scope(user, project)
    project = _lock(project)
    _require_editable(project)
    valid = set(IndicatorKind.values)
    with pghistory.context(user=user.pk, action="project_set_planned_indicators"):
        for kind, value in planned.items():
            if kind not in valid:
                raise ProjectError(_("Chỉ tiêu không hợp lệ."), field=kind)
            if value is None or value < 0:
                raise ProjectError(_("Số liệu chỉ tiêu phải là số không âm."), field=kind)
            if value == 0:
                ProjectIndicator.objects.filter(project=project, kind=kind, actual__isnull=True).delete()
            else:
                ProjectIndicator.objects.update_or_create(
                    project=project, kind=kind, defaults={"planned": value}
                )
        _check_indicator_shares(project)
        _bump(project, user)
        project.save()


def _check_indicator_shares(project: Project) -> None:
    values = {i.kind: i for i in project.indicators.all()}
    total = values.get(IndicatorKind.TRAINEES)
    for part in (IndicatorKind.TRAINEES_FEMALE, IndicatorKind.TRAINEES_ETHNIC):
        item = values.get(part)
        if item is None:
            continue
        for attr in ("planned", "actual"):
            part_value = getattr(item, attr)
            total_value = getattr(total, attr) if total is not None else None
            if part_value and (total_value is None or part_value > total_value):
                raise ProjectError(
                    _("“%(part)s” không được lớn hơn tổng số học viên.") % {"part": item.get_kind_display()},
                    field=part,
                )


# --- Double funding -------------------------------------------------------------------------------


def double_funding_conflicts(project: Project) -> list[dict[str, Any]]:
    """Other projects supporting the same facility, for the same category, in an overlapping year."""
    categories = {project.category_id, *project.extra_categories.values_list("pk", flat=True)}
    facility_ids = list(project.beneficiaries.values_list("facility_id", flat=True))
    if not facility_ids:
        return []
    links = (
        ProjectBeneficiary.objects.filter(facility_id__in=facility_ids)
        .exclude(project=project)
        .exclude(project__status__in=[ProjectStatus.DRAFT, ProjectStatus.REJECTED])
        .filter(project__start_year__lte=project.end_year, project__end_year__gte=project.start_year)
        .filter(Q(project__category_id__in=categories) | Q(project__extra_categories__in=categories))
        .select_related("facility", "project", "project__category")
        .distinct()
        .order_by("facility__name", "project__code")
    )
    return [{"facility": link.facility, "project": link.project} for link in links]


@transaction.atomic
def project_acknowledge_double_funding(*, user: User, project: Project, note: str) -> Project:
    """A manager records that the double-funding warning was read and explains why it is acceptable."""
    _require_perm(user, "project.review")
    _require_scope(user, project)
    project = _lock(project)
    if project.status in workflow.TERMINAL_STATES:
        raise ProjectError(_("Đề án đã kết thúc."), status=409)
    if not note.strip():
        raise ProjectError(_("Ghi rõ lý do chấp nhận (vd. hỗ trợ khác hạng mục)."), field="note")
    with pghistory.context(user=user.pk, action="project_acknowledge_double_funding"):
        project.double_funding_acknowledged_by = user
        project.double_funding_acknowledged_at = timezone.now()
        project.double_funding_note = note.strip()
        _bump(project, user)
        project.save()
    return project


# --- Documents ------------------------------------------------------------------------------------


def _store_document(
    *, user: User, project: Project, document_type: str, title: str, upload: UploadedFile
) -> ProjectDocument:
    try:
        kind = validate_upload(upload, DOCUMENT_KINDS)
    except ValidationError as exc:
        raise ProjectError(" ".join(exc.messages), field="file") from exc
    if document_type not in DocumentType.values:
        raise ProjectError(_("Loại tài liệu không hợp lệ."), field="document_type")
    document = ProjectDocument(
        project=project,
        document_type=document_type,
        title=(title or upload.name or "")[:255],
        original_name=(upload.name or "")[:255],
        size=upload.size or 0,
        file_kind=kind.key,
        sha256=sha256_of(upload),
        uploaded_by=user,
    )
    document.file.save(upload.name or "tep", upload, save=False)
    name, storage = document.file.name, document.file.storage
    try:
        document.save()
    except Exception:
        storage.delete(name)  # no row, no file
        raise
    return document


@transaction.atomic
def document_upload(
    *, user: User, project: Project, document_type: str, title: str, upload: UploadedFile
) -> ProjectDocument:
    """Attach a file (type checked by content, size limited) to a project in the user's scope."""
    if not (has_perm(user, "project.change") or has_perm(user, "project.review")):
        raise ProjectError(_("Bạn không có quyền tải tài liệu lên."), status=403)
    _require_scope(user, project)
    project = _lock(project)
    with pghistory.context(user=user.pk, action="document_upload"):
        return _store_document(
            user=user, project=project, document_type=document_type, title=title, upload=upload
        )


def missing_documents(project: Project, transition: workflow.Transition, *, with_upload: bool) -> list[str]:
    """Labels of the document types the step requires that the project lacks."""
    required = set(
        RequiredDocument.objects.filter(transition=transition.name, is_active=True).values_list(
            "document_type", flat=True
        )
    )
    present = set(project.documents.values_list("document_type", flat=True))
    if with_upload:
        present.add(transition.document_type)
    return [str(DocumentType(t).label) for t in sorted(required - present)]


# --- Transitions ----------------------------------------------------------------------------------


def snapshot(project: Project) -> dict[str, Any]:
    """A plain copy of what was approved: fields, categories, communes, beneficiaries, indicators."""
    return {
        "code": project.code,
        "title": project.title,
        "start_year": project.start_year,
        "end_year": project.end_year,
        "funding_level": project.get_funding_level_display(),
        "category": str(project.category),
        "extra_categories": [str(c) for c in project.extra_categories.all()],
        "kind": project.get_kind_display(),
        "is_key": project.is_key,
        "selection_method": project.get_selection_method_display(),
        "implementing_unit": project.implementing_unit_label,
        "objectives": project.objectives,
        "total_cost": project.total_cost,
        "communes": [c.name for c in project.communes.all()],
        "beneficiaries": [b.facility.name for b in project.beneficiaries.select_related("facility")],
        "indicators": {i.kind: i.planned for i in project.indicators.all()},
    }


def _check_ready_to_submit(project: Project) -> None:
    if project.kind != ProjectKind.GROUP and not project.beneficiaries.exists():
        raise ProjectError(
            _("Đề án chưa có cơ sở thụ hưởng (chỉ đề án nhóm được bổ sung cơ sở sau khi phê duyệt).")
        )
    if not project.communes.exists():
        raise ProjectError(_("Đề án chưa có địa bàn thực hiện (xã/phường)."))
    if project.total_cost <= 0:
        raise ProjectError(_("Đề án chưa có tổng kinh phí dự kiến."))
    extra = list(project.extra_categories.all())
    _check_categories(project.category, extra, project.kind, project.start_year, project.end_year)


@transaction.atomic
def project_transition(
    *,
    user: User,
    project: Project,
    action: str,
    comment: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    decision_signer: str = "",
    upload: UploadedFile | None = None,
    appraisal_score: int | None = None,
    appraisal_recommendation: str = "",
    actual_indicators: dict[str, int] | None = None,
    expected_version: int | None = None,
) -> ProjectTransition:
    """Move the project along the workflow; checks state, role, required fields and documents."""
    transition = workflow.TRANSITIONS.get(action)
    if transition is None:
        raise ProjectError(_("Thao tác không tồn tại."), status=404)
    _require_scope(user, project)
    if not has_perm(user, transition.permission):
        raise ProjectError(
            _("Vai trò của bạn không được thực hiện bước “%(step)s”.") % {"step": transition.label},
            status=403,
        )
    project = _lock(project, expected_version)
    if project.status not in transition.sources:
        raise ProjectError(
            _("Không thể “%(step)s” đề án đang ở trạng thái “%(status)s”.")
            % {"step": transition.label, "status": project.get_status_display()},
            status=409,
        )
    values = {
        workflow.COMMENT: comment.strip(),
        workflow.DECISION_NUMBER: decision_number.strip(),
        workflow.DECISION_DATE: decision_date,
        workflow.DECISION_SIGNER: decision_signer.strip(),
        workflow.FILE: upload,
        workflow.APPRAISAL_SCORE: appraisal_score,
        workflow.APPRAISAL_RECOMMENDATION: appraisal_recommendation.strip(),
        workflow.ACTUAL_INDICATORS: actual_indicators,
    }
    for name in transition.required:
        if values[name] in (None, "", {}) and name != workflow.ACTUAL_INDICATORS:
            raise ProjectError(_("Thông tin này là bắt buộc cho bước này."), field=name)
    if decision_date is not None and decision_date > timezone.localdate():
        raise ProjectError(_("Ngày không được sau ngày hôm nay."), field="decision_date")
    if appraisal_score is not None and not 0 <= appraisal_score <= 100:
        raise ProjectError(_("Điểm thẩm định từ 0 đến 100."), field="appraisal_score")
    missing = missing_documents(project, transition, with_upload=upload is not None)
    if missing:
        raise ProjectError(
            _("Bước “%(step)s” cần có tài liệu: %(docs)s.")
            % {"step": transition.label, "docs": ", ".join(missing)},
            field="file",
        )
    if action == "submit":
        _check_ready_to_submit(project)
    if action == "approve":
        conflicts = double_funding_conflicts(project)
        if conflicts and project.double_funding_acknowledged_at is None:
            raise ProjectError(
                _(
                    "Đề án có cơ sở đã được hỗ trợ cùng nội dung trong cùng năm ở đề án khác. "
                    "Lãnh đạo cần xác nhận cảnh báo trùng hỗ trợ trước khi phê duyệt."
                ),
                status=409,
            )

    with pghistory.context(user=user.pk, action=f"project_{action}"):
        data: dict[str, Any] = {}
        if action == "appraise":
            project.appraisal_score = appraisal_score
            project.appraisal_recommendation = values[workflow.APPRAISAL_RECOMMENDATION]
            data = {"score": appraisal_score, "recommendation": project.appraisal_recommendation}
        elif action == "approve":
            project.decision_number = values[workflow.DECISION_NUMBER]
            project.decision_date = decision_date
            project.decision_signer = values[workflow.DECISION_SIGNER]
            data = {"signer": project.decision_signer}
        elif action == "accept":
            data = {"actual": _record_actuals(project, actual_indicators or {})}
        document = None
        if upload is not None:
            document = _store_document(
                user=user,
                project=project,
                document_type=transition.document_type,
                title=f"{transition.label} {decision_number}".strip(),
                upload=upload,
            )
        from_status = project.status
        project.status = transition.target
        _bump(project, user)
        project.save()
        if action == "approve":
            ProjectVersion.objects.create(
                project=project,
                number=1,
                label=_("Bản được phê duyệt"),
                snapshot=snapshot(project),
                decision_number=project.decision_number,
                decision_date=project.decision_date,
                document=document,
                created_by=user,
            )
        return ProjectTransition.objects.create(
            project=project,
            action=action,
            from_status=from_status,
            to_status=transition.target,
            actor=user,
            comment=values[workflow.COMMENT],
            decision_number=values[workflow.DECISION_NUMBER],
            decision_date=decision_date,
            document=document,
            data=data,
        )


def _record_actuals(project: Project, actual: dict[str, int]) -> dict[str, int]:
    indicators = {i.kind: i for i in project.indicators.all()}
    if not indicators and not actual:
        return {}
    for kind, indicator in indicators.items():
        value = actual.get(kind)
        if value is None:
            raise ProjectError(
                _("Nhập số liệu thực hiện của chỉ tiêu “%(name)s”.") % {"name": indicator.get_kind_display()},
                field=f"actual_{kind}",
            )
        if value < 0:
            raise ProjectError(_("Số liệu chỉ tiêu phải là số không âm."), field=f"actual_{kind}")
        indicator.actual = value
        indicator.save(update_fields=["actual"])
    _check_indicator_shares(project)
    return {kind: actual[kind] for kind in indicators}


def project_submit(*, user: User, project: Project, comment: str = "", **kwargs: Any) -> ProjectTransition:
    """Staff send a draft (or returned) project for appraisal."""
    return project_transition(user=user, project=project, action="submit", comment=comment, **kwargs)


# --- Adjustments and progress ---------------------------------------------------------------------

ADJUSTABLE_FIELDS = ("title", "end_year", "objectives", "total_cost", "implementing_unit_name")


@transaction.atomic
def project_adjust(
    *,
    user: User,
    project: Project,
    kinds: Iterable[str],
    reason: str,
    decision_number: str,
    decision_date: datetime.date,
    upload: UploadedFile | None = None,
    communes: Iterable[Commune] | None = None,
    facilities: Iterable[Any] | None = None,
    expected_version: int | None = None,
    **changes: Any,
) -> ProjectVersion:
    """Change an approved project by decision; the previous versions stay as they were."""
    _require_perm(user, "project.review")
    _require_scope(user, project)
    project = _lock(project, expected_version)
    if project.status not in workflow.ADJUSTABLE_STATES:
        raise ProjectError(
            _("Chỉ điều chỉnh được đề án đã phê duyệt và chưa nghiệm thu (đang ở “%(status)s”).")
            % {"status": project.get_status_display()},
            status=409,
        )
    kinds = [k for k in kinds if k in AdjustmentKind.values]
    if not kinds:
        raise ProjectError(_("Chọn ít nhất một nội dung điều chỉnh."), field="kinds")
    if not reason.strip():
        raise ProjectError(_("Ghi rõ lý do điều chỉnh."), field="reason")
    if not decision_number.strip() or decision_date is None:
        raise ProjectError(_("Điều chỉnh phải có số và ngày quyết định."), field="decision_number")
    if decision_date > timezone.localdate():
        raise ProjectError(_("Ngày không được sau ngày hôm nay."), field="decision_date")
    unknown = set(changes) - set(ADJUSTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not adjustable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(project, name, value)
    _check_years(project.start_year, project.end_year, project.kind)
    if project.total_cost < 0:
        raise ProjectError(_("Tổng kinh phí không được âm."), field="total_cost")
    if not project.implementing_unit_id and not project.implementing_unit_name.strip():
        raise ProjectError(_("Cần chọn hoặc ghi tên đơn vị thực hiện."), field="implementing_unit_name")
    with pghistory.context(user=user.pk, action="project_adjust"):
        document = None
        if upload is not None:
            document = _store_document(
                user=user,
                project=project,
                document_type=DocumentType.DECISION,
                title=_("Quyết định điều chỉnh %(number)s") % {"number": decision_number},
                upload=upload,
            )
        if communes is not None:
            communes = list(communes)
            _check_communes(communes, project.province_id)
            project.communes.set(communes)
        if facilities is not None:
            _replace_beneficiaries(user=user, project=project, facilities=list(facilities))
        _bump(project, user)
        with pgtrigger.ignore("projects.Project:protect_decided_content"):
            project.save()
        if not project.versions.exists():  # approved before versions were kept (imported data)
            ProjectVersion.objects.create(
                project=project, number=1, label=_("Bản được phê duyệt"), snapshot={}, created_by=user
            )
        number = (project.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        return ProjectVersion.objects.create(
            project=project,
            number=number,
            label=_("Điều chỉnh lần %(n)s") % {"n": number - 1},
            snapshot=snapshot(project),
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            adjustment_kinds=kinds,
            reason=reason.strip(),
            document=document,
            created_by=user,
        )


def _replace_beneficiaries(*, user: User, project: Project, facilities: list[Any]) -> None:
    wanted = {f.pk: f for f in facilities}
    current = {link.facility_id: link for link in project.beneficiaries.all()}
    for facility_id, link in current.items():
        if facility_id not in wanted:
            try:
                with transaction.atomic():
                    link.delete()
            except ProtectedError as exc:
                raise ProjectError(
                    _("Không bỏ được cơ sở đã có số liệu kinh phí; điều chỉnh kinh phí trước."),
                    field="facilities",
                ) from exc
    for facility_id, facility in wanted.items():
        if facility_id not in current:
            _check_facility(facility, project)
            ProjectBeneficiary.objects.create(project=project, facility=facility, added_by=user)
    if set(wanted) - set(current):
        project.double_funding_acknowledged_by = None
        project.double_funding_acknowledged_at = None


@transaction.atomic
def progress_report_file(
    *,
    user: User,
    project: Project,
    period: datetime.date,
    percent_done: int,
    money_used: int,
    problems: str = "",
) -> ProgressReport:
    """File the monthly progress report of a project being implemented (one per month)."""
    _require_perm(user, "project.change")
    _require_scope(user, project)
    project = _lock(project)
    if project.status not in workflow.REPORTING_STATES:
        raise ProjectError(_("Chỉ báo cáo tiến độ khi đề án đang triển khai."), status=409)
    if not 0 <= percent_done <= 100:
        raise ProjectError(_("Tỷ lệ hoàn thành từ 0 đến 100%."), field="percent_done")
    if money_used < 0:
        raise ProjectError(_("Kinh phí đã sử dụng không được âm."), field="money_used")
    period = period.replace(day=1)
    if project.progress_reports.filter(period=period).exists():
        raise ProjectError(_("Tháng này đã có báo cáo tiến độ."), field="period")
    return ProgressReport.objects.create(
        project=project,
        period=period,
        percent_done=percent_done,
        money_used=money_used,
        problems=problems.strip(),
        reported_by=user,
    )
