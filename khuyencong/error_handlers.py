"""Django's site-wide error handlers: the API's URL space answers in its JSON shape, the rest with the
portal's pages (core.views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from api.errors import plain_error_response
from core import views


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return plain_error_response(403) if _is_api(request) else views.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return plain_error_response(404) if _is_api(request) else views.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return plain_error_response(500) if _is_api(request) else views.server_error(request)
