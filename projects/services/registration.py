"""Registering and editing a project: fields, beneficiaries, planned indicators, double funding."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pghistory
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationKind, User
from core.errors import Conflict, DomainError, Forbidden, NotFound
from core.scoping import user_can_see_province
from regions.models import Commune, Province

from .. import workflow
from ..models import (
    ActivityCategory,
    IndicatorKind,
    Project,
    ProjectBeneficiary,
    ProjectIndicator,
    ProjectKind,
    ProjectStatus,
)
from ..permissions import may_change_beneficiaries
from .base import (
    EDITABLE_FIELDS,
    _bump,
    _check_categories,
    _check_communes,
    _check_facility,
    _check_years,
    _lock,
    _require_editable,
    _require_perm,
    _require_scope,
    derive_legacy_units,
    next_project_code,
)


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
        raise DomainError(_("Chọn tỉnh/thành phố quản lý đề án."), field="province")
    if not user_can_see_province(user, province.pk):
        raise Forbidden(_("Bạn không quản lý đề án của tỉnh này."), field="province")
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
            raise DomainError(_("Tỉnh này chưa có cơ quan quản lý trên hệ thống."), field="province")
    if not implementing_unit and not implementing_unit_name.strip():
        raise DomainError(_("Cần chọn hoặc ghi tên đơn vị thực hiện."), field="implementing_unit")
    if total_cost < 0:
        raise DomainError(_("Tổng kinh phí không được âm."), field="total_cost")
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
            raise DomainError(_("Mã đề án đã tồn tại."), field="code") from exc
        project.extra_categories.set(extra)
        project.communes.set(communes)
        derive_legacy_units(project)
        if project.legacy_province_id:
            project.save(update_fields=["legacy_province", "legacy_district"])
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
        raise DomainError(_("Cần chọn hoặc ghi tên đơn vị thực hiện."), field="implementing_unit")
    with pghistory.context(user=user.pk, action="project_update"):
        _bump(project, user)
        project.save()
        if extra_categories is not None:
            project.extra_categories.set(extra)
        if communes is not None:
            communes = list(communes)
            _check_communes(communes, project.province_id)
            project.communes.set(communes)
            derive_legacy_units(project)
            project.save(update_fields=["legacy_province", "legacy_district"])
    return project


@transaction.atomic
def project_add_beneficiary(
    *, user: User, project: Project, facility: Any, note: str = ""
) -> ProjectBeneficiary:
    """Add a beneficiary facility (draft/returned, or an approved đề án nhóm naming its beneficiaries)."""
    _require_perm(user, "project.change")
    _require_scope(user, project)
    project = _lock(project)
    if not may_change_beneficiaries(project):
        _require_editable(project)
    _check_facility(facility, project)
    if ProjectBeneficiary.objects.filter(project=project, facility=facility).exists():
        raise DomainError(_("Cơ sở này đã có trong danh sách thụ hưởng."), field="facility")
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
        raise NotFound(_("Cơ sở không thuộc đề án này."))
    if not may_change_beneficiaries(project) or project.status not in workflow.EDITABLE_STATES:
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
                raise DomainError(_("Chỉ tiêu không hợp lệ."), field=kind)
            if value is None or value < 0:
                raise DomainError(_("Số liệu chỉ tiêu phải là số không âm."), field=kind)
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
                raise DomainError(
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
        raise Conflict(_("Đề án đã kết thúc."))
    if not note.strip():
        raise DomainError(_("Ghi rõ lý do chấp nhận (vd. hỗ trợ khác hạng mục)."), field="note")
    with pghistory.context(user=user.pk, action="project_acknowledge_double_funding"):
        project.double_funding_acknowledged_by = user
        project.double_funding_acknowledged_at = timezone.now()
        project.double_funding_note = note.strip()
        _bump(project, user)
        project.save()
    return project
