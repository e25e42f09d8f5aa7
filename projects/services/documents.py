"""Documents attached to a project: checked by content and size, stored through Django storage."""

from __future__ import annotations

from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError, Forbidden
from core.files import DOCUMENT_KINDS, sha256_of, validate_upload

from .. import workflow
from ..models import (
    DocumentType,
    Project,
    ProjectDocument,
    RequiredDocument,
)
from ..permissions import may_upload_documents
from .base import _lock, _require_scope

# --- Documents ------------------------------------------------------------------------------------


def _store_document(
    *, user: User, project: Project, document_type: str, title: str, upload: UploadedFile[Any]
) -> ProjectDocument:
    try:
        kind = validate_upload(upload, DOCUMENT_KINDS)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="file") from exc
    if document_type not in DocumentType.values:
        raise DomainError(_("Loại tài liệu không hợp lệ."), field="document_type")
    document = ProjectDocument(
        project=project,
        document_type=document_type,
        title=(title or upload.name or "")[:255],
        original_name=(upload.name or "")[:255],
        size=upload.size or 0,
        file_kind=kind.key,
        sha256=sha256_of(upload),
        uploaded_by=user,
    )
    document.file.save(upload.name or "tep", upload, save=False)
    name, storage = document.file.name, document.file.storage
    try:
        document.save()
    except Exception:
        if name:
            storage.delete(name)  # no row, no file
        raise
    from papers.signatures import record_signature

    record_signature(document)  # a signed PDF's signer, time and integrity; never blocks the upload
    return document


@transaction.atomic
def document_upload(
    *, user: User, project: Project, document_type: str, title: str, upload: UploadedFile[Any]
) -> ProjectDocument:
    """Attach a file (type checked by content, size limited) to a project in the user's scope."""
    if not may_upload_documents(user):
        raise Forbidden(_("Bạn không có quyền tải tài liệu lên."))
    _require_scope(user, project)
    project = _lock(project)
    with pghistory.context(user=user.pk, action="document_upload"):
        return _store_document(
            user=user, project=project, document_type=document_type, title=title, upload=upload
        )


def missing_documents(project: Project, transition: workflow.Transition, *, with_upload: bool) -> list[str]:
    """Labels of the document types the step requires that the project lacks."""
    required = set(
        RequiredDocument.objects.filter(transition=transition.name, is_active=True).values_list(
            "document_type", flat=True
        )
    )
    present = set(project.documents.values_list("document_type", flat=True))
    if with_upload:
        present.add(transition.document_type)
    return [str(DocumentType(t).label) for t in sorted(required - present)]


def document_checklist(project: Project, transition: workflow.Transition) -> list[tuple[str, bool]]:
    """The documents the step requires, each with whether the project already has it (the step's page
    shows this as a checklist; :func:`missing_documents` refuses the step while one is missing)."""
    required = sorted(
        set(
            RequiredDocument.objects.filter(transition=transition.name, is_active=True).values_list(
                "document_type", flat=True
            )
        )
    )
    present = set(project.documents.values_list("document_type", flat=True))
    return [(str(DocumentType(t).label), t in present) for t in required]
