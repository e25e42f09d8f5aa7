"""One decision for several projects: a manager approves or returns them in one action.

All or nothing: each project goes through :func:`project_transition` (the same checks as one at a
time) inside one transaction; if any project fails, none moves and every project's reason is
reported, so a decision is never applied to a subset that the manager did not choose.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, DomainError

from ..models import Project, ProjectTransition
from .lifecycle import project_transition

#: Steps that may be taken on several projects at once.
BULK_ACTIONS = ("approve", "return")
#: Fields of the one decision: an error there is the decision's, not a project's.
SHARED_FIELDS = frozenset({"comment", "decision_number", "decision_date", "decision_signer", "file"})
#: A decision covers at most this many projects (one page of the queue).
BULK_LIMIT = 50


@dataclass
class BulkOutcome:
    project: Project
    ok: bool
    message: str = ""


class BulkError(Conflict):
    """Some projects could not take the step; nothing was changed. ``outcomes`` says why, per project."""

    def __init__(self, message: str, outcomes: list[BulkOutcome]) -> None:
        super().__init__(message)
        self.outcomes = outcomes


def projects_bulk_transition(
    *,
    user: User,
    projects: Sequence[Project],
    action: str,
    comment: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    decision_signer: str = "",
    upload: UploadedFile[Any] | None = None,
) -> list[ProjectTransition]:
    """Take ``action`` on every project with the same decision, or on none (see the module doc)."""
    if action not in BULK_ACTIONS:
        raise DomainError(_("Chỉ phê duyệt hoặc trả lại được nhiều đề án cùng lúc."), field="action")
    if not projects:
        raise DomainError(_("Chọn ít nhất một đề án."), field="projects")
    if len(projects) > BULK_LIMIT:
        raise DomainError(_("Mỗi lần xử lý tối đa %(n)s đề án.") % {"n": BULK_LIMIT}, field="projects")
    outcomes: list[BulkOutcome] = []
    done: list[ProjectTransition] = []
    with transaction.atomic():
        for project in sorted(projects, key=lambda p: p.pk):  # a fixed order: no deadlock between two
            if upload is not None:
                upload.seek(0)
            try:
                with transaction.atomic():
                    done.append(
                        project_transition(
                            user=user,
                            project=project,
                            action=action,
                            comment=comment,
                            decision_number=decision_number,
                            decision_date=decision_date,
                            decision_signer=decision_signer,
                            upload=upload,
                        )
                    )
                outcomes.append(BulkOutcome(project, True))
            except DomainError as exc:
                if exc.field in SHARED_FIELDS:
                    raise  # the shared decision itself is wrong: shown by its field, nothing changed
                outcomes.append(BulkOutcome(project, False, exc.message))
        if not all(o.ok for o in outcomes):
            transaction.set_rollback(True)
            failed = sum(not o.ok for o in outcomes)
            raise BulkError(
                _("%(n)s đề án không xử lý được; chưa đề án nào được thay đổi.") % {"n": failed}, outcomes
            )
    return done
