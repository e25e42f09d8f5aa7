"""Hardening that applies to every response: browser-feature and caching headers, the session's idle
and absolute time limits, and a friendly answer when the database is down."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: Session keys: when the user signed in, and when the session last served a request (Unix seconds).
SIGNED_IN_AT = "kc_signed_in_at"
SEEN_AT = "kc_seen_at"
#: The last-seen time is written at most this often, so a busy user does not save the session each request.
SEEN_RESOLUTION = 60

#: Errors that mean the database cannot be reached (refused, dropped, timed out), not a bug.
DATABASE_DOWN = (OperationalError, InterfaceError)


def now() -> int:
    """The current Unix time; tests move it forward."""
    return int(time.time())


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: private, no-store`` on every response to
    a request that carries a session (signed-in pages, exports, vouchers and other downloads), so
    neither a shared proxy nor the browser's cache keeps a copy of personal data.

    The session cookie decides, not ``request.user``: this needs no database, so it also holds while
    the database is down.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.KC_PERMISSIONS_POLICY)
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES or (
            settings.SESSION_COOKIE_NAME in response.cookies
        )
        if has_session:
            if "Cache-Control" in response.headers:
                del response.headers["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response


class SessionTimeoutMiddleware:
    """Sign the user out after ``KC_SESSION_IDLE_TIMEOUT`` seconds without a request, or
    ``KC_SESSION_MAX_AGE`` seconds after signing in, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            session = request.session
            current = now()
            signed_in = session.get(SIGNED_IN_AT)
            seen = session.get(SEEN_AT)
            if signed_in is None:
                session[SIGNED_IN_AT] = signed_in = current
            if seen is None:
                seen = current
            idle = current - int(seen) > settings.KC_SESSION_IDLE_TIMEOUT
            too_old = current - int(signed_in) > settings.KC_SESSION_MAX_AGE
            if idle or too_old:
                return self._expire(request)
            if current - int(seen) >= SEEN_RESOLUTION or SEEN_AT not in session:
                session[SEEN_AT] = current
        return self.get_response(request)

    def _expire(self, request: HttpRequest) -> HttpResponse:
        logout(request)
        messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
        if getattr(request, "htmx", False) or request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return redirect_to_login(request.get_full_path())


@receiver(user_logged_in)
def _start_session_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A new sign-in starts both clocks."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now()


def outage_response() -> HttpResponse:
    """The friendly 503, rendered without the database (no context processors, no user)."""
    html = loader.get_template("503.html").render({})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "60"
    patch_cache_control(response, no_store=True)
    return response


class DatabaseOutageMiddleware:
    """A view that fails because the database cannot be reached answers the Vietnamese 503 page.

    Failures before the view (loading the session or the user) reach ``core.views.server_error``,
    which answers the same page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
            return outage_response()
        return None
