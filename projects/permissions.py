"""What a user may do to one project: the role table (accounts.permissions) joined with the lifecycle
facts (projects.workflow), decided here once for the page, the services and the templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.permissions import has_perm

from . import workflow
from .models import ProjectKind

#: Attaching a file is part of both the staff's work (contracts, reports) and the managers' (decisions).
DOCUMENT_PERMISSIONS = ("project.change", "project.review")


def may_upload_documents(user: Any) -> bool:
    """Whether the user's role may attach documents to a project (staff and managers alike)."""
    return any(has_perm(user, p) for p in DOCUMENT_PERMISSIONS)


def may_change_beneficiaries(project: Any) -> bool:
    """The beneficiary list is open while the project is editable, and after approval for a đề án nhóm."""
    return project.status in workflow.EDITABLE_STATES or (
        project.kind == ProjectKind.GROUP and project.status in workflow.GROUP_BENEFICIARY_STATES
    )


@dataclass(frozen=True)
class ProjectActions:
    """The buttons a project page shows this user (scope is the caller's: the project was fetched
    through ``visible_to``)."""

    edit: bool
    adjust: bool
    review: bool
    report_progress: bool
    change_beneficiaries: bool
    upload_documents: bool
    transitions: tuple[workflow.Transition, ...]


def project_actions(user: Any, project: Any) -> ProjectActions:
    """Everything ``user`` may do on ``project`` in its current state."""
    change, review = has_perm(user, "project.change"), has_perm(user, "project.review")
    status = project.status
    return ProjectActions(
        edit=change and status in workflow.EDITABLE_STATES,
        adjust=review and status in workflow.ADJUSTABLE_STATES,
        review=review,
        report_progress=change and status in workflow.REPORTING_STATES,
        change_beneficiaries=change and may_change_beneficiaries(project),
        upload_documents=may_upload_documents(user),
        transitions=tuple(workflow.available_transitions(status, user)),
    )
