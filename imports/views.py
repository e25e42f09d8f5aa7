"""Pages of the history import: upload and past batches, the dry-run result with its progress bar,
the commit, the template, and the list of imported projects (flagged breaches first)."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from core.errors import DomainError
from core.files import sha256_of
from core.views import PortalPermissionMixin, raise_for_scope

from . import services
from .forms import WorkbookUploadForm
from .models import ImportedProject, ProjectImport
from .spec import SHEETS
from .template import write_template


class ImportView(PortalPermissionMixin, View):
    """Upload a workbook: it is stored and its dry run queued; the request does nothing else."""

    permission_required = "history.import"
    template_name = "imports/project_import.html"

    def context(self, form: WorkbookUploadForm) -> dict[str, Any]:
        batches = ProjectImport.objects.visible_to(self.request.user).select_related(
            "created_by", "province"
        )[:15]
        return {"form": form, "batches": batches, "sheets": SHEETS}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(WorkbookUploadForm(user=self.user)))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WorkbookUploadForm(request.POST, request.FILES, user=self.user)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=self.invalid_status)
        province_id = form.chosen_province_id()
        if province_id is None:
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                user=self.user, upload=upload, province_id=province_id, sha256=sha256_of(upload)
            )
        except DomainError as exc:
            status = self.domain_error(form, exc)
            return render(request, self.template_name, self.context(form), status=status)
        return redirect("imports:import_detail", pk=batch.pk)


class ImportDetailView(PortalPermissionMixin, DetailView):
    """The dry run's result: progress while a worker reads, then every bad cell and every breach."""

    permission_required = "history.import"
    model = ProjectImport
    template_name = "imports/import_detail.html"
    context_object_name = "batch"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("created_by", "committed_by", "province")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = self.object.errors or []
        context["problems"] = [e for e in entries if not e.get("warning")]
        context["warnings"] = [e for e in entries if e.get("warning")]
        context["report"] = self.object.report or {}
        return context


class ImportProgressView(ImportDetailView):
    """The fragment polled while the batch is queued, being checked or being written."""

    template_name = "imports/partials/import_progress.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "polled": True}


class ImportCommitView(PortalPermissionMixin, View):
    """Queue the commit of a checked workbook (every project, or none)."""

    permission_required = "history.import"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ProjectImport.objects.visible_to(self.user), pk=pk)
        try:
            services.import_commit_request(user=self.user, batch=batch)
        except DomainError as exc:
            raise_for_scope(exc)
            messages.error(request, exc.message)
        return redirect("imports:import_detail", pk=batch.pk)


class TemplateDownloadView(PortalPermissionMixin, View):
    """The workbook template with its "Hướng dẫn" sheet."""

    permission_required = "history.import"

    def get(self, request: HttpRequest) -> FileResponse:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_template(spool)
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename="mau-nhap-de-an-cu.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class ImportedProjectListView(PortalPermissionMixin, View):
    """Projects brought in from past records; ``?flagged=1``: those whose recorded breaches were let in."""

    permission_required = "project.view"
    template_name = "imports/imported_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        records = (
            ImportedProject.objects.visible_to(self.user)
            .select_related("project__province", "project__category", "batch")
            .order_by("-flagged", "project__code")
        )
        flagged = request.GET.get("flagged") == "1"
        if flagged:
            records = records.filter(flagged=True)
        page = Paginator(records, 50).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "flagged": flagged,
                "flagged_total": ImportedProject.objects.visible_to(self.user).filter(flagged=True).count(),
            },
        )


def not_found_message() -> str:
    return _("Không tìm thấy lần nhập.")
