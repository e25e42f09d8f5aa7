"""Reads that may go to a read replica, by explicit choice in the code paths that can bear a few
seconds of lag: reports, exports, search lists, open data and API reads. Everything else, and every
write and every money check (``select_for_update`` inside ``transaction.atomic``), uses the primary.

    with reader():
        rows = list(Project.objects.visible_to(user))   # the replica, when DATABASE_REPLICA_URL is set

Without a replica configured, ``reader()`` changes nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse

REPLICA = "replica"
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("kc_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reader() -> Iterator[str]:
    """Send this block's ORM reads to the replica (writes still go to the primary). Yields the alias
    used, for raw SQL: ``connections[alias].cursor()``."""
    token = _reading.set(True)
    try:
        yield REPLICA if replica_configured() else "default"
    finally:
        _reading.reset(token)


@contextlib.contextmanager
def primary() -> Iterator[None]:
    """Inside a :func:`reader` block, read from the primary again (authentication, permissions)."""
    token = _reading.set(False)
    try:
        yield
    finally:
        _reading.reset(token)


def reading_from_replica() -> bool:
    return _reading.get() and replica_configured()


class ReplicaRouter:
    """Django database router: reads inside :func:`reader` go to the replica, all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if reading_from_replica() else None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


def one_transaction(alias: str) -> contextlib.AbstractContextManager[Any]:
    """A transaction on ``alias`` unless one is open already (then nothing: no savepoint)."""
    from django.db import connections

    if connections[alias].get_autocommit():
        return transaction.atomic(using=alias)
    return contextlib.nullcontext()


def _streamed_in_reader(content: Iterator[Any]) -> Iterator[Any]:
    with reader() as alias, one_transaction(alias):
        yield from content


class ReplicaReadMixin:
    """For views whose GET is a report, an export, a search or open data: the GET (and a streamed
    body, which is produced after the view returns) reads from the replica, each in a transaction."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: super() is the view class it is mixed into, unknown to mypy here
        # Who is asking is read from the primary (a session made a second ago may not have reached
        # the replica): evaluate the lazy user before reads switch over.
        user = getattr(request, "user", None)
        if user is not None:
            _ = user.is_authenticated
        # One transaction per stage (the view, then a streamed body): ``.iterator()``'s server-side
        # cursor then lives on one server connection, also behind PgBouncer in transaction mode.
        with reader() as alias, one_transaction(alias):
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: super() is the view class it is mixed into, unknown to mypy here
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = _streamed_in_reader(iter(response.streaming_content))  # type: ignore[arg-type]  # WSGI: sync iterators
        return response


def read_connection() -> Any:
    """The connection for raw read-only SQL: the replica inside :func:`reader`, else the primary."""
    from django.db import connections

    return connections[REPLICA if reading_from_replica() else "default"]
