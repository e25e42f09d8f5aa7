from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin

from .models import FacilityFact, MoneyFact, ProjectFact, ReportRun, SummaryState


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "province", "requested_by", "scheduled", "status", "progress", "created_at")
    list_filter = ("status", "kind", "scheduled")
    list_select_related = ("province", "requested_by")
    search_fields = ("idempotency_key", "error")
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs are requested from the catalogue, which checks the scope


@admin.register(SummaryState)
class SummaryStateAdmin(admin.ModelAdmin):
    # Written by the portal itself (required fields the form lacks): listed and opened, never added here.
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    list_display = ("name", "refreshed_at", "duration_ms", "projects")
    readonly_fields = ("name", "refreshed_at", "duration_ms", "projects")


class SummaryFactAdmin(ReadOnlyAdmin):
    """Summary rows are rebuilt from the live tables (refresh_report_summaries): look, never edit."""

    show_full_result_count = False

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return tuple(f.name for f in self.model._meta.fields)[:10]


for _fact in (ProjectFact, MoneyFact, FacilityFact):
    admin.site.register(_fact, SummaryFactAdmin)
