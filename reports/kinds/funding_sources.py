"""Funding by source and year: planned, approved, advanced, paid, disbursed and settled money, and
the same by province (national view) or commune (one province)."""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.exports import Column, write_xlsx

from ..registry import ProgressCallback, register
from ..selectors import ALL_SOURCES, STATE_SOURCES, Facts, dashboard_facts, source_label
from . import ScopeReport
from .annual import money_columns, money_rows


def year_area_sheets(facts: Facts) -> list[tuple[Any, ...]]:
    """Money by year and source, and by province (national view) or commune (one province)."""
    year_rows = []
    for year, sources in facts.money_by_year.items():
        for source in ALL_SOURCES:
            m = sources[source]
            if not (m.planned or m.approved or m.settled):
                continue
            state = source in STATE_SOURCES
            year_rows.append(
                [
                    year,
                    source_label(source),
                    m.planned,
                    m.approved if state else None,
                    m.advanced if state else None,
                    m.paid if state else None,
                    m.disbursed if state else None,
                    m.settled,
                ]
            )
    area_label = _("Xã/phường/đặc khu") if facts.by_area == "commune" else _("Tỉnh/thành phố")
    area_rows = [[a["name"], a["projects"], a["approved"], a["disbursed"]] for a in facts.areas]
    return [
        (
            _("Theo năm và nguồn"),
            [Column(_("Năm"), 8, "text"), *money_columns(_("Nguồn kinh phí"))],
            year_rows,
            True,
        ),
        (
            _("Theo địa bàn"),
            [
                Column(area_label, 34),
                Column(_("Số đề án"), 12, "int"),
                Column(_("Kinh phí giao (đồng)"), 22, "money"),
                Column(_("Đã giải ngân (đồng)"), 22, "money"),
            ],
            area_rows,
            facts.by_area == "province",  # communes overlap (a project in several communes)
        ),
    ]


@register
class FundingBySourceReport(ScopeReport):
    code = "funding_by_source"
    title = _lazy("Kinh phí theo nguồn và năm")
    description = _lazy(
        "Kế hoạch, kinh phí giao, tạm ứng, thanh toán, giải ngân và quyết toán theo từng nguồn (KCQG, KCĐP, "
        "vốn đối ứng, nguồn khác) và từng năm; kèm bảng theo tỉnh hoặc theo xã (Excel)."
    )
    icon = "cash-stack"
    order = 20
    file_stem = "kinh-phi-theo-nguon"

    def build(self, run: Any, target: IO[bytes], progress: ProgressCallback) -> None:
        filters = self.filters(run.parameters)
        progress(5)
        facts = dashboard_facts(None, filters, single_province=bool(filters.province))
        progress(50)
        sheets = year_area_sheets(facts)
        sheets.insert(1, (_("Theo nguồn"), money_columns(_("Nguồn kinh phí")), money_rows(facts), True))
        write_xlsx(target, sheets, title=f"{self.title} — {self.describe(run.parameters)}")
        progress(95)
