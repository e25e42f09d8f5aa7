"""Open data (no login): every page and file answers 200 to anyone, anonymous included."""

from __future__ import annotations

from typing import Any

from tests.matrix import READ_ALL, Case

PUBLIC: dict[str, Any] = {"public": True, "anonymous": 200}

CASES = [
    Case("opendata:overview", READ_ALL, **PUBLIC),
    Case("opendata:overview", READ_ALL, query="nam=2026&tinh=25", id="overview-filtered", **PUBLIC),
    Case("opendata:datapackage", READ_ALL, **PUBLIC),
    Case("opendata:file", READ_ALL, kwargs=lambda w: {"name": "theo-tinh", "fmt": "csv"}, **PUBLIC),
    Case(
        "opendata:file",
        READ_ALL,
        kwargs=lambda w: {"name": "co-so-duoc-ho-tro", "fmt": "xlsx"},
        id="f-x",
        **PUBLIC,
    ),
    Case(
        "opendata:file",
        READ_ALL,
        kwargs=lambda w: {"name": "theo-noi-dung", "fmt": "json"},
        id="f-j",
        **PUBLIC,
    ),
]
