"""Who calls: a bearer token of a registered client, or a logged-in user's browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .services import token_for_key, token_touch


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer kc_<prefix>_<secret>``; the request acts as the client's service account."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization không đúng dạng “Bearer <mã>”."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ.")) from exc
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            )
        token_touch(token)
        return token.client.user, token

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """A logged-in user's session (the docs page, htmx); unsafe methods need the CSRF token."""
