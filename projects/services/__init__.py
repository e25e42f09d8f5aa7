"""Every write to a project goes through here: atomic, row-locked, checked, audited.

Each service takes keyword-only arguments and the acting ``user``; it raises :class:`core.errors.DomainError`
(a Vietnamese, translatable message, optionally tied to a form field) and changes nothing when a
rule is broken. pghistory triggers record every row change; ``pghistory.context`` adds who and why.

Split by subject: ``base`` (error, codes, checks), ``registration`` (create, edit, beneficiaries,
indicators, double funding), ``documents``, ``lifecycle`` (workflow steps, adjustments, progress).
"""

from ..permissions import may_change_beneficiaries
from .base import EDITABLE_FIELDS, PROVINCE_PREFIXES, next_project_code, province_prefix
from .bulk import BULK_ACTIONS, BulkError, BulkOutcome, projects_bulk_transition
from .documents import document_checklist, document_upload, missing_documents
from .lifecycle import (
    ADJUSTABLE_FIELDS,
    progress_report_file,
    project_adjust,
    project_submit,
    project_transition,
    snapshot,
)
from .registration import (
    double_funding_conflicts,
    project_acknowledge_double_funding,
    project_add_beneficiary,
    project_create,
    project_remove_beneficiary,
    project_set_planned_indicators,
    project_update,
)

__all__ = [
    "ADJUSTABLE_FIELDS",
    "BULK_ACTIONS",
    "EDITABLE_FIELDS",
    "PROVINCE_PREFIXES",
    "BulkError",
    "BulkOutcome",
    "document_checklist",
    "document_upload",
    "double_funding_conflicts",
    "may_change_beneficiaries",
    "missing_documents",
    "next_project_code",
    "progress_report_file",
    "project_acknowledge_double_funding",
    "project_add_beneficiary",
    "project_adjust",
    "project_create",
    "project_remove_beneficiary",
    "project_set_planned_indicators",
    "project_submit",
    "project_transition",
    "project_update",
    "projects_bulk_transition",
    "province_prefix",
    "snapshot",
]
