"""Look-ups for choosers: communes of today (filtered by province) and former units."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views import View

from core.parsing import is_ascii_digits
from core.search import unaccent_contains
from core.views import PortalPermissionMixin

from .former import former_units_of
from .models import Commune, LegacyCommune, LegacyCommuneSuccessor


class CommuneSearchView(PortalPermissionMixin, View):
    """``?q=…&province=…`` → up to 30 communes as JSON (reference data, visible to every user)."""

    permission_required = "portal.view"

    def get(self, request: HttpRequest) -> JsonResponse:
        query = request.GET.get("q", "")[:100]
        qs = Commune.objects.select_related("province").order_by("name")
        province = request.GET.get("province", "")
        if is_ascii_digits(province) and len(province) < 6:
            qs = qs.filter(province_id=int(province))
        if query.strip():
            # Today's name, or the name of a former commune or district it took over.
            former = LegacyCommune.objects.filter(
                unaccent_contains(["name", "legacy_district__name"], query)
            ).values("code")
            taken_over = LegacyCommuneSuccessor.objects.filter(legacy_commune__in=former).values("commune_id")
            qs = qs.filter(unaccent_contains(["name"], query) | Q(code__in=taken_over))
        communes = list(qs[:30])
        before = former_units_of([c.code for c in communes])
        results = []
        for c in communes:
            text = f"{c.name} — {c.province.short_name}"
            if before.get(c.code):
                text += " " + _("(trước 1/7/2025: %(units)s)") % {"units": before[c.code]}
            results.append({"value": c.code, "text": text, "province": c.province_id})
        return JsonResponse({"results": results})


class LegacyCommuneSearchView(PortalPermissionMixin, View):
    """``?q=…`` → former communes with their district, province and today's commune."""

    permission_required = "portal.view"

    def get(self, request: HttpRequest) -> JsonResponse:
        query = request.GET.get("q", "")
        qs = LegacyCommune.objects.select_related(
            "legacy_district__legacy_province", "commune__province"
        ).order_by("name")
        if query:
            qs = qs.filter(unaccent_contains(["name"], query))
        results = [
            {
                "value": c.code,
                "text": f"{c.name}, {c.legacy_district.name}, {c.legacy_district.legacy_province.name}",
                "commune": c.commune_id,
                "province": c.commune.province_id if c.commune else None,
            }
            for c in qs[:30]
        ]
        return JsonResponse({"results": results})
