"""Former administrative units (before 1/7/2025) as clerks write them, resolved to today's commune.

One resolver per import: it loads the former provinces that roll into today's province, their
districts and communes, and the decree's successor pairs, once. A former commune taken over whole
by one new commune resolves to it; one split between several new communes resolves only when the
row (or the user, in the dry run) names which: it is never guessed. A new commune that did not take
over the former commune named in the same row is a contradiction, reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.parsing import is_ascii_digits
from core.search import fold

from .models import Commune, LegacyCommune, LegacyCommuneSuccessor, LegacyDistrict, LegacyProvince

_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|x\.|p\.|tt\.?|tt)\s*")
_DISTRICT_PREFIX = re.compile(r"^(huyen|quan|thi xa|thanh pho|tp\.?|tx\.?|h\.|q\.)\s*")
_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?|t\.)\s*")


def bare(text: str, prefix: re.Pattern[str]) -> str:
    """A unit's name folded and without its kind: "Huyện Lương Sơn" → "luong son"."""
    return prefix.sub("", fold(text)).strip()


def legacy_label(commune: LegacyCommune) -> str:
    district = commune.legacy_district
    return f"{commune.name}, {district.name}, {district.legacy_province.name}"


@dataclass
class Resolution:
    """What a row's former (and new) units resolve to."""

    commune: Commune | None = None
    legacy: LegacyCommune | None = None
    legacy_district: LegacyDistrict | None = None
    legacy_province: LegacyProvince | None = None
    candidates: list[Commune] = field(default_factory=list)  # a split former commune: choose one
    error: str = ""
    error_key: str = ""


class LegacyResolver:
    """Former units of the former provinces now inside ``province_id``."""

    def __init__(self, province_id: int, communes: dict[int, Commune] | None = None) -> None:
        self.province_id = province_id
        self.provinces = list(LegacyProvince.objects.filter(province_id=province_id))
        self.districts = list(
            LegacyDistrict.objects.filter(legacy_province__in=self.provinces).select_related(
                "legacy_province"
            )
        )
        district_by_code = {d.code: d for d in self.districts}
        self.communes = list(LegacyCommune.objects.filter(legacy_district__in=self.districts))
        for commune in self.communes:
            commune.legacy_district = district_by_code[commune.legacy_district_id]
        self.commune_by_code = {c.code: c for c in self.communes}
        if communes is None:
            communes = {c.code: c for c in Commune.objects.filter(province_id=province_id)}
        self.today = communes
        self.successors: dict[int, list[Commune]] = {}
        for old, new in LegacyCommuneSuccessor.objects.filter(
            legacy_commune__in=self.commune_by_code
        ).values_list("legacy_commune_id", "commune_id"):
            if new in communes:
                self.successors.setdefault(old, []).append(communes[new])
        self.province_by_name: dict[str, LegacyProvince] = {}
        for p in self.provinces:
            self.province_by_name[bare(p.name, _PROVINCE_PREFIX)] = p
        self.district_by_name: dict[str, list[LegacyDistrict]] = {}
        for d in self.districts:
            self.district_by_name.setdefault(bare(d.name, _DISTRICT_PREFIX), []).append(d)
            self.district_by_name.setdefault(fold(d.name), []).append(d)
        self.commune_by_name: dict[str, list[LegacyCommune]] = {}
        for c in self.communes:
            for key in {bare(c.name, _COMMUNE_PREFIX), fold(c.name)}:
                self.commune_by_name.setdefault(key, []).append(c)

    # --- single units --------------------------------------------------------------------------
    def province(self, text: str) -> LegacyProvince | None:
        return self.province_by_name.get(bare(text, _PROVINCE_PREFIX))

    def districts_named(self, text: str, province: LegacyProvince | None) -> list[LegacyDistrict]:
        if is_ascii_digits(text) and len(text) < 10:
            found = [d for d in self.districts if d.code == int(text)]
        else:
            found = self.district_by_name.get(fold(text)) or self.district_by_name.get(
                bare(text, _DISTRICT_PREFIX), []
            )
        found = list(dict.fromkeys(found))
        return [d for d in found if province is None or d.legacy_province_id == province.code]

    def communes_named(
        self, text: str, district: LegacyDistrict | None, province: LegacyProvince | None
    ) -> list[LegacyCommune]:
        if is_ascii_digits(text) and len(text) < 10:
            one = self.commune_by_code.get(int(text))
            found = [one] if one else []
        else:
            found = self.commune_by_name.get(fold(text)) or self.commune_by_name.get(
                bare(text, _COMMUNE_PREFIX), []
            )
        found = list(dict.fromkeys(found))
        if district is not None:
            found = [c for c in found if c.legacy_district_id == district.code]
        if province is not None:
            found = [c for c in found if c.legacy_district.legacy_province_id == province.code]
        return found

    # --- a row ---------------------------------------------------------------------------------
    def resolve(
        self,
        *,
        commune: Commune | None,
        commune_text: str,
        district_text: str = "",
        province_text: str = "",
        chosen: int | None = None,
    ) -> Resolution:
        """Today's commune for a row naming a former commune (and maybe district, province, new commune)."""
        result = Resolution(commune=commune)
        province = None
        if province_text:
            province = self.province(province_text)
            if province is None:
                return self._fail(
                    result,
                    "legacy_province",
                    _("“%(v)s” không phải tỉnh cũ nay thuộc tỉnh đang nhập.") % {"v": province_text},
                )
            result.legacy_province = province
        district = None
        if district_text:
            districts = self.districts_named(district_text, province)
            if len(districts) != 1:
                message = (
                    _("Không tìm thấy huyện cũ “%(v)s”.")
                    if not districts
                    else _("Có nhiều huyện cũ tên “%(v)s”; hãy ghi tỉnh cũ.")
                )
                return self._fail(result, "legacy_district", message % {"v": district_text})
            district = districts[0]
            result.legacy_district = district
            result.legacy_province = district.legacy_province
        if not commune_text:
            return result
        found = self.communes_named(commune_text, district, province)
        if not found:
            return self._fail(
                result,
                "legacy_commune",
                _("Không tìm thấy xã cũ “%(v)s” trong các tỉnh cũ nay thuộc tỉnh đang nhập.")
                % {"v": commune_text},
            )
        if len(found) > 1:
            places = "; ".join(f"{c.legacy_district.name}" for c in found[:6])
            return self._fail(
                result,
                "legacy_commune",
                _("Có %(n)s xã cũ tên “%(v)s” (%(places)s); hãy ghi huyện cũ.")
                % {"n": len(found), "v": commune_text, "places": places},
            )
        legacy = found[0]
        result.legacy = legacy
        result.legacy_district = legacy.legacy_district
        result.legacy_province = legacy.legacy_district.legacy_province
        successors = self.successors.get(legacy.code, [])
        if commune is not None:
            if commune not in successors:
                names = ", ".join(c.name for c in successors) or "—"
                return self._fail(
                    result,
                    "commune",
                    _("“%(new)s” không tiếp nhận %(old)s (xã cũ này nay thuộc: %(names)s); hãy kiểm tra lại.")
                    % {"new": commune.name, "old": legacy_label(legacy), "names": names},
                )
            return result
        if chosen is not None:
            picked = next((c for c in successors if c.code == chosen), None)
            if picked is not None:
                result.commune = picked
                return result
        if len(successors) == 1:
            result.commune = successors[0]
        elif successors:
            result.candidates = successors
        else:
            return self._fail(
                result,
                "legacy_commune",
                _("Xã cũ %(old)s không có xã mới tương ứng; hãy ghi xã mới.") % {"old": legacy_label(legacy)},
            )
        return result

    @staticmethod
    def _fail(result: Resolution, key: str, message: str) -> Resolution:
        result.error, result.error_key = message, key
        return result
