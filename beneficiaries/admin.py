"""Admin of the facility register, usable at 500,000 rows: autocomplete choosers, no full COUNT(*),
search only through the trigram-indexed kc_unaccent expressions."""

from __future__ import annotations

from functools import cached_property
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import LabelledListEditableMixin
from core.errors import DomainError

from .models import CraftVillage, Facility, ImportBatch, PersonalDataAccess, Sector
from .services import EDITABLE_FIELDS, facility_create, facility_update

#: Above this, a filtered admin list shows "10.000+" rows instead of counting them all.
COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    """The planner's row estimate for the whole table; a COUNT capped at COUNT_CAP when filtered."""

    @cached_property
    def count(self) -> int:
        # The admin paginates querysets only (Paginator's type admits any sliceable sequence).
        queryset = cast("QuerySet[Any]", self.object_list)
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
class SectorAdmin(LabelledListEditableMixin, admin.ModelAdmin):
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


class FacilityAdminForm(forms.ModelForm):
    """The admin's facility form writes through ``facility_create`` / ``facility_update``: the same
    scope, duplicate and range checks as the portal, their errors shown beside the fields.

    The service runs at the end of validation (the admin wraps the whole request in a transaction,
    so a later failure rolls it back); ``FacilityAdmin.save_model`` then has nothing left to write.
    """

    acting_user: Any = None  # set per request by FacilityAdmin.get_form

    class Meta:
        model = Facility
        fields = [*EDITABLE_FIELDS, "sectors"]

    # Django's ModelForm hook after cleaning (private, absent from the stubs): the write happens here
    # so its DomainError lands beside the fields like any validation error.
    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # exists on BaseModelForm, not in django-stubs
        if self.errors:
            return
        data = {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}
        sectors = self.cleaned_data.get("sectors")
        try:
            if self.instance.pk:
                self.instance = facility_update(
                    user=self.acting_user, facility=self.instance, data=data, sectors=sectors
                )
            else:
                self.instance = facility_create(user=self.acting_user, data=data, sectors=sectors)
        except DomainError as exc:
            for field, messages in exc.errors.items():
                self.add_error(field if field in self.fields else None, messages)


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
    autocomplete_fields = ["commune", "legacy_commune", "craft_village", "merged_into", "sectors"]
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by", "province"]
    form = FacilityAdminForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def save_model(self, request: HttpRequest, obj: Facility, form: Any, change: bool) -> None:
        """Already written by the service during validation (see FacilityAdminForm)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Sectors were set by the service; only inline formsets (none today) would remain."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    # Written by the portal itself (required fields the form lacks): listed and opened, never added here.
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

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


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The personal data log, read-only: reveals (who, when, which record) and exports (row count)."""

    list_display = ("at", "user", "action", "facility", "export", "row_count", "unmasked")
    list_filter = ("action", "unmasked")
    list_select_related = ("user", "facility")
    date_hierarchy = "at"
    raw_id_fields = ("user", "facility")
    ordering = ("-at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
