"""Where a facility row is: today's commune, written directly or through its former units."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from core.parsing import is_ascii_digits
from core.search import fold
from regions.legacy import LegacyResolver, legacy_label
from regions.models import Commune

from .spec import CheckResult

_PREFIX = re.compile(r"^(xa|phuong|dac khu) ")


class Places:
    """Today's communes of the importing province and the former units that roll into it."""

    def __init__(self, province_id: int) -> None:
        communes = list(
            Commune.objects.filter(province_id=province_id).only(
                "code", "name", "kind", "province_id", "legacy_district_id", "legacy_province_id"
            )
        )
        self.by_code = {c.code: c for c in communes}
        self.by_name: dict[str, list[Commune]] = {}
        for commune in communes:
            folded = fold(commune.name)
            for key in {folded, _PREFIX.sub("", folded)}:
                self.by_name.setdefault(key, []).append(commune)
        self.legacy = LegacyResolver(province_id, self.by_code)
        self.districts_of: dict[int, set[int]] = {}
        for old, news in self.legacy.successors.items():
            district = self.legacy.commune_by_code[old].legacy_district
            for new in news:
                self.districts_of.setdefault(new.code, set()).add(district.code)

    def today(self, text: str) -> tuple[Commune | None, str]:
        """(commune, error) for a commune of today written by code or name."""
        if is_ascii_digits(text) and len(text) < 10:
            commune = self.by_code.get(int(text))
            if commune is None:
                return None, _("Mã %(value)s không phải xã/phường/đặc khu của tỉnh đang nhập.") % {
                    "value": text
                }
            return commune, ""
        matches = self.by_name.get(fold(text)) or self.by_name.get(_PREFIX.sub("", fold(text)), [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, _("“%(value)s” trùng tên nhiều đơn vị; hãy ghi mã xã.") % {"value": text}
        return None, _("“%(value)s” không phải xã/phường/đặc khu của tỉnh đang nhập.") % {"value": text}


def locate(
    number: int,
    texts: dict[str, str],
    places: Places,
    result: CheckResult,
    labels: dict[str, str],
    chosen: int | None,
) -> tuple[Commune | None, Any]:
    """(today's commune, former commune) of a row; errors, pending choices and mappings go in ``result``."""
    commune_text = texts["commune"]
    legacy_text, district_text, province_text = (
        texts["legacy_commune"],
        texts["legacy_district"],
        texts["legacy_province"],
    )
    commune = None
    if commune_text:
        commune, error = places.today(commune_text)
        if commune is None and not legacy_text:
            # A former commune's name written where today's belongs (clerks' older sheets): map it.
            found = places.legacy.communes_named(commune_text, None, None)
            if found:
                legacy_text, commune_text = commune_text, ""
            else:
                result.error(number, labels["commune"], error)
                return None, None
        elif commune is None:
            result.error(number, labels["commune"], error)
            return None, None
    if not (legacy_text or district_text or province_text):
        if commune is None:
            result.error(number, labels["commune"], _("Thiếu xã/phường/đặc khu (hoặc xã cũ)."))
        return commune, None
    resolution = places.legacy.resolve(
        commune=commune,
        commune_text=legacy_text,
        district_text=district_text,
        province_text=province_text,
        chosen=chosen,
    )
    if resolution.error:
        result.error(number, labels[resolution.error_key], resolution.error)
        return None, None
    if resolution.candidates:
        result.choices.append(
            {
                "row": number,
                "name": texts["name"],
                "address": texts["address"],
                "legacy": legacy_label(resolution.legacy) if resolution.legacy else legacy_text,
                "candidates": [[c.code, c.name] for c in resolution.candidates],
            }
        )
        return None, resolution.legacy
    commune = resolution.commune
    if commune is None:
        result.error(number, labels["commune"], _("Thiếu xã/phường/đặc khu (hoặc xã cũ)."))
        return None, None
    if resolution.legacy is None and resolution.legacy_district is not None:
        # Only a former district (or province) given beside today's commune: they must agree.
        if resolution.legacy_district.code not in places.districts_of.get(commune.code, set()):
            result.error(
                number,
                labels["commune"],
                _("“%(new)s” không nằm trên địa bàn %(old)s cũ; hãy kiểm tra lại.")
                % {"new": commune.name, "old": resolution.legacy_district},
            )
            return None, None
    elif (
        resolution.legacy is None
        and resolution.legacy_province is not None
        and commune.legacy_province_id not in (None, resolution.legacy_province.code)
    ):
        result.error(
            number,
            labels["commune"],
            _("“%(new)s” không nằm trên địa bàn %(old)s cũ; hãy kiểm tra lại.")
            % {"new": commune.name, "old": resolution.legacy_province},
        )
        return None, None
    if resolution.legacy is not None:
        mapping = result.report.setdefault("legacy", {})
        key = f"{legacy_label(resolution.legacy)} → {commune.name}"
        mapping[key] = mapping.get(key, 0) + 1
    return commune, resolution.legacy
