"""drf-spectacular extensions: the bearer token scheme in the OpenAPI description."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "maTruyCap"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "kc_<tiền tố>_<bí mật>",
            "description": (
                "Mã truy cập do quản trị viên cấp cho một hệ thống đã đăng ký; quyền theo từng nhóm dữ liệu "
                "(đọc/ghi), có hạn dùng và có thể bị thu hồi."
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.CsrfSessionAuthentication"
    name = "phienDangNhap"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Phiên đăng nhập của người dùng cổng (kèm X-CSRFToken với POST/PATCH).",
        }


ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Một lỗi: mã HTTP, mã lỗi cho máy đọc, thông báo tiếng Việt và (với dữ liệu sai) lỗi theo trường."
    ),
    "required": ["status", "code", "message"],
    "properties": {
        "status": {"type": "integer"},
        "code": {
            "type": "string",
            "examples": ["invalid", "not_found", "conflict", "duplicate", "throttled"],
        },
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
}
_ERRORS = {
    "400": "Dữ liệu hoặc tham số không hợp lệ (lỗi theo trường trong errors).",
    "401": "Chưa xác thực, hoặc mã truy cập sai, hết hạn, đã thu hồi.",
    "403": "Không có quyền (vai trò, hoặc mã truy cập thiếu quyền của nhóm dữ liệu này).",
    "404": "Không tìm thấy trong phạm vi của bên gọi (đối tượng của tỉnh khác cũng là 404).",
    "406": "Không có định dạng trả lời phù hợp.",
    "429": "Vượt giới hạn số lượt gọi của hệ thống; xem Retry-After.",
}
_WRITE_ERRORS = {
    "409": "Xung đột: đã có (trùng mã số thuế…) hoặc trạng thái không cho phép.",
    "415": "Kiểu dữ liệu gửi lên không được hỗ trợ (gửi JSON).",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook: every operation documents the one error shape for its error statuses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = {**_ERRORS, **(_WRITE_ERRORS if method in ("post", "put", "patch") else {})}
            for code, description in errors.items():
                operation["responses"].setdefault(code, {"description": description, "content": ref})
    return result
