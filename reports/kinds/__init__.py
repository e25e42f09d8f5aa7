"""Report kinds of the catalogue (one module each) and what they share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from core.parsing import is_ascii_digits
from projects.models import FundingLevel
from regions.former import describe as former_units
from regions.models import Province

from ..forms import ScopeForm
from ..registry import ProgressCallback, Report
from ..selectors import Filters


class ScopeReport(Report):
    """A report over a year range, a province (or all, for national users) and a funding level."""

    form_class = ScopeForm

    def parameters_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        province = cleaned.get("province")
        return {
            "year_from": cleaned["year_from"],
            "year_to": cleaned["year_to"],
            "province": province.pk if province else None,
            "funding_level": cleaned.get("funding_level") or "",
        }

    def filters(self, parameters: dict[str, Any]) -> Filters:
        return Filters.from_params(parameters)

    def describe(self, parameters: dict[str, Any]) -> str:
        f = self.filters(parameters)
        parts = [
            _("Giai đoạn %(p)s") % {"p": f.period_label}
            if f.year_from != f.year_to
            else _("Năm %(y)s") % {"y": f.year_from}
        ]
        if parameters.get("period"):
            parts.insert(
                0, _("Báo cáo %(p)s (lũy kế năm đến ngày lập)") % {"p": period_words(parameters["period"])}
            )
        parts.append(province_name(f.province))
        if f.legacy_province or f.legacy_district:
            parts.append(former_units(f.legacy_province, f.legacy_district))
        if f.funding_level:
            parts.append(str(FundingLevel(f.funding_level).label))
        return " · ".join(parts)

    def filename(self, run: Any) -> str:
        f = self.filters(run.parameters)
        place = province_slug(f.province)
        return f"{self.file_stem}-{place}-{f.period_label.replace('–', '-')}-{run.pk}.{self.extension}"


def period_words(label: str) -> str:
    """``2026-10`` → ``tháng 10/2026``; ``2026-Q3`` → ``quý III/2026``."""
    year, _sep, part = label.partition("-")
    if part.startswith("Q") and is_ascii_digits(part[1:]):
        roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(part[1:], part[1:])
        return _("quý %(q)s/%(y)s") % {"q": roman, "y": year}
    if is_ascii_digits(part):
        return _("tháng %(m)s/%(y)s") % {"m": part, "y": year}
    return label


def province_name(code: int | None) -> str:
    if not code:
        return _("Toàn quốc")
    return Province.objects.filter(pk=code).values_list("name", flat=True).first() or str(code)


def province_slug(code: int | None) -> str:
    if not code:
        return "toan-quoc"
    codename = Province.objects.filter(pk=code).values_list("codename", flat=True).first()
    return (codename or str(code)).replace("_", "-")


def stream_sql(sql: str, params: Sequence[Any], chunk: int = 2000) -> Iterator[tuple]:
    """Rows of a query through a server-side cursor: constant memory, however many rows."""
    from core.db import read_connection

    connection = read_connection()  # the replica inside core.db.reader() (report building)
    # A cursor makes the planner favour the first rows (nested loops); these reports read them all.
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(chunk):
                yield from batch
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def with_progress(
    rows: Iterable[Sequence[Any]], progress: ProgressCallback, total: int, start: int, end: int
) -> Iterator[Sequence[Any]]:
    """Pass rows through, reporting progress from ``start`` to ``end`` percent as they go."""
    span = max(end - start, 0)
    for index, row in enumerate(rows, 1):
        if total and index % 500 == 0:
            progress(start + span * index // total)
        yield row
    progress(end)
