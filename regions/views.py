"""Look-ups for choosers: communes of today (filtered by province) and former units."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views import View

from core.search import unaccent_contains
from core.views import PortalPermissionMixin

from .models import Commune, LegacyCommune


class CommuneSearchView(PortalPermissionMixin, View):
    """``?q=…&province=…`` → up to 30 communes as JSON (reference data, visible to every user)."""

    permission_required = "portal.view"

    def get(self, request: HttpRequest) -> JsonResponse:
        query = request.GET.get("q", "")
        qs = Commune.objects.select_related("province").order_by("name")
        province = request.GET.get("province", "")
        if province.isdigit():
            qs = qs.filter(province_id=int(province))
        if query:
            qs = qs.filter(unaccent_contains(["name"], query))
        results = [
            {"value": c.code, "text": f"{c.name} — {c.province.short_name}", "province": c.province_id}
            for c in qs[:30]
        ]
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
