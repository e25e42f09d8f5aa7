"""Writes to the facility register: create, update, duplicate detection (keyword-only, atomic)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, DomainError, Forbidden
from core.scoping import user_can_see_province
from core.search import KcUnaccent, fold
from regions.models import Commune

from .models import Facility, FacilityStatus, PersonalDataAccess, Sector

#: Fields a caller may set through the services (province and audit fields are derived).
EDITABLE_FIELDS = (
    "name",
    "kind",
    "tax_code",
    "personal_id",
    "business_reg_no",
    "representative",
    "phone",
    "email",
    "address",
    "commune",
    "legacy_commune",
    "craft_village",
    "main_products",
    "year_founded",
    "workers_total",
    "workers_female",
    "workers_ethnic_minority",
    "annual_revenue",
    "status",
    "merged_into",
    "women_owned",
    "minority_owned",
    "disadvantaged_area",
)


class DuplicateFacility(Conflict):
    """The facility already exists: ``existing`` are the matching records (those the user may see)."""

    def __init__(self, message: str, *, existing: list[Facility], hidden: int = 0, field: str | None = None):
        super().__init__(message, field=field, code="duplicate")
        self.existing = existing
        self.hidden = hidden


def find_duplicates(
    *,
    name: str,
    commune: Commune | None,
    tax_code: str = "",
    personal_id: str = "",
    exclude_pk: int | None = None,
) -> tuple[list[Facility], str | None]:
    """Active facilities that look like this one: same tax code, same personal ID, or same name in the
    same commune (ignoring diacritics and case). Returns the matches and the reason."""
    base = Facility.objects.filter(status=FacilityStatus.ACTIVE).select_related("province", "commune")
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    if tax_code:
        found = list(base.filter(tax_code=tax_code)[:5])
        if found:
            return found, "tax_code"
    if personal_id:
        found = list(base.filter(personal_id=personal_id)[:5])
        if found:
            return found, "personal_id"
    if name and commune is not None:
        found = list(base.alias(folded=KcUnaccent("name")).filter(commune=commune, folded=fold(name))[:5])
        if found:
            return found, "name"
    return [], None


def _raise_duplicate(user: User, found: list[Facility], reason: str) -> None:
    visible = [f for f in found if user_can_see_province(user, f.province_id)]
    hidden = len(found) - len(visible)
    messages = {
        "tax_code": (_("Mã số thuế này đã có trong sổ đăng ký."), "tax_code"),
        "personal_id": (_("Số định danh cá nhân này đã có trong sổ đăng ký."), "personal_id"),
        "name": (_("Đã có cơ sở cùng tên tại xã/phường này."), "name"),
    }
    message, field = messages[reason]
    if hidden and not visible:
        message = _("%(msg)s Cơ sở đó thuộc tỉnh/thành phố khác; liên hệ nơi quản lý để chuyển hồ sơ.") % {
            "msg": message
        }
    raise DuplicateFacility(message, existing=visible, hidden=hidden, field=field)


def _check_scope(user: User, commune: Commune) -> None:
    if not user_can_see_province(user, commune.province_id):
        raise Forbidden(_("Bạn không có quyền ghi dữ liệu của tỉnh/thành phố này."), field="commune")


def _apply(facility: Facility, data: dict[str, Any]) -> None:
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(facility, field, data[field])
    if facility.status != FacilityStatus.MERGED:
        facility.merged_into = None
    # The province is denormalised from the commune, here and only here.
    facility.province_id = facility.commune.province_id


def _save(facility: Facility, sectors: Iterable[Sector] | None) -> None:
    try:
        facility.full_clean(exclude=["created_by", "updated_by"], validate_unique=False)
    except ValidationError as exc:
        # Out-of-range numbers and check constraints: shown next to the fields, like domain errors.
        errors: dict[str | None, list[str]] = (
            dict(exc.message_dict.items()) if hasattr(exc, "error_dict") else {None: exc.messages}
        )
        raise DomainError(errors) from exc
    try:
        with transaction.atomic():
            facility.save()
    except IntegrityError as exc:
        if "facility_one_active_per_tax_code" in str(exc):
            raise DomainError(
                _("Đã có một cơ sở đang hoạt động với mã số thuế này."), field="tax_code"
            ) from exc
        raise
    if sectors is not None:
        facility.sectors.set(list(sectors))


def facility_create(
    *,
    user: User,
    data: dict[str, Any],
    sectors: Iterable[Sector] | None = None,
    allow_same_name: bool = False,
) -> Facility:
    """Register a facility after scope and duplicate checks; the database constraints back them up."""
    with transaction.atomic():
        commune = data["commune"]
        _check_scope(user, commune)
        found, reason = find_duplicates(
            name=data.get("name", ""),
            commune=commune,
            tax_code=data.get("tax_code", ""),
            personal_id=data.get("personal_id", ""),
        )
        if found and reason and not (reason == "name" and allow_same_name):
            _raise_duplicate(user, found, reason)
        facility = Facility(created_by=user, updated_by=user)
        _apply(facility, data)
        _save(facility, sectors)
        return facility


def facility_update(
    *, user: User, facility: Facility, data: dict[str, Any], sectors: Iterable[Sector] | None = None
) -> Facility:
    """Change a facility (locked for the update); moving it to another province needs scope there too."""
    with transaction.atomic():
        locked = Facility.objects.select_for_update().get(pk=facility.pk)
        _check_scope(user, locked.commune)
        _check_scope(user, data.get("commune", locked.commune))
        new_tax = data.get("tax_code", locked.tax_code)
        new_status = data.get("status", locked.status)
        if new_tax and new_status == FacilityStatus.ACTIVE:
            found, reason = find_duplicates(name="", commune=None, tax_code=new_tax, exclude_pk=locked.pk)
            if found and reason:
                _raise_duplicate(user, found, reason)
        merged_into = data.get("merged_into")
        if merged_into is not None and merged_into.pk == locked.pk:
            raise DomainError(_("Cơ sở không thể sáp nhập vào chính nó."), field="merged_into")
        _apply(locked, data)
        locked.updated_by = user
        _save(locked, sectors)
        return locked


def log_personal_data(
    *,
    user: User,
    action: str,
    facility: Facility | None = None,
    export: str = "",
    row_count: int | None = None,
    unmasked: bool = False,
) -> PersonalDataAccess:
    """One row of the personal data log: a reveal of one record, or an export with its row count."""
    return PersonalDataAccess.objects.create(
        user=user, action=action, facility=facility, export=export, row_count=row_count, unmasked=unmasked
    )
