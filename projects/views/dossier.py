"""“In hồ sơ”: the project's dossier PDF, built on the spot by the dossier report (scope-checked)."""

from __future__ import annotations

import io
from types import SimpleNamespace

from django.http import HttpRequest, HttpResponse
from django.views import View

from .base import ProjectObjectMixin


class DossierPdfView(ProjectObjectMixin, View):
    """Open the dossier directly in the browser (about a second: no queue, no report form)."""

    permission_required = "project.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from reports.kinds.dossier import ProjectDossierReport

        project = self.get_project()
        run = SimpleNamespace(pk=0, parameters={"project": project.pk, "project_code": project.code})
        buffer = io.BytesIO()
        ProjectDossierReport().build(run, buffer, lambda value: None)
        response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="ho-so-de-an-{project.code}.pdf"'
        return response
