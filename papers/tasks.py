"""Celery task of the papers app: PDF rendering by LibreOffice (belongs on the ``reports`` queue)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="papers.tasks.render_pdf", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_pdf(paper_pk: int) -> str:
    """Render one generated paper's PDF (idempotent: a finished paper is skipped)."""
    from .services import paper_render_pdf

    return paper_render_pdf(paper_pk=paper_pk)
