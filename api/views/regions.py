"""Administrative units (national master data, the same for every caller): today's provinces and
communes with their national codes, and the former units mapped to today's."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema

from regions.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province

from .. import filters
from ..serializers import regions as s
from .base import ApiDetailView, ApiListView, ApiView

TAGS = ["Địa giới hành chính"]


class _Regions(ApiView):
    resource = "regions"
    read_permission = "portal.view"
    cursor_ordering = "code"


@extend_schema(tags=TAGS, summary="Tỉnh/thành phố hiện nay (34, từ 1/7/2025)")
class ProvinceList(_Regions, ApiListView):
    serializer_class = s.ProvinceSerializer
    export_name = "tinh-thanh"

    def get_queryset(self) -> Any:
        return Province.objects.all()  # scope: national reference data, the same for every caller


@extend_schema(tags=TAGS, summary="Một tỉnh/thành phố")
class ProvinceDetail(_Regions, ApiDetailView):
    serializer_class = s.ProvinceSerializer
    lookup_field = "code"

    def get_queryset(self) -> Any:
        return Province.objects.all()  # scope: national reference data, the same for every caller


@extend_schema(tags=TAGS, summary="Xã/phường/đặc khu hiện nay (3.321)")
class CommuneList(_Regions, ApiListView):
    serializer_class = s.CommuneSerializer
    filterset_class = filters.CommuneFilters
    queryset = Commune.objects.all()
    export_name = "xa-phuong"


@extend_schema(tags=TAGS, summary="Một xã/phường/đặc khu")
class CommuneDetail(_Regions, ApiDetailView):
    serializer_class = s.CommuneSerializer
    queryset = Commune.objects.all()
    lookup_field = "code"


@extend_schema(tags=TAGS, summary="Tỉnh cũ (63, trước 1/7/2025) và tỉnh hiện nay tiếp nhận")
class LegacyProvinceList(_Regions, ApiListView):
    serializer_class = s.LegacyProvinceSerializer
    queryset = LegacyProvince.objects.all()
    export_name = "tinh-cu"


@extend_schema(tags=TAGS, summary="Huyện cũ (trước 1/7/2025)")
class LegacyDistrictList(_Regions, ApiListView):
    serializer_class = s.LegacyDistrictSerializer
    filterset_class = filters.LegacyDistrictFilters
    queryset = LegacyDistrict.objects.all()
    export_name = "huyen-cu"


@extend_schema(tags=TAGS, summary="Xã cũ (trước 1/7/2025) và xã hiện nay tiếp nhận")
class LegacyCommuneList(_Regions, ApiListView):
    serializer_class = s.LegacyCommuneSerializer
    filterset_class = filters.LegacyCommuneFilters
    queryset = LegacyCommune.objects.select_related("legacy_district")
    export_name = "xa-cu"
