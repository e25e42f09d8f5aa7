"""Filtering by the provinces and districts that existed before 1/7/2025.

What "in former Hòa Bình" means, exactly:
* a facility: its recorded former commune was in Hòa Bình; with none recorded, its commune of today
  lay wholly in Hòa Bình (``Commune.legacy_province``; a commune straddling an old boundary is not
  guessed into either side);
* a project: its recorded former unit (``Project.legacy_province`` / ``legacy_district``), set by
  the import from the workbook, or derived from its communes when they all lay in one former unit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.caching import cached
from core.parsing import is_ascii_digits

from .models import LegacyDistrict, LegacyProvince

LEGACY_PROVINCE_LABEL = _("Tỉnh cũ (trước 1/7/2025)")
LEGACY_DISTRICT_LABEL = _("Huyện cũ (trước 1/7/2025)")


def _visible(user: Any) -> int | None:
    """The one province of today the user is fixed to, or None for a user who sees every province."""
    from core.scoping import fixed_province_id

    return None if user is None else fixed_province_id(user)


def legacy_province_choices(user: Any) -> list[tuple[int, str]]:
    """Former provinces inside the provinces ``user`` may see, "Tỉnh Hoà Bình (nay Phú Thọ)" (cached)."""

    def build() -> list[tuple[int, int, str]]:
        rows = LegacyProvince.objects.select_related("province").order_by("name")
        return [(p.code, p.province_id, f"{p.name} (nay {p.province.short_name})") for p in rows]

    fixed = _visible(user)
    rows = cached("regions:legacy-province-choices", build, 3600)
    return [(code, label) for code, new, label in rows if fixed is None or new == fixed]


def legacy_district_choices(user: Any, legacy_province: int | None) -> list[tuple[int, str]]:
    """Former districts of the chosen former province, or of every former province in scope (cached)."""

    def build() -> list[tuple[int, int, int, str]]:
        rows = LegacyDistrict.objects.select_related("legacy_province").order_by(
            "legacy_province__name", "name"
        )
        return [
            (
                d.code,
                d.legacy_province_id,
                d.legacy_province.province_id,
                f"{d.name} ({d.legacy_province.name})",
            )
            for d in rows
        ]

    fixed = _visible(user)
    rows = cached("regions:legacy-district-choices", build, 3600)
    return [
        (code, label)
        for code, old, new, label in rows
        if (fixed is None or new == fixed) and (not legacy_province or old == legacy_province)
    ]


def add_legacy_fields(form: forms.Form, user: Any, data: Any) -> None:
    """Add the two optional filters to ``form`` (choices limited to the user's scope)."""
    form.fields["legacy_province"] = forms.TypedChoiceField(
        label=LEGACY_PROVINCE_LABEL,
        choices=[("", _("Tất cả")), *legacy_province_choices(user)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    chosen = (data or {}).get("legacy_province") if data is not None else None
    chosen_code = int(str(chosen)) if is_ascii_digits(chosen) and len(str(chosen)) < 6 else None
    form.fields["legacy_district"] = forms.TypedChoiceField(
        label=LEGACY_DISTRICT_LABEL,
        choices=[("", _("Tất cả")), *legacy_district_choices(user, chosen_code)],
        coerce=int,
        required=False,
        empty_value=None,
    )


def facility_q(legacy_province: int | None, legacy_district: int | None, prefix: str = "") -> Q:
    """Facilities in a former province/district (recorded former commune first, else today's commune)."""
    recorded = f"{prefix}legacy_commune__legacy_district"
    unrecorded = {f"{prefix}legacy_commune__isnull": True}
    q = Q()
    if legacy_district:
        q &= Q(**{f"{recorded}_id": legacy_district}) | Q(
            **unrecorded, **{f"{prefix}commune__legacy_district_id": legacy_district}
        )
    if legacy_province:
        q &= Q(**{f"{recorded}__legacy_province_id": legacy_province}) | Q(
            **unrecorded, **{f"{prefix}commune__legacy_province_id": legacy_province}
        )
    return q


def project_q(legacy_province: int | None, legacy_district: int | None) -> Q:
    q = Q()
    if legacy_district:
        q &= Q(legacy_district_id=legacy_district)
    if legacy_province:
        q &= Q(legacy_province_id=legacy_province)
    return q


def describe(legacy_province: int | None, legacy_district: int | None) -> str:
    """ "Huyện Lương Sơn, Tỉnh Hoà Bình (trước 1/7/2025)" for report titles; "" without a filter."""
    if legacy_district:
        district = (
            LegacyDistrict.objects.select_related("legacy_province").filter(code=legacy_district).first()
        )
        unit = f"{district.name}, {district.legacy_province.name}" if district else str(legacy_district)
    elif legacy_province:
        province = LegacyProvince.objects.filter(code=legacy_province).first()
        unit = province.name if province else str(legacy_province)
    else:
        return ""
    return str(_("%(unit)s (trước 1/7/2025)") % {"unit": unit})


def former_units_of(codes: list[int]) -> dict[int, str]:
    """For communes of today: the former units they took over, in one query.

    "Xã Cư Yên, Xã Liên Sơn, một phần Xã Cao Sơn, Huyện Lương Sơn, Tỉnh Hoà Bình"; units of several
    former districts are separated by "; ".
    """
    from .models import LegacyCommuneSuccessor

    rows = (
        LegacyCommuneSuccessor.objects.filter(commune_id__in=codes)
        .select_related("legacy_commune__legacy_district__legacy_province")
        .order_by("commune_id", "legacy_commune__legacy_district_id", "legacy_commune__name")
    )
    grouped: dict[int, dict[tuple[str, str], list[str]]] = {}
    for row in rows:
        old = row.legacy_commune
        district = old.legacy_district
        name = str(_("một phần %(name)s") % {"name": old.name}) if row.partly else old.name
        key = (district.name, district.legacy_province.name)
        grouped.setdefault(row.commune_id, {}).setdefault(key, []).append(name)
    return {
        code: "; ".join(", ".join([*names, district, province]) for (district, province), names in by.items())
        for code, by in grouped.items()
    }
