from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Commune, LegacyCommune, LegacyCommuneSuccessor, LegacyDistrict, LegacyProvince, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    search_fields = ["name", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "codename"]
    show_full_result_count = False


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_select_related = ["province"]
    search_fields = ["name"]


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "legacy_province"]
    list_select_related = ["legacy_province"]
    list_filter = ["legacy_province"]
    search_fields = ["name"]


@admin.register(LegacyCommune)
class LegacyCommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "legacy_district", "commune"]
    list_select_related = ["legacy_district__legacy_province", "commune__province"]
    search_fields = ["name"]
    autocomplete_fields = ["legacy_district", "commune"]
    show_full_result_count = False


@admin.register(LegacyCommuneSuccessor)
class LegacyCommuneSuccessorAdmin(ReadOnlyAdmin):
    """The decree's pairs, loaded from vietnam-provinces: shown, never edited by hand."""

    list_display = ["legacy_commune", "commune", "partly"]
    list_select_related = ["legacy_commune__legacy_district__legacy_province", "commune__province"]
    list_filter = ["partly"]
    search_fields = ["legacy_commune__name", "commune__name"]
    raw_id_fields = ["legacy_commune", "commune"]
