"""Which role may do what: one table that views, templates and tests read.

A view names the permission it needs (``permission_required = "facility.change"``); the
:class:`core.views.PortalPermissionMixin` checks it (403 when missing) and scopes the queryset
(404 for another province's object). Add new permissions here, never ad hoc in a view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

STAFF, MANAGER, ADMIN = Role.STAFF, Role.MANAGER, Role.ADMIN

PERMISSIONS: dict[str, frozenset[str]] = {
    # Reading anything inside one's scope.
    "portal.view": frozenset({STAFF, MANAGER, ADMIN}),
    # Facility register.
    "facility.view": frozenset({STAFF, MANAGER, ADMIN}),
    "facility.change": frozenset({STAFF, ADMIN}),
    "facility.import": frozenset({STAFF, ADMIN}),
    "facility.export": frozenset({STAFF, MANAGER, ADMIN}),
    # Personal data (Law 91/2025): a CCCD or phone unmasked, on a page or in an export; logged.
    # The province's staff who deal with the households, and admins; not managers (national or not).
    "personal_data.reveal": frozenset({STAFF, ADMIN}),
    # Projects.
    "project.view": frozenset({STAFF, MANAGER, ADMIN}),
    "project.change": frozenset({STAFF, ADMIN}),
    "project.review": frozenset({MANAGER, ADMIN}),
    # Bringing past projects and their money in from a workbook (own province only).
    "history.import": frozenset({STAFF, ADMIN}),
    # Money.
    "funding.view": frozenset({STAFF, MANAGER, ADMIN}),
    "funding.record": frozenset({STAFF, ADMIN}),
    "funding.allocate": frozenset({MANAGER, ADMIN}),
    # Dashboards and reports.
    "dashboard.view": frozenset({MANAGER, ADMIN}),
    "report.view": frozenset({STAFF, MANAGER, ADMIN}),
    "report.request": frozenset({MANAGER, ADMIN}),
    # System work: locked-out accounts, ledger differences, paper templates.
    "system.admin": frozenset({ADMIN}),
}


def has_perm(user: User | AnonymousUser, permission: str) -> bool:
    """True when the user's role grants ``permission`` (unknown permissions are never granted)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = PERMISSIONS.get(permission)
    if roles is None:
        raise KeyError(f"Unknown portal permission: {permission}")
    return user.role in roles
