"""CSV and XLSX as formats of every list endpoint (``?format=csv`` / ``?format=xlsx`` or the Accept
header). A list view answers them itself with a streamed file (api.exports); these renderers only make
content negotiation accept the formats and describe them in the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.renderers import BaseRenderer

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _FileRenderer(BaseRenderer):
    charset: str | None = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        # Errors are rendered as JSON by the view (api.views.base); nothing else reaches here.
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class XLSXRenderer(_FileRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
