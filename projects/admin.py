"""Admin: reference data (categories, required documents per step) is edited here; projects are
read-only (their writes go through projects.services so the workflow and audit hold)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from . import workflow
from .models import (
    ActivityCategory,
    ProgressIndicator,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectCodeCounter,
    ProjectDocument,
    ProjectIndicator,
    ProjectTransition,
    ProjectVersion,
    RequiredDocument,
)


@admin.register(ActivityCategory)
class ActivityCategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "short_name",
        "decree",
        "valid_from",
        "valid_to",
        "advance_ceiling_pct",
        "position",
    )
    list_filter = ("decree",)
    search_fields = ("code", "name", "short_name")
    ordering = ("position", "code")


class RequiredDocumentForm(forms.ModelForm):
    transition = forms.ChoiceField(
        label=RequiredDocument._meta.get_field("transition").verbose_name,
        choices=[(t.name, t.label) for t in workflow.TRANSITIONS.values()],
    )

    class Meta:
        model = RequiredDocument
        fields = ("transition", "document_type", "is_active")


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(admin.ModelAdmin):
    form = RequiredDocumentForm
    list_display = ("transition", "document_type", "is_active")
    list_filter = ("transition", "is_active")


class BeneficiaryInline(ReadOnlyInline):
    model = ProjectBeneficiary
    fields = ("facility",)
    raw_id_fields = ("facility",)


class IndicatorInline(ReadOnlyInline):
    model = ProjectIndicator


class ProgressReportInline(ReadOnlyInline):
    model = ProgressReport


class VersionInline(ReadOnlyInline):
    model = ProjectVersion


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "province", "start_year", "funding_level", "status", "total_cost")
    list_filter = ("status", "funding_level", "kind", "province")
    list_select_related = ("province",)
    search_fields = ("code", "title")
    show_full_result_count = False
    inlines = (BeneficiaryInline, IndicatorInline, ProgressReportInline, VersionInline)


@admin.register(ProjectCodeCounter)
class ProjectCodeCounterAdmin(ReadOnlyAdmin):
    list_display = ("province", "year", "last_number")
    list_select_related = ("province",)


@admin.register(ProjectTransition)
class ProjectTransitionAdmin(ReadOnlyAdmin):
    list_display = ("project", "action", "from_status", "to_status", "actor", "at")
    list_select_related = ("project", "actor")
    list_filter = ("action",)


@admin.register(ProjectDocument)
class ProjectDocumentAdmin(ReadOnlyAdmin):
    list_display = ("project", "document_type", "title", "original_name", "size", "uploaded_at")
    list_select_related = ("project",)
    exclude = ("file",)  # files leave only through the scope-checked download view


@admin.register(ProgressIndicator)
class ProgressIndicatorAdmin(ReadOnlyAdmin):
    list_display = ("report", "kind", "value")
    list_select_related = ("report",)
