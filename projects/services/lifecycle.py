"""Workflow steps, adjustments after approval and monthly progress reports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import pghistory
import pgtrigger
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import has_perm
from core.errors import Conflict, DomainError, Forbidden, NotFound
from regions.models import Commune

from .. import workflow
from ..models import (
    AdjustmentKind,
    DocumentType,
    IndicatorKind,
    ProgressIndicator,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectKind,
    ProjectTransition,
    ProjectVersion,
)
from .base import (
    _bump,
    _check_categories,
    _check_communes,
    _check_facility,
    _check_years,
    _lock,
    _require_perm,
    _require_scope,
    derive_legacy_units,
)
from .documents import _store_document, missing_documents
from .registration import _check_indicator_shares, double_funding_conflicts

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
        raise DomainError(
            _("Đề án chưa có cơ sở thụ hưởng (chỉ đề án nhóm được bổ sung cơ sở sau khi phê duyệt).")
        )
    if not project.communes.exists():
        raise DomainError(_("Đề án chưa có địa bàn thực hiện (xã/phường)."))
    if project.total_cost <= 0:
        raise DomainError(_("Đề án chưa có tổng kinh phí dự kiến."))
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
    upload: UploadedFile[Any] | None = None,
    appraisal_score: int | None = None,
    appraisal_recommendation: str = "",
    actual_indicators: dict[str, int] | None = None,
    expected_version: int | None = None,
) -> ProjectTransition:
    """Move the project along the workflow; checks state, role, required fields and documents."""
    transition = workflow.TRANSITIONS.get(action)
    if transition is None:
        raise NotFound(_("Thao tác không tồn tại."))
    _require_scope(user, project)
    if not has_perm(user, transition.permission):
        raise Forbidden(
            _("Vai trò của bạn không được thực hiện bước “%(step)s”.") % {"step": transition.label},
        )
    project = _lock(project, expected_version)
    if project.status not in transition.sources:
        raise Conflict(
            _("Không thể “%(step)s” đề án đang ở trạng thái “%(status)s”.")
            % {"step": transition.label, "status": project.get_status_display()},
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
            raise DomainError(_("Thông tin này là bắt buộc cho bước này."), field=name)
    if decision_date is not None and decision_date > timezone.localdate():
        raise DomainError(_("Ngày không được sau ngày hôm nay."), field="decision_date")
    if appraisal_score is not None and not 0 <= appraisal_score <= 100:
        raise DomainError(_("Điểm thẩm định từ 0 đến 100."), field="appraisal_score")
    missing = missing_documents(project, transition, with_upload=upload is not None)
    if missing:
        raise DomainError(
            _("Bước “%(step)s” cần có tài liệu: %(docs)s.")
            % {"step": transition.label, "docs": ", ".join(missing)},
            field="file",
        )
    if action == "submit":
        _check_ready_to_submit(project)
    if action == "approve":
        conflicts = double_funding_conflicts(project)
        if conflicts and project.double_funding_acknowledged_at is None:
            raise Conflict(
                _(
                    "Đề án có cơ sở đã được hỗ trợ cùng nội dung trong cùng năm ở đề án khác. "
                    "Lãnh đạo cần xác nhận cảnh báo trùng hỗ trợ trước khi phê duyệt."
                ),
            )

    with pghistory.context(user=user.pk, action=f"project_{action}"):
        data: dict[str, Any] = {}
        if action == "appraise":
            project.appraisal_score = appraisal_score
            project.appraisal_recommendation = appraisal_recommendation.strip()
            data = {"score": appraisal_score, "recommendation": project.appraisal_recommendation}
        elif action == "approve":
            project.decision_number = decision_number.strip()
            project.decision_date = decision_date
            project.decision_signer = decision_signer.strip()
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
        step = ProjectTransition.objects.create(
            project=project,
            action=action,
            from_status=from_status,
            to_status=transition.target,
            actor=user,
            comment=comment.strip(),
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            document=document,
            data=data,
        )
    # Notices are written with the step (gone if it rolls back); emails leave after commit.
    from notifications.services import project_transition_notify

    project_transition_notify(transition=step)
    return step


def _record_actuals(project: Project, actual: dict[str, int]) -> dict[str, int]:
    indicators = {i.kind: i for i in project.indicators.all()}
    if not indicators and not actual:
        return {}
    for kind, indicator in indicators.items():
        value = actual.get(kind)
        if value is None:
            raise DomainError(
                _("Nhập số liệu thực hiện của chỉ tiêu “%(name)s”.") % {"name": indicator.get_kind_display()},
                field=f"actual_{kind}",
            )
        if value < 0:
            raise DomainError(_("Số liệu chỉ tiêu phải là số không âm."), field=f"actual_{kind}")
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
    upload: UploadedFile[Any] | None = None,
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
        raise Conflict(
            _("Chỉ điều chỉnh được đề án đã phê duyệt và chưa nghiệm thu (đang ở “%(status)s”).")
            % {"status": project.get_status_display()},
        )
    kinds = [k for k in kinds if k in AdjustmentKind.values]
    if not kinds:
        raise DomainError(_("Chọn ít nhất một nội dung điều chỉnh."), field="kinds")
    if not reason.strip():
        raise DomainError(_("Ghi rõ lý do điều chỉnh."), field="reason")
    if not decision_number.strip() or decision_date is None:
        raise DomainError(_("Điều chỉnh phải có số và ngày quyết định."), field="decision_number")
    if decision_date > timezone.localdate():
        raise DomainError(_("Ngày không được sau ngày hôm nay."), field="decision_date")
    unknown = set(changes) - set(ADJUSTABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not adjustable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(project, name, value)
    _check_years(project.start_year, project.end_year, project.kind)
    if project.total_cost < 0:
        raise DomainError(_("Tổng kinh phí không được âm."), field="total_cost")
    if not project.implementing_unit_id and not project.implementing_unit_name.strip():
        raise DomainError(_("Cần chọn hoặc ghi tên đơn vị thực hiện."), field="implementing_unit_name")
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
            derive_legacy_units(project)
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
                raise DomainError(
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
    indicators: dict[str, int] | None = None,
) -> ProgressReport:
    """File the monthly progress report of a project being implemented (one per month), with the
    indicators achieved so far (cumulative; only the kinds the project planned)."""
    _require_perm(user, "project.change")
    _require_scope(user, project)
    project = _lock(project)
    if project.status not in workflow.REPORTING_STATES:
        raise Conflict(_("Chỉ báo cáo tiến độ khi đề án đang triển khai."))
    if not 0 <= percent_done <= 100:
        raise DomainError(_("Tỷ lệ hoàn thành từ 0 đến 100%."), field="percent_done")
    if money_used < 0:
        raise DomainError(_("Kinh phí đã sử dụng không được âm."), field="money_used")
    achieved = _check_progress_indicators(project, indicators or {})
    period = period.replace(day=1)
    if project.progress_reports.filter(period=period).exists():
        raise DomainError(_("Tháng này đã có báo cáo tiến độ."), field="period")
    report = ProgressReport.objects.create(
        project=project,
        period=period,
        percent_done=percent_done,
        money_used=money_used,
        problems=problems.strip(),
        reported_by=user,
    )
    ProgressIndicator.objects.bulk_create(
        ProgressIndicator(report=report, kind=kind, value=value) for kind, value in sorted(achieved.items())
    )
    return report


def _check_progress_indicators(project: Project, indicators: dict[str, int]) -> dict[str, int]:
    """The reported indicators, checked: planned kinds only, whole numbers ≥ 0, parts within trainees."""
    planned = set(project.indicators.values_list("kind", flat=True))
    for kind, value in indicators.items():
        if kind not in planned:
            raise DomainError(_("Chỉ tiêu này không có trong kế hoạch của đề án."), field=kind)
        if value is None or value < 0:
            raise DomainError(_("Số liệu chỉ tiêu phải là số không âm."), field=kind)
    total = indicators.get(IndicatorKind.TRAINEES)
    for part in (IndicatorKind.TRAINEES_FEMALE, IndicatorKind.TRAINEES_ETHNIC):
        part_value = indicators.get(part)
        if part_value and (total is None or part_value > total):
            raise DomainError(
                _("“%(part)s” không được lớn hơn tổng số học viên.") % {"part": IndicatorKind(part).label},
                field=part,
            )
    return {kind: value for kind, value in indicators.items() if value is not None}
