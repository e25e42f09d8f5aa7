"""Administrative units: today's 34 provinces and 3,321 communes with their national codes, and the
former (before 1/7/2025) provinces, districts and communes mapped to today's units."""

from __future__ import annotations

from rest_framework import serializers

from regions.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province


class ProvinceSerializer(serializers.ModelSerializer):
    code = serializers.IntegerField(help_text="Mã tỉnh/thành phố theo danh mục hành chính quốc gia.")

    class Meta:
        model = Province
        fields = ["code", "name", "kind", "codename"]


class CommuneSerializer(serializers.ModelSerializer):
    code = serializers.IntegerField(help_text="Mã xã/phường/đặc khu theo danh mục hành chính quốc gia.")
    province = serializers.IntegerField(source="province_id", help_text="Mã tỉnh/thành phố.")

    class Meta:
        model = Commune
        fields = ["code", "name", "kind", "codename", "province"]


class LegacyProvinceSerializer(serializers.ModelSerializer):
    province = serializers.IntegerField(source="province_id", help_text="Mã tỉnh/thành phố hiện nay.")

    class Meta:
        model = LegacyProvince
        fields = ["code", "name", "kind", "province"]


class LegacyDistrictSerializer(serializers.ModelSerializer):
    former_province = serializers.IntegerField(source="legacy_province_id")

    class Meta:
        model = LegacyDistrict
        fields = ["code", "name", "kind", "former_province"]


class LegacyCommuneSerializer(serializers.ModelSerializer):
    former_district = serializers.IntegerField(source="legacy_district_id")
    former_province = serializers.IntegerField(source="legacy_district.legacy_province_id")
    commune = serializers.IntegerField(
        source="commune_id", allow_null=True, help_text="Mã xã/phường/đặc khu hiện nay đã tiếp nhận."
    )

    class Meta:
        model = LegacyCommune
        fields = ["code", "name", "kind", "former_district", "former_province", "commune"]


class PlaceSerializer(serializers.Serializer):
    """A unit named inside another record: its national code and name."""

    code = serializers.IntegerField()
    name = serializers.CharField()
