"""The report catalogue: one class per report kind, each with its parameters form and ``build``.

A report kind declares what it needs from the user (``form_class``), turns the cleaned form into
JSON parameters plus the province whose data it holds (``scope_of``), and writes its file
(``build(run, target, progress)``). Kinds register themselves with :func:`register`; the modules in
``reports.kinds`` are imported once by :func:`all_reports`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import IO, Any, ClassVar

from django import forms

ProgressCallback = Callable[[int], None]

_REGISTRY: dict[str, Report] = {}
_KIND_MODULES = (
    "reports.kinds.annual",
    "reports.kinds.funding_sources",
    "reports.kinds.facilities",
    "reports.kinds.dossier",
    "reports.kinds.aggregate_pdf",
)
_loaded = False


class Report:
    """Base class of a report kind."""

    code: ClassVar[str]
    title: ClassVar[Any]
    description: ClassVar[Any] = ""
    extension: ClassVar[str] = "xlsx"
    icon: ClassVar[str] = "file-earmark-spreadsheet"
    #: A form class whose constructor also takes ``user=`` (the scope of its choices).
    form_class: ClassVar[Callable[..., forms.Form]]
    order: ClassVar[int] = 100
    file_stem: ClassVar[str] = "bao-cao"

    @property
    def content_type(self) -> str:
        return {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pdf": "application/pdf",
        }[self.extension]

    def get_form(self, user: Any, data: Any = None, initial: dict[str, Any] | None = None) -> forms.Form:
        return self.form_class(data=data, initial=initial, user=user)

    def parameters_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """JSON-serialisable parameters stored on the run."""
        raise NotImplementedError

    def province_of(self, parameters: dict[str, Any]) -> int | None:
        """The province whose data the report holds (None: all provinces)."""
        return parameters.get("province")

    def describe(self, parameters: dict[str, Any]) -> str:
        """The parameters in words, for the run page and file name."""
        return ""

    def filename(self, run: Any) -> str:
        return f"{self.file_stem}-{run.pk}.{self.extension}"

    def build(self, run: Any, target: IO[bytes], progress: ProgressCallback) -> None:
        """Write the file to ``target``; call ``progress(0..100)`` now and then."""
        raise NotImplementedError


def register(cls: type[Report]) -> type[Report]:
    _REGISTRY[cls.code] = cls()
    return cls


def _load() -> None:
    global _loaded
    if not _loaded:
        for name in _KIND_MODULES:
            importlib.import_module(name)
        _loaded = True


def all_reports() -> list[Report]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.code))


def get_report(code: str) -> Report | None:
    _load()
    return _REGISTRY.get(code)
