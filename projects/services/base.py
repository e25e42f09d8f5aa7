"""Shared pieces of the services: the domain error, project codes, scope/role/state checks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import has_perm
from core.errors import Conflict, DomainError, Forbidden, NotFound
from core.scoping import user_can_see_province
from core.search import fold
from regions.models import Commune, Province

from .. import workflow
from ..models import (
    ActivityCategory,
    Project,
    ProjectCodeCounter,
    ProjectKind,
)

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
        raise NotFound(_("Không tìm thấy đề án."))


def _require_perm(user: User, permission: str) -> None:
    if not has_perm(user, permission):
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này."))


def _lock(project: Project, expected_version: int | None = None) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Đề án vừa được người khác cập nhật (phiên bản %(current)s). "
                "Vui lòng tải lại trang và thực hiện lại."
            )
            % {"current": locked.version},
        )
    return locked


def _require_editable(project: Project) -> None:
    if project.status not in workflow.EDITABLE_STATES:
        raise Conflict(
            _(
                "Đề án đang ở trạng thái “%(status)s”: chỉ sửa được khi là dự thảo hoặc bị trả lại. "
                "Sau phê duyệt, mọi thay đổi phải qua điều chỉnh có quyết định."
            )
            % {"status": project.get_status_display()},
        )


def _check_years(start_year: int, end_year: int, kind: str) -> None:
    if end_year < start_year:
        raise DomainError(_("Năm kết thúc không được trước năm bắt đầu."), field="end_year")
    if kind == ProjectKind.FLAGSHIP and end_year <= start_year:
        raise DomainError(_("Đề án điểm phải thực hiện trong hơn một năm."), field="end_year")


def _check_categories(
    category: ActivityCategory, extra: Iterable[ActivityCategory], kind: str, start_year: int, end_year: int
) -> None:
    first_day, last_day = datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31)
    for cat in [category, *extra]:
        if cat.valid_from > last_day or (cat.valid_to is not None and cat.valid_to < first_day):
            raise DomainError(
                _("Nội dung “%(name)s” không còn hoặc chưa có hiệu lực trong thời gian thực hiện đề án.")
                % {"name": cat},
                field="category",
            )
    distinct = {category.pk, *(c.pk for c in extra)}
    if kind == ProjectKind.FLAGSHIP and len(distinct) < 2:
        raise DomainError(
            _("Đề án điểm phải kết hợp ít nhất hai nội dung hoạt động có liên quan."),
            field="extra_categories",
        )


def _check_communes(communes: Iterable[Commune], province_id: int) -> None:
    for commune in communes:
        if commune.province_id != province_id:
            raise DomainError(
                _("Xã/phường “%(name)s” không thuộc tỉnh quản lý đề án.") % {"name": commune.name},
                field="communes",
            )


def _check_facility(facility: Any, project: Project) -> None:
    if facility.province_id != project.province_id:
        raise DomainError(
            _("Cơ sở “%(name)s” không thuộc tỉnh quản lý đề án.") % {"name": facility.name},
            field="facilities",
        )
    eligibility = getattr(facility, "eligibility", None)  # beneficiaries.Facility.eligibility
    if eligibility is not None and not eligibility.eligible:
        raise DomainError(
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


def derive_legacy_units(project: Project) -> None:
    """Set the project's former district/province from its communes when they all lay in one.

    A commune's former unit is its recorded former commune's, else the commune's own when it lay
    wholly in one former unit; any unknown or differing unit leaves the field empty (never a guess).
    Without communes, whatever was recorded stays. The caller saves the project.
    """
    from projects.models import ProjectCommune

    rows = list(
        ProjectCommune.objects.filter(project=project).values_list(
            "legacy_commune__legacy_district_id",
            "legacy_commune__legacy_district__legacy_province_id",
            "commune__legacy_district_id",
            "commune__legacy_province_id",
        )
    )
    if not rows:
        return
    districts = {recorded_d if recorded_d else today_d for recorded_d, _rp, today_d, _tp in rows}
    provinces = {recorded_p if recorded_p else today_p for _rd, recorded_p, _td, today_p in rows}
    project.legacy_district_id = next(iter(districts)) if len(districts) == 1 else None
    project.legacy_province_id = next(iter(provinces)) if len(provinces) == 1 else None
