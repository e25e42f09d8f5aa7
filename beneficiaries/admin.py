"""Admin of the facility register, usable at 500,000 rows: autocomplete choosers, no full COUNT(*),
search only through the trigram-indexed kc_unaccent expressions."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import CraftVillage, Facility, ImportBatch, Sector

#: Above this, a filtered admin list shows "10.000+" rows instead of counting them all.
COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    """The planner's row estimate for the whole table; a COUNT capped at COUNT_CAP when filtered."""

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        queryset = self.object_list
        if not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            estimate = int(row[0]) if row and row[0] and row[0] > 0 else 0
            if estimate > COUNT_CAP:
                return estimate
        return queryset.values("pk")[: COUNT_CAP + 1].count()


class IndexedSearchMixin:
    """Admin search through ``FacilityQuerySet.search``-style kc_unaccent lookups (trigram indexes)."""

    indexed_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        from core.search import unaccent_contains

        if not search_term.strip():
            return queryset, False
        return queryset.filter(unaccent_contains(list(self.indexed_search_fields), search_term)), False


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(CraftVillage)
class CraftVillageAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "province", "main_craft", "recognised_year"]
    list_filter = ["province"]
    list_select_related = ["commune", "province"]
    search_fields = ["name", "main_craft"]
    autocomplete_fields = ["province", "commune"]


@admin.register(Facility)
class FacilityAdmin(IndexedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "tax_code", "commune", "province", "workers_total", "status"]
    list_filter = ["status", "kind", "province"]
    list_select_related = ["commune__province", "province"]
    list_per_page = 50
    ordering = ["-id"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    search_fields = ["name"]  # shows the search box; the search itself goes through the indexes
    indexed_search_fields = ("name", "tax_code", "representative")
    search_help_text = _("Tên, mã số thuế hoặc người đại diện (không phân biệt dấu).")
    autocomplete_fields = ["commune", "province", "legacy_commune", "craft_village", "merged_into", "sectors"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "province",
        "status",
        "rows_total",
        "rows_created",
        "rows_updated",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "province"]
    list_select_related = ["province", "created_by"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
    show_full_result_count = False
