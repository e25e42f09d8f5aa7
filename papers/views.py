"""Papers of a project: the editable .docx at once, the PDF rendered by the worker."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.errors import Conflict, DomainError
from core.views import PortalPermissionMixin, raise_for_scope
from projects.models import Project

from . import services
from .models import GeneratedPaper, PaperKind

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error(request: HttpRequest, project: Project, exc: DomainError) -> HttpResponse:
    """A paper the project's state does not allow yet: said plainly (409); scope and role as usual."""
    raise_for_scope(exc)
    status = 409 if isinstance(exc, Conflict) else 400
    return render(
        request, "papers/unavailable.html", {"project": project, "message": exc.message}, status=status
    )


class PaperDocxView(PortalPermissionMixin, View):
    permission_required = "project.view"

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        project = get_object_or_404(Project.objects.visible_to(self.user).select_related("province"), pk=pk)
        if kind not in PaperKind.values:
            raise Http404
        try:
            data = services.paper_docx(user=self.user, project=project, kind=kind)
        except DomainError as exc:
            return _error(request, project, exc)
        response = HttpResponse(data, content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{kind}-{project.code}.docx"'
        return response


class PaperGenerateView(PortalPermissionMixin, View):
    permission_required = "project.view"

    def post(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        project = get_object_or_404(Project.objects.visible_to(self.user).select_related("province"), pk=pk)
        if kind not in PaperKind.values:
            raise Http404
        try:
            paper = services.paper_generate(user=self.user, project=project, kind=kind)
        except DomainError as exc:
            return _error(request, project, exc)
        return HttpResponseRedirect(reverse("papers:paper_detail", args=[paper.pk]))


class PaperDetailView(PortalPermissionMixin, View):
    permission_required = "project.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        paper = get_object_or_404(
            GeneratedPaper.objects.visible_to(self.user).select_related("project"), pk=pk
        )
        return render(request, "papers/paper_detail.html", {"paper": paper, "project": paper.project})


class PaperDownloadView(PortalPermissionMixin, View):
    permission_required = "project.view"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> FileResponse:
        paper = get_object_or_404(
            GeneratedPaper.objects.visible_to(self.user).select_related("project"), pk=pk
        )
        field = {"docx": paper.docx, "pdf": paper.pdf}.get(fmt)
        if not field:
            raise Http404(_("Tệp chưa sẵn sàng."))
        name = f"{paper.kind}-{paper.project.code}.{fmt}"
        return FileResponse(field.open("rb"), as_attachment=fmt == "docx", filename=name)
