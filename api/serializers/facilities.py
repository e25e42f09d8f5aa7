"""Facilities (cơ sở CNNT): the register as read, and the body of a create or an update."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from beneficiaries.models import Facility, FacilityKind, FacilityStatus
from core.personal_data import mask_personal_id, mask_phone

from .regions import PlaceSerializer


class FacilitySerializer(serializers.ModelSerializer):
    tax_code = serializers.CharField(help_text="Mã số thuế (10 chữ số, 13 với chi nhánh); rỗng nếu không có.")
    province = PlaceSerializer(help_text="Tỉnh/thành phố hiện nay (mã quốc gia).")
    commune = PlaceSerializer(help_text="Xã/phường/đặc khu hiện nay (mã quốc gia).")
    former_commune = serializers.IntegerField(
        source="legacy_commune_id", allow_null=True, help_text="Mã xã cũ (trước 1/7/2025), nếu có."
    )
    craft_village = serializers.IntegerField(source="craft_village_id", allow_null=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    sectors = serializers.SerializerMethodField(help_text="Mã ngành VSIC 2018.")
    eligible = serializers.SerializerMethodField(help_text="Thuộc đối tượng được hỗ trợ khuyến công.")

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "kind",
            "tax_code",
            "personal_id",
            "business_reg_no",
            "representative",
            "phone",
            "email",
            "address",
            "province",
            "commune",
            "former_commune",
            "craft_village",
            "sectors",
            "main_products",
            "year_founded",
            "workers_total",
            "workers_female",
            "workers_ethnic_minority",
            "annual_revenue",
            "status",
            "merged_into",
            "women_owned",
            "minority_owned",
            "disadvantaged_area",
            "eligible",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance: Facility) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self.context.get("mask_personal_data"):
            data["personal_id"] = mask_personal_id(data.get("personal_id"))
            data["phone"] = mask_phone(data.get("phone"))
        return data

    def get_sectors(self, obj: Facility) -> list[str]:
        return sorted(s.code for s in obj.sectors.all())

    def get_eligible(self, obj: Facility) -> bool:
        return obj.eligibility.eligible


class FacilityWriteSerializer(serializers.Serializer):
    """The body of a create (``name``, ``kind`` and ``commune`` required) or an update (any subset).

    Types are checked here; the rules and messages are the web form's (beneficiaries.forms.FacilityForm)
    and the register's service (beneficiaries.services), so a record is refused for the same reasons.
    """

    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    commune = serializers.IntegerField(min_value=1, max_value=2_147_483_647, help_text="Mã xã hiện nay.")
    tax_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    personal_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    business_reg_no = serializers.CharField(max_length=30, required=False, allow_blank=True)
    representative = serializers.CharField(max_length=255, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    former_commune = serializers.IntegerField(
        min_value=1, max_value=2_147_483_647, required=False, allow_null=True
    )
    craft_village = serializers.IntegerField(
        min_value=1, max_value=9_223_372_036_854_775_807, required=False, allow_null=True
    )
    sectors = serializers.ListField(
        child=serializers.CharField(max_length=5), required=False, max_length=50, help_text="Mã VSIC."
    )
    main_products = serializers.CharField(max_length=500, required=False, allow_blank=True)
    year_founded = serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True)
    workers_total = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    workers_female = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    workers_ethnic_minority = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    annual_revenue = serializers.IntegerField(
        min_value=0, max_value=9_223_372_036_854_775_807, required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=FacilityStatus.choices, required=False)
    merged_into = serializers.IntegerField(
        min_value=1, max_value=9_223_372_036_854_775_807, required=False, allow_null=True
    )
    women_owned = serializers.BooleanField(required=False)
    minority_owned = serializers.BooleanField(required=False)
    disadvantaged_area = serializers.BooleanField(required=False)
    allow_same_name = serializers.BooleanField(
        required=False, write_only=True, help_text="Vẫn ghi khi đã có cơ sở cùng tên tại xã này."
    )

    #: API name → the web form's field name.
    FORM_NAMES = {"former_commune": "legacy_commune"}

    def form_data(self, instance: Facility | None) -> dict[str, Any]:
        """The web form's data: the instance's current values, overlaid with what the body sent."""
        from django.forms.models import model_to_dict

        from beneficiaries.forms import FacilityForm

        data: dict[str, Any] = {}
        if instance is not None:
            data = model_to_dict(instance, fields=FacilityForm.Meta.fields)
            data["sectors"] = [s.pk for s in instance.sectors.all()]
        else:  # what the web form starts from
            data = {"status": FacilityStatus.ACTIVE, "workers_total": 0, "workers_female": 0}
            data["workers_ethnic_minority"] = 0
        for key, value in self.validated_data.items():
            data[self.FORM_NAMES.get(key, key)] = value
        for key, value in list(data.items()):
            if value is None:
                data[key] = ""
            elif isinstance(value, bool):
                data[key] = "on" if value else ""
        if data.get("commune"):
            from regions.models import Commune

            data["province"] = (
                Commune.objects.filter(pk=data["commune"]).values_list("province_id", flat=True).first() or ""
            )
        return data


class FacilityUpdateSerializer(FacilityWriteSerializer):
    """An update: every field optional (only those sent change)."""

    name = serializers.CharField(max_length=255, required=False)
    kind = serializers.ChoiceField(choices=FacilityKind.choices, required=False)
    commune = serializers.IntegerField(min_value=1, max_value=2_147_483_647, required=False)
