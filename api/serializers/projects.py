"""Projects (đề án) with their beneficiaries, communes, indicators, state and decisions; categories;
monthly progress reports (read, and the body another system files one with)."""

from __future__ import annotations

from rest_framework import serializers

from projects.models import (
    ActivityCategory,
    IndicatorKind,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectIndicator,
    ProjectVersion,
)

from .regions import PlaceSerializer


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityCategory
        fields = ["id", "code", "name", "short_name", "decree", "valid_from", "valid_to", "indicator_kinds"]


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(source="short_name")


class BeneficiarySerializer(serializers.ModelSerializer):
    facility = serializers.IntegerField(source="facility_id")
    name = serializers.CharField(source="facility.name")
    kind = serializers.CharField(source="facility.kind")
    tax_code = serializers.CharField(source="facility.tax_code")
    commune = serializers.IntegerField(source="facility.commune_id")

    class Meta:
        model = ProjectBeneficiary
        fields = ["facility", "name", "kind", "tax_code", "commune", "note", "added_at"]


class IndicatorSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)

    class Meta:
        model = ProjectIndicator
        fields = ["kind", "planned", "actual"]


class DecisionSerializer(serializers.Serializer):
    """The approval decision (phê duyệt) on the project."""

    number = serializers.CharField(source="decision_number")
    date = serializers.DateField(source="decision_date", allow_null=True)
    signer = serializers.CharField(source="decision_signer")


class AdjustmentSerializer(serializers.ModelSerializer):
    """A version of the project: the approved one (number 1), then one per adjustment decision."""

    class Meta:
        model = ProjectVersion
        fields = ["number", "label", "decision_number", "decision_date", "adjustment_kinds", "created_at"]


class ProjectSerializer(serializers.ModelSerializer):
    province = PlaceSerializer()
    category = CategoryRefSerializer()
    extra_categories = serializers.SerializerMethodField(help_text="Mã các nội dung kết hợp (đề án điểm).")
    managing_organisation = serializers.CharField(source="managing_organisation.name")
    implementing_unit = serializers.CharField(source="implementing_unit_label")
    communes = PlaceSerializer(many=True)
    former_province = serializers.IntegerField(
        source="legacy_province_id", allow_null=True, help_text="Mã tỉnh cũ (trước 1/7/2025) của đề án."
    )
    former_district = serializers.IntegerField(source="legacy_district_id", allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    decision = DecisionSerializer(source="*")
    beneficiaries = BeneficiarySerializer(many=True)
    indicators = IndicatorSerializer(many=True)
    adjustments = AdjustmentSerializer(source="versions", many=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "start_year",
            "end_year",
            "funding_level",
            "category",
            "extra_categories",
            "kind",
            "is_key",
            "selection_method",
            "province",
            "managing_organisation",
            "implementing_unit",
            "communes",
            "former_province",
            "former_district",
            "objectives",
            "total_cost",
            "status",
            "status_label",
            "appraisal_score",
            "decision",
            "adjustments",
            "beneficiaries",
            "indicators",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_extra_categories(self, obj: Project) -> list[str]:
        return sorted(c.code for c in obj.extra_categories.all())


class ProgressIndicatorSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    value = serializers.IntegerField(min_value=0, max_value=2_147_483_647)


class ProgressReportSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id")
    indicators = ProgressIndicatorSerializer(many=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "period",
            "percent_done",
            "money_used",
            "problems",
            "indicators",
            "reported_at",
        ]


class ProgressReportWriteSerializer(serializers.Serializer):
    """A monthly progress report: the month (any day in it), the share done, the money used, the
    problems met and the indicators achieved so far (cumulative, of the project's planned kinds)."""

    period = serializers.DateField(help_text="Tháng báo cáo (ngày bất kỳ trong tháng), YYYY-MM-DD.")
    percent_done = serializers.IntegerField(min_value=0, max_value=100)
    money_used = serializers.IntegerField(min_value=0, max_value=9_223_372_036_854_775_807)
    problems = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    # many=True builds a ListSerializer, which takes max_length; the stubs type the child's __init__.
    indicators = ProgressIndicatorSerializer(  # type: ignore[call-arg]
        many=True, required=False, max_length=len(IndicatorKind.values)
    )
