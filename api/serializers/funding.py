"""Money (integer đồng): envelopes, the cost plan, allocations with their running totals, ledger
entries and settlements."""

from __future__ import annotations

from rest_framework import serializers

from funding.models import Allocation, BudgetEnvelope, CostPlanLine, MoneyEntry, Settlement, SettlementLine

from .regions import PlaceSerializer


class ProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class EnvelopeSerializer(serializers.ModelSerializer):
    province = PlaceSerializer()
    available = serializers.IntegerField(help_text="Còn lại để phân bổ (đồng).")

    class Meta:
        model = BudgetEnvelope
        fields = [
            "id",
            "province",
            "year",
            "level",
            "amount",
            "allocated",
            "available",
            "decision_number",
            "decision_date",
            "updated_at",
        ]


class CostPlanLineSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer()

    class Meta:
        model = CostPlanLine
        fields = ["id", "project", "source", "year", "amount"]


class AllocationSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer()
    envelope = serializers.IntegerField(source="envelope_id")
    disbursed = serializers.IntegerField(help_text="Đã chi = tạm ứng − thu hồi + thanh toán (đồng).")
    remaining = serializers.IntegerField(help_text="Kinh phí giao chưa chi (đồng).")

    class Meta:
        model = Allocation
        fields = [
            "id",
            "project",
            "envelope",
            "source",
            "year",
            "amount",
            "advanced",
            "recovered",
            "paid",
            "disbursed",
            "remaining",
            "decision_number",
            "decision_date",
            "version",
            "updated_at",
        ]


class MoneyEntrySerializer(serializers.ModelSerializer):
    allocation = serializers.IntegerField(source="allocation_id")
    project = ProjectRefSerializer(source="allocation.project")
    # DRF's metaclass takes declared fields off the class; only the stubs see Field.source shadowed.
    source = serializers.CharField(source="allocation.source")  # type: ignore[assignment]
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)

    class Meta:
        model = MoneyEntry
        fields = [
            "id",
            "allocation",
            "project",
            "source",
            "kind",
            "amount",
            "voucher_number",
            "voucher_date",
            "note",
            "reverses",
            "recorded_at",
        ]


class SettlementLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = SettlementLine
        fields = ["source", "planned", "allocated", "disbursed", "actual", "returned"]


class SettlementSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer()
    lines = SettlementLineSerializer(many=True)

    class Meta:
        model = Settlement
        fields = ["id", "project", "year", "decision_number", "decision_date", "note", "lines", "recorded_at"]
