"""The dashboard's figures, from the dashboard's own selector (reports.selectors.dashboard_facts)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from reports.selectors import Filters, dashboard_facts, default_year_range

from ..serializers.dashboard import DashboardQuerySerializer, DashboardSerializer, facts_payload
from .base import ApiView


class DashboardView(ApiView):
    resource = "dashboard"
    read_permission = "dashboard.view"
    serializer_class = DashboardSerializer

    @extend_schema(
        tags=["Số liệu tổng hợp"],
        summary="Số liệu bảng điều khiển (như trang Bảng điều khiển, trong phạm vi của bên gọi)",
        parameters=[DashboardQuerySerializer],
        responses={200: DashboardSerializer},
    )
    def get(self, request: Request) -> Response:
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        y1, y2 = default_year_range()
        filters = Filters(
            year_from=params.get("year_from") or min(y1, params.get("year_to") or y1),
            year_to=params.get("year_to") or max(y2, params.get("year_from") or y2),
            province=params.get("province"),
            funding_level=params.get("funding_level", ""),
            category=params.get("category"),
            kind=params.get("kind", ""),
            legacy_province=params.get("former_province"),
        )
        facts = dashboard_facts(self.user, filters)
        return Response(facts_payload(facts))
