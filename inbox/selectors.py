"""``inbox_for(user)``: the sections of work waiting for a user, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.permissions import has_perm

from . import providers
from .base import PROVIDERS, Section, Task


def inbox_for(user: Any, today: dt.date | None = None) -> list[Section]:
    """What waits for ``user``: the workflow's steps first, then deadlines, then system work."""
    today = today or timezone.localdate()
    if not user.is_authenticated or not user.is_active:
        return []
    sections = providers.workflow_sections(user, today)
    for permission, provide in PROVIDERS:
        if has_perm(user, permission):
            section = provide(user, today)
            if section is not None and section.tasks:
                sections.append(section)
    return sections


def dated_tasks(user: Any, today: dt.date | None = None) -> list[Task]:
    """Every listed task with a due date (what reminders are about)."""
    return [t for s in inbox_for(user, today) for t in s.tasks if t.due is not None]
