"""A list endpoint's rows as CSV (streamed) or XLSX, through core.exports: the same flattening of the
serializer for both, and formula-like text neutralised (= + - @ never become formulas)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from rest_framework import serializers

from core.exports import Column, stream_csv, write_xlsx

from .renderers import XLSX_MEDIA_TYPE

CHUNK = 1000
XLSX_MAX_ROWS = 1_048_575 - 1  # Excel's sheet limit, less the header


def _columns(serializer: serializers.Serializer, prefix: str = "") -> list[tuple[str, list[str]]]:
    """(header, path) per leaf: nested single serializers become ``parent.child`` columns."""
    found: list[tuple[str, list[str]]] = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.Serializer) and not isinstance(field, serializers.ListSerializer):
            found += [(f"{name}.{h}", [name, *p]) for h, p in _columns(field)]
        else:
            found.append((f"{prefix}{name}", [name]))
    return found


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int):
        return "int"
    return "text"


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _rows(
    queryset: QuerySet,
    serializer_class: type,
    context: Mapping[str, Any],
    paths: list[list[str]],
    limit: int | None = None,
) -> Iterator[list]:
    """Rows in primary-key order, read in keyset chunks with their prefetches."""
    last, sent = None, 0
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        for item in serializer_class(chunk, many=True, context=context).data:
            if limit is not None and sent >= limit:
                return
            row = []
            for path in paths:
                value: Any = item
                for key in path:
                    value = value.get(key) if isinstance(value, dict) else None
                row.append(_cell(value))
            sent += 1
            yield row
        last = chunk[-1].pk


def export_response(
    fmt: str, name: str, queryset: QuerySet, serializer_class: type, context: Mapping[str, Any]
) -> StreamingHttpResponse | FileResponse:
    """The whole filtered list as a file named ``<name>-<date>.<fmt>`` (no pagination)."""
    columns = _columns(serializer_class(context=context))
    paths = [p for _h, p in columns]
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    # Keyset order, read in chunks with their prefetches (never the whole table in memory).
    queryset = queryset.order_by("pk")
    if fmt == "csv":
        return stream_csv(
            filename, [Column(h) for h, _p in columns], _rows(queryset, serializer_class, context, paths)
        )
    rows = _rows(queryset, serializer_class, context, paths, limit=XLSX_MAX_ROWS)
    first = next(rows, None)
    kinds = [_kind(v) for v in first] if first is not None else ["text"] * len(columns)

    def all_rows() -> Iterator[list]:
        if first is not None:
            yield first
            yield from rows

    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it after sending)
    write_xlsx(
        handle, [(name, [Column(h, kind=k) for (h, _p), k in zip(columns, kinds, strict=True)], all_rows())]
    )
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_MEDIA_TYPE)
