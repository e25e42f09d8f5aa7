"""One JSON error shape for every refusal of the API, with a Vietnamese message:

``{"status": 400, "code": "invalid", "message": "…", "errors": {"field": [{"code": "…", "message": "…"}]}}``

``errors`` is present for input errors; ``non_field_errors`` holds what concerns the request as a whole.
:class:`core.errors.DomainError` maps by subclass (NotFound 404, Forbidden 403, Conflict 409, else 400).
Anything else that is not an API exception is a bug: it is not hidden here (a 500, logged).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.errors import Conflict, DomainError, Forbidden, NotFound

NON_FIELD = "non_field_errors"

_DEFAULT_MESSAGES = {
    400: gettext_lazy("Dữ liệu gửi lên không hợp lệ."),
    401: gettext_lazy("Cần xác thực: gửi mã truy cập (Authorization: Bearer …) hoặc đăng nhập."),
    403: gettext_lazy("Bạn không có quyền thực hiện thao tác này."),
    404: gettext_lazy("Không tìm thấy."),
    405: gettext_lazy("Phương thức không được hỗ trợ."),
    406: gettext_lazy("Không có định dạng trả lời phù hợp."),
    409: gettext_lazy("Dữ liệu đã thay đổi hoặc trạng thái không cho phép thao tác này."),
    415: gettext_lazy("Kiểu dữ liệu gửi lên không được hỗ trợ."),
    429: gettext_lazy("Vượt giới hạn số lượt gọi; hãy thử lại sau."),
}


def error_body(
    status_code: int, code: str, message: str, errors: dict[str, list[dict]] | None = None
) -> dict:
    body: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if errors:
        body["errors"] = errors
    return body


def _details(detail: Any, code: str = "invalid") -> list[dict[str, str]]:
    """DRF's full details (``{"message", "code"}`` leaves) flattened into a list for one field."""
    if isinstance(detail, dict) and set(detail) == {"message", "code"}:
        return [{"code": str(detail["code"]), "message": str(detail["message"])}]
    if isinstance(detail, list):
        return [item for d in detail for item in _details(d, code)]
    if isinstance(detail, dict):  # nested serializer: prefix the inner field names
        return [
            {"code": item["code"], "message": f"{key}: {item['message']}"}
            for key, value in detail.items()
            for item in _details(value, code)
        ]
    return [{"code": code, "message": str(detail)}]


def field_errors(detail: Any) -> dict[str, list[dict[str, str]]]:
    """A ValidationError's details by field."""
    if isinstance(detail, dict):
        return {str(k): _details(v) for k, v in detail.items()}
    return {NON_FIELD: _details(detail)}


def domain_error_response(exc: DomainError) -> Response:
    code: int
    if isinstance(exc, NotFound):
        code = status.HTTP_404_NOT_FOUND
    elif isinstance(exc, Forbidden):
        code = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, Conflict):
        code = status.HTTP_409_CONFLICT
    else:
        code = status.HTTP_400_BAD_REQUEST
    errors = {
        (field or NON_FIELD): [{"code": exc.code, "message": m} for m in messages]
        for field, messages in exc.errors.items()
    }
    return Response(
        error_body(code, exc.code, exc.message, errors if code in (400, 409) else None), status=code
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler for the whole API."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(_DEFAULT_MESSAGES[404]))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers: dict[str, str] = {}
    # DRF sets these on NotAuthenticated (by the authenticator) and Throttled.
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = str(auth_header)
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(int(wait))
    code = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.get_full_details())
        return Response(
            error_body(code, "invalid", str(_DEFAULT_MESSAGES[400]), errors), status=code, headers=headers
        )
    if isinstance(exc, exceptions.ParseError):  # DRF's parse messages are not translatable
        return Response(
            error_body(code, "parse_error", _("Không đọc được dữ liệu gửi lên (JSON không hợp lệ).")),
            status=code,
            headers=headers,
        )
    details = exc.get_full_details()
    message = (
        str(details.get("message")) if isinstance(details, dict) else str(_DEFAULT_MESSAGES.get(code, ""))
    )
    machine = str(details.get("code")) if isinstance(details, dict) else "error"
    return Response(error_body(code, machine, message), status=code, headers=headers)


def plain_error_response(status_code: int) -> JsonResponse:
    """The API's JSON error body for a refusal raised before DRF sees the request (an unmatched URL such
    as ``/api/v1/facilities/-1/``, a 403 from middleware, a 500), so a client never gets an HTML page."""
    codes = {403: "permission_denied", 404: "not_found", 500: "server_error"}
    messages = {**_DEFAULT_MESSAGES, 500: gettext_lazy("Lỗi máy chủ; hãy thử lại sau.")}
    body = error_body(status_code, codes[status_code], str(messages[status_code]))
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})
