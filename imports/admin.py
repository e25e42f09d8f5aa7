from django.contrib import admin

from .models import ImportedProject, ProjectImport


@admin.register(ProjectImport)
class ProjectImportAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "province",
        "status",
        "projects_total",
        "breaches",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "province")
    readonly_fields = ("sha256", "errors", "report")


@admin.register(ImportedProject)
class ImportedProjectAdmin(admin.ModelAdmin):
    list_display = ("project", "batch", "historical_record", "flagged")
    list_filter = ("flagged", "historical_record")
    raw_id_fields = ("project", "batch", "first_batch")
