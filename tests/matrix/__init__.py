"""The permission matrix: every URL × every role → the status the server must answer.

Each app contributes ``tests/matrix/<app>.py`` with a list ``CASES`` and, optionally,
``setup(world)`` that adds the sample objects its URLs need (``world.facility_a`` …). A URL that
no case names makes ``test_every_url_is_in_the_matrix`` fail.

Roles: anonymous, staff_a and manager_a (province A), staff_b (province B), national_manager, admin.
Anonymous users are always redirected to the login page unless a case is ``public``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "staff_a", "manager_a", "staff_b", "national_manager", "admin")
MODULES = (
    "core",
    "accounts",
    "regions",
    "beneficiaries",
    "projects",
    "funding",
    "reports",
    "api",
    "opendata",
    "notifications",
    "papers",
    "imports",
)
#: API tokens (tests/matrix/api.py): a province A client reading, the same writing, a national client reading.
TOKEN_ROLES = ("token_read_a", "token_write_a", "token_read_national")

# Presets: "own province object" and "role-only" patterns.
READ_ALL = {"staff_a": 200, "manager_a": 200, "staff_b": 200, "national_manager": 200, "admin": 200}
# An object of province A, readable by every role in scope; province B gets 404.
READ_A = {"staff_a": 200, "manager_a": 200, "staff_b": 404, "national_manager": 200, "admin": 200}
# An object of province A that only staff (and admins) change; managers 403; province B 404.
STAFF_CHANGE_A = {"staff_a": 200, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 200}
# A province-A object that only managers (and admins) act on.
MANAGER_ACT_A = {"staff_a": 403, "manager_a": 200, "staff_b": 404, "national_manager": 200, "admin": 200}
# Pages (not objects) for staff only / managers only.
STAFF_ONLY = {"staff_a": 200, "manager_a": 403, "staff_b": 200, "national_manager": 403, "admin": 200}
MANAGER_ONLY = {"staff_a": 403, "manager_a": 200, "staff_b": 403, "national_manager": 200, "admin": 200}


@dataclass
class Case:
    """One URL in the matrix. ``kwargs`` and ``data`` receive the world namespace."""

    name: str
    expect: dict[str, int]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    query: str = ""
    public: bool = False
    anonymous: int | None = None  # for public cases: the status anonymous users get
    #: API routes: the status each API token (TOKEN_ROLES) gets; None for pages that take no token.
    tokens: dict[str, int] | None = None
    #: Send ``data`` as JSON (API writes).
    json: bool = False
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        return self.id or f"{self.method}:{self.name}"


def _modules() -> list[Any]:
    found = []
    for name in MODULES:
        try:
            found.append(importlib.import_module(f"tests.matrix.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.matrix.{name}":
                raise
    return found


def all_cases() -> list[Case]:
    return [case for module in _modules() for case in getattr(module, "CASES", [])]


def build_world(world: Any) -> None:
    for module in _modules():
        setup = getattr(module, "setup", None)
        if setup is not None:
            setup(world)
