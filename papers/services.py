"""Writes of the papers app: generate a paper (docx now, PDF in the worker), accept a province's
template, and record the digital signature found in an uploaded PDF."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, NotFound
from core.scoping import user_can_see_province
from projects import workflow

from .context import paper_context
from .models import GeneratedPaper, PaperKind, PaperStatus, PaperTemplate
from .rendering import TemplateProblem, check_template, docx_to_pdf, render_docx, template_for

logger = logging.getLogger(__name__)

#: A paper can be made once the project has gone through this step (the workflow's happy path).
AVAILABLE_AFTER: dict[str, str] = {
    PaperKind.DECISION: "appraise",  # the draft decision is prepared for the approving authority
    PaperKind.CONTRACT: "approve",
    PaperKind.ACCEPTANCE: "start",
    PaperKind.LIQUIDATION: "accept",
    PaperKind.SETTLEMENT: "accept",
}


def reached(status: str, step: str) -> bool:
    """Whether a project in ``status`` has gone through ``step`` on the happy path."""
    order = list(workflow.HAPPY_PATH)
    targets = [workflow.TRANSITIONS[name].target for name in order]
    if status not in targets:
        return False
    return targets.index(status) >= order.index(step)


def available_papers(project: Any) -> list[PaperKind]:
    return [PaperKind(kind) for kind, step in AVAILABLE_AFTER.items() if reached(project.status, step)]


def _check(user: Any, project: Any, kind: str) -> None:
    if kind not in PaperKind.values:
        raise NotFound(_("Loại văn bản không tồn tại."))
    if not user_can_see_province(user, project.province_id):
        raise NotFound(_("Không tìm thấy đề án."))
    if PaperKind(kind) not in available_papers(project):
        raise Conflict(
            _("Chưa lập được “%(paper)s” cho đề án đang ở trạng thái “%(status)s”.")
            % {"paper": PaperKind(kind).label, "status": project.get_status_display()}
        )


def paper_docx(*, user: Any, project: Any, kind: str) -> bytes:
    """The paper as an editable .docx, filled from the project's data."""
    _check(user, project, kind)
    with template_for(project, kind) as source:
        return render_docx(source, paper_context(project, kind))


@transaction.atomic
def paper_generate(*, user: Any, project: Any, kind: str) -> GeneratedPaper:
    """Store the .docx and have the worker render its PDF (after commit)."""
    data = paper_docx(user=user, project=project, kind=kind)
    paper = GeneratedPaper(project=project, kind=kind, created_by=user)
    paper.docx.save(f"{kind}.docx", ContentFile(data), save=False)
    paper.save()

    def enqueue() -> None:
        from .tasks import render_pdf

        try:
            render_pdf.delay(paper.pk)
        except Exception:
            logger.warning("paper %s not enqueued", paper.pk, exc_info=True)

    transaction.on_commit(enqueue)
    return paper


def paper_render_pdf(*, paper_pk: int) -> str:
    """Convert a generated paper to PDF with LibreOffice; the error is kept on the row."""
    paper = GeneratedPaper.objects.filter(pk=paper_pk).first()
    if paper is None or paper.status == PaperStatus.DONE:
        return "skipped"
    try:
        with paper.docx.open("rb") as f:
            pdf = docx_to_pdf(f.read())
    except Exception as exc:
        GeneratedPaper.objects.filter(pk=paper.pk).update(status=PaperStatus.FAILED, error=str(exc)[:2000])
        raise
    paper.pdf.save(f"{paper.kind}.pdf", ContentFile(pdf), save=False)
    paper.status, paper.error = PaperStatus.DONE, ""
    paper.save(update_fields=["pdf", "status", "error"])
    return PaperStatus.DONE


@transaction.atomic
def template_replace(*, user: Any, province: Any, kind: str, upload: Any) -> PaperTemplate:
    """Accept a province's template after checking that every placeholder is one the portal fills."""
    upload.seek(0)
    try:
        check_template(upload)
    except TemplateProblem as exc:
        raise DomainError(str(exc), field="file") from exc
    upload.seek(0)
    current = PaperTemplate.objects.filter(province=province, kind=kind).first() or PaperTemplate(
        province=province, kind=kind
    )
    current.uploaded_by = user
    current.file.save(f"{kind}.docx", upload, save=False)
    current.save()
    return current
