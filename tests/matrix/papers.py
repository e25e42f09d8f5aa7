"""Permission matrix for the papers pages: any role in scope reads a project's papers; province B 404."""

from __future__ import annotations

from tests.matrix import READ_A, Case

REDIRECT_A = {"staff_a": 302, "manager_a": 302, "staff_b": 404, "national_manager": 302, "admin": 302}


def setup(world) -> None:
    from django.core.files.base import ContentFile

    from papers.models import GeneratedPaper

    paper = GeneratedPaper(project=world.project_running_a, kind="quyet_dinh", created_by=world.staff_a)
    paper.docx.save("quyet_dinh.docx", ContentFile(b"PK\x03\x04"), save=False)
    paper.save()
    world.paper_a = paper


def _paper(kind: str):
    return lambda w: {"pk": w.project_running_a.pk, "kind": kind}


CASES = [
    Case("papers:docx", READ_A, kwargs=_paper("quyet_dinh")),
    Case("papers:docx", READ_A, kwargs=_paper("nghiem_thu"), id="papers-docx-acceptance"),
    Case("papers:generate", REDIRECT_A, kwargs=_paper("hop_dong"), method="post"),
    Case("papers:paper_detail", READ_A, kwargs=lambda w: {"pk": w.paper_a.pk}),
    Case("papers:paper_download", READ_A, kwargs=lambda w: {"pk": w.paper_a.pk, "fmt": "docx"}),
]
