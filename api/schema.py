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
