"""Money, read only: envelopes, the cost plan, allocations, ledger entries and settlements (integer đồng)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema

from funding.models import Allocation, BudgetEnvelope, CostPlanLine, MoneyEntry, Settlement

from .. import filters
from ..serializers import funding as s
from .base import ApiDetailView, ApiListView, ApiView

TAGS = ["Kinh phí"]


class _Funding(ApiView):
    resource = "funding"
    read_permission = "funding.view"


@extend_schema(tags=TAGS, summary="Dự toán giao theo tỉnh, năm, cấp kinh phí")
class EnvelopeList(_Funding, ApiListView):
    serializer_class = s.EnvelopeSerializer
    filterset_class = filters.EnvelopeFilters
    export_name = "du-toan"

    def get_queryset(self) -> Any:
        return BudgetEnvelope.objects.visible_to(self.user).select_related("province")


@extend_schema(tags=TAGS, summary="Kế hoạch kinh phí của đề án theo nguồn và năm")
class CostPlanList(_Funding, ApiListView):
    serializer_class = s.CostPlanLineSerializer
    filterset_class = filters.CostPlanFilters
    export_name = "ke-hoach-kinh-phi"

    def get_queryset(self) -> Any:
        return CostPlanLine.objects.visible_to(self.user).select_related("project")


class _Allocations(_Funding):
    serializer_class = s.AllocationSerializer

    def get_queryset(self) -> Any:
        return Allocation.objects.visible_to(self.user).select_related("project")


@extend_schema(tags=TAGS, summary="Kinh phí giao (với số đã tạm ứng, thu hồi, thanh toán)")
class AllocationList(_Allocations, ApiListView):
    filterset_class = filters.AllocationFilters
    export_name = "kinh-phi-giao"


@extend_schema(tags=TAGS, summary="Một khoản kinh phí giao")
class AllocationDetail(_Allocations, ApiDetailView):
    pass


@extend_schema(tags=TAGS, summary="Bút toán tạm ứng, thanh toán, thu hồi (sổ không sửa, không xóa)")
class MoneyEntryList(_Funding, ApiListView):
    serializer_class = s.MoneyEntrySerializer
    filterset_class = filters.MoneyEntryFilters
    export_name = "but-toan"

    def get_queryset(self) -> Any:
        return MoneyEntry.objects.visible_to(self.user).select_related("allocation__project")


class _Settlements(_Funding):
    serializer_class = s.SettlementSerializer

    def get_queryset(self) -> Any:
        return Settlement.objects.visible_to(self.user).select_related("project").prefetch_related("lines")


@extend_schema(tags=TAGS, summary="Quyết toán đề án (theo nguồn)")
class SettlementList(_Settlements, ApiListView):
    filterset_class = filters.SettlementFilters
    export_name = "quyet-toan"


@extend_schema(tags=TAGS, summary="Quyết toán của một đề án")
class SettlementDetail(_Settlements, ApiDetailView):
    pass
