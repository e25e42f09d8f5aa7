"""Bulk loading with PostgreSQL COPY, driven by the models' own metadata.

The generator produces plain dicts keyed by field ``attname``; :func:`copy_rows` fills every other
concrete column from the field's default (or ``auto_now`` time, or NULL / "" where allowed), so a
column another app adds later does not break the generator as long as it has a default.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

NULL = "\\N"


def _encode(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, int, Decimal, float)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _fallback(field: models.Field, now: dt.datetime) -> Any:
    """What a column gets when the generator does not set it."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now.date() if type(field) is models.DateField else now
    if field.has_default():
        value = field.get_default()
        if hasattr(value, "pk") and not isinstance(value, (int, str)):
            value = value.pk
        return value
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.JSONField):
        return {}
    raise ValueError(f"{field.model.__name__}.{field.name}: no value, no default and NOT NULL")


def concrete_columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def copy_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], chunk: int = 50_000) -> int:
    """COPY ``rows`` (dicts keyed by attname) into the model's table; returns the number of rows."""
    fields = concrete_columns(model)
    columns = [f.column for f in fields if f.column]  # concrete fields always have one
    now = timezone.now()
    fallbacks: dict[str, Any] = {}
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"COPY {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) FROM STDIN"
    count = 0
    buffer = io.StringIO()
    pending = 0

    def flush() -> None:
        nonlocal buffer, pending
        if not pending:
            return
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)
        buffer = io.StringIO()
        pending = 0

    for row in rows:
        values = []
        for f in fields:
            if f.attname in row:
                values.append(row[f.attname])
            else:
                if f.attname not in fallbacks:
                    fallbacks[f.attname] = _fallback(f, now)
                values.append(fallbacks[f.attname])
        buffer.write("\t".join(_encode(v) for v in values))
        buffer.write("\n")
        pending += 1
        count += 1
        if pending >= chunk:
            flush()
    flush()
    return count


def reset_sequence(model: type[models.Model]) -> None:
    """Move the primary key's sequence past the rows loaded with explicit ids."""
    pk = model._meta.pk
    if not isinstance(pk, (models.AutoField, models.BigAutoField, models.SmallAutoField)):
        return
    table, column = model._meta.db_table, pk.column
    if column is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f"GREATEST((SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "
            f"FROM {connection.ops.quote_name(table)}), 1))",
            [table, column],
        )


def max_pk(model: type[models.Model]) -> int:
    return model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
