"""What a caller may do on a route: each view names its ``resource`` and the role permissions the web
uses for it; a token needs the matching scope, a session user the role permission. The province scope
is not decided here: querysets start from ``Model.objects.visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from accounts.permissions import has_perm

from .models import ApiToken

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ResourcePermission(permissions.BasePermission):
    message: StrOrPromise = _("Bạn không có quyền thực hiện thao tác này.")

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        write = request.method not in permissions.SAFE_METHODS
        resource = getattr(view, "resource", None)
        if resource is None:
            return False
        if isinstance(request.auth, ApiToken):
            if not request.auth.allows(resource, write=write):
                self.message = _("Mã truy cập không có quyền %(scope)s.") % {
                    "scope": f"{resource}:{'write' if write else 'read'}"
                }
                return False
            # The service account's role still applies (the services check it again on writes).
            return True
        needed = getattr(view, "write_permission" if write else "read_permission", None)
        return bool(needed) and has_perm(user, str(needed))
