"""``cache.get_or_set`` with the type of what it builds (django's signature returns ``Any | None``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.core.cache import cache


def cached[T](key: str, build: Callable[[], T], timeout: int) -> T:
    """The cached value under ``key``, or ``build()`` stored for ``timeout`` seconds."""
    # get_or_set returns None only when its default is None; ``build`` is never None.
    return cast("T", cache.get_or_set(key, build, timeout))
