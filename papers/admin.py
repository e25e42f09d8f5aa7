"""Admins replace a province's templates here; an upload with unknown placeholders is refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .context import PLACEHOLDERS
from .models import DocumentSignature, GeneratedPaper, PaperTemplate
from .rendering import TemplateProblem, check_template


class PaperTemplateForm(forms.ModelForm):
    class Meta:
        model = PaperTemplate
        fields = ["province", "kind", "file"]
        help_texts = {"file": _("Trường được phép: ") + ", ".join(PLACEHOLDERS)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if hasattr(upload, "seek"):
            upload.seek(0)
            try:
                check_template(upload)
            except TemplateProblem as exc:
                raise forms.ValidationError(str(exc)) from exc
            upload.seek(0)
        return upload


@admin.register(PaperTemplate)
class PaperTemplateAdmin(admin.ModelAdmin):
    form = PaperTemplateForm
    list_display = ("kind", "province", "uploaded_by", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("province", "uploaded_by")

    def save_model(self, request, obj, form, change):
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(GeneratedPaper)
class GeneratedPaperAdmin(admin.ModelAdmin):
    # Written by the portal itself (required fields the form lacks): listed and opened, never added here.
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    list_display = ("kind", "project", "status", "created_by", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("project", "created_by")
    readonly_fields = ("project", "kind", "docx", "pdf", "status", "error", "created_by")


@admin.register(DocumentSignature)
class DocumentSignatureAdmin(admin.ModelAdmin):
    # Written by the portal itself (required fields the form lacks): listed and opened, never added here.
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    list_display = ("document", "status", "signer", "signed_at", "modified_after_signing")
    list_filter = ("status",)
    list_select_related = ("document",)
    readonly_fields = [f.name for f in DocumentSignature._meta.fields]
