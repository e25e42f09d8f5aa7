"""The inbox's item, its sections and the provider registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: How many items one section lists (its total is still counted and linked).
SECTION_LIMIT = 20


@dataclass(frozen=True)
class Task:
    """One thing waiting for the user: what to do, on what, by when, and the page to do it on."""

    section: str
    action: str
    subject: str
    url: str
    due: dt.date | None = None
    since: dt.date | None = None
    code: str = ""
    province: str = ""
    project_id: int | None = None
    #: A stable key for reminders (one reminder per task and deadline).
    key: str = ""

    def days_left(self, today: dt.date) -> int | None:
        return None if self.due is None else (self.due - today).days


@dataclass
class Section:
    """A group of tasks of one provider, with the total when more exist than are listed."""

    key: str
    title: Any
    icon: str
    tasks: list[Task] = field(default_factory=list)
    total: int = 0
    more_url: str = ""


Provider = Callable[[Any, dt.date], Section | None]
PROVIDERS: list[tuple[str, Provider]] = []


def provider(permission: str) -> Callable[[Provider], Provider]:
    """Register a provider that runs for users holding ``permission`` (accounts.permissions)."""

    def register(fn: Provider) -> Provider:
        PROVIDERS.append((permission, fn))
        return fn

    return register
