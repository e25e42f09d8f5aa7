"""The dashboard's figures as data: exactly :func:`reports.selectors.dashboard_facts`, never recomputed."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from projects.choices import FundingLevel
from projects.models import ProjectKind
from reports.selectors import ALL_SOURCES, Facts


class DashboardQuerySerializer(serializers.Serializer):
    """The dashboard's filters (the web dashboard's, with the same defaults: the last five years)."""

    year_from = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    year_to = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    province = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    funding_level = serializers.ChoiceField(choices=FundingLevel.choices, required=False)
    category = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False)
    kind = serializers.ChoiceField(choices=ProjectKind.choices, required=False)
    former_province = serializers.IntegerField(
        min_value=1, max_value=32767, required=False, help_text="Mã tỉnh cũ (trước 1/7/2025)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("year_from") and attrs.get("year_to") and attrs["year_from"] > attrs["year_to"]:
            raise serializers.ValidationError({"year_to": "Năm kết thúc không được trước năm bắt đầu."})
        return attrs


class MoneySerializer(serializers.Serializer):
    planned = serializers.IntegerField()
    approved = serializers.IntegerField()
    advanced = serializers.IntegerField()
    paid = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    settled = serializers.IntegerField()
    returned = serializers.IntegerField()


class MoneyBySourceSerializer(serializers.Serializer):
    kcqg = MoneySerializer()
    kcdp = MoneySerializer()
    counterpart = MoneySerializer()
    other = MoneySerializer()


class YearMoneySerializer(MoneyBySourceSerializer):
    year = serializers.IntegerField()


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Mã tỉnh (toàn quốc), mã xã (một tỉnh) hoặc id nội dung.")
    name = serializers.CharField()
    projects = serializers.IntegerField()
    approved = serializers.IntegerField()
    disbursed = serializers.IntegerField()


class CategoryLevelSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    funding_level = serializers.CharField()
    projects = serializers.IntegerField()
    approved = serializers.IntegerField()
    disbursed = serializers.IntegerField()


class IndicatorTotalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    planned = serializers.IntegerField()
    actual = serializers.IntegerField()
    reported = serializers.IntegerField(help_text="Số đề án đã báo cáo số thực hiện.")


class DashboardSerializer(serializers.Serializer):
    filters = DashboardQuerySerializer()
    by_area = serializers.ChoiceField(choices=["province", "commune"])
    project_count = serializers.IntegerField()
    decided_count = serializers.IntegerField(help_text="Đề án đã phê duyệt (và các bước sau, trừ bị hủy).")
    approved = serializers.IntegerField(help_text="Kinh phí giao từ ngân sách (KCQG + KCĐP), đồng.")
    disbursed = serializers.IntegerField(help_text="Đã giải ngân từ ngân sách, đồng.")
    facilities_supported = serializers.IntegerField()
    status_counts = serializers.DictField(child=serializers.IntegerField())
    level_counts = serializers.DictField(child=serializers.IntegerField())
    money = MoneyBySourceSerializer()
    money_by_year = YearMoneySerializer(many=True)
    categories = GroupSerializer(many=True)
    category_levels = CategoryLevelSerializer(many=True)
    areas = GroupSerializer(many=True)
    indicators = IndicatorTotalSerializer(many=True)


def _money(m: Any) -> dict[str, int]:
    return {
        "planned": m.planned,
        "approved": m.approved,
        "advanced": m.advanced,
        "paid": m.paid,
        "disbursed": m.disbursed,
        "settled": m.settled,
        "returned": m.returned,
    }


def facts_payload(facts: Facts) -> dict[str, Any]:
    """The figures of ``facts`` as plain data (what :class:`DashboardSerializer` describes)."""
    f = facts.filters
    return {
        "filters": {
            "year_from": f.year_from,
            "year_to": f.year_to,
            **({"province": f.province} if f.province else {}),
            **({"funding_level": f.funding_level} if f.funding_level else {}),
            **({"category": f.category} if f.category else {}),
            **({"kind": f.kind} if f.kind else {}),
            **({"former_province": f.legacy_province} if f.legacy_province else {}),
        },
        "by_area": facts.by_area,
        "project_count": facts.project_count,
        "decided_count": facts.decided_count,
        "approved": facts.approved,
        "disbursed": facts.disbursed,
        "facilities_supported": facts.facilities_supported,
        "status_counts": dict(sorted(facts.status_counts.items())),
        "level_counts": dict(sorted(facts.level_counts.items())),
        "money": {s: _money(facts.money[s]) for s in ALL_SOURCES},
        "money_by_year": [
            {"year": year, **{s: _money(by_source[s]) for s in ALL_SOURCES}}
            for year, by_source in facts.money_by_year.items()
        ],
        "categories": facts.categories,
        "category_levels": [
            {"category": cat, "funding_level": level, **values}
            for (cat, level), values in sorted(facts.category_level.items())
        ],
        "areas": facts.areas,
        "indicators": [{"kind": kind, **values} for kind, values in sorted(facts.indicators.items())],
    }
