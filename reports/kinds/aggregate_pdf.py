"""The aggregate report as PDF, in the layout of the project dossier (WeasyPrint, Noto Sans).

The same sheets as the Excel reports (``overview_sheets`` and ``year_area_sheets`` of the same
facts), so the PDF, the workbooks and the dashboard give the same figures; only the rendering differs."""

from __future__ import annotations

from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from core.exports import Column
from core.templatetags.kc import num, pct, vnd

from ..forms import ProvinceReportForm
from ..registry import ProgressCallback, register
from ..selectors import dashboard_facts
from . import ScopeReport
from .annual import overview_sheets
from .funding_sources import year_area_sheets


def _cell(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "money":
        return vnd(value)
    if kind == "int":
        return num(value)
    if kind == "percent":
        return pct(value)
    return str(value)


def _numeric(column: Column) -> bool:
    return column.kind in ("money", "int", "percent")


def sheet_tables(sheets: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Each sheet as a table of formatted cells, with a totals row where the workbook has one."""
    tables = []
    for sheet in sheets:
        name, columns, rows = sheet[:3]
        totals = sheet[3] if len(sheet) > 3 else False
        rows = [list(r) for r in rows]
        body = [
            [{"text": _cell(v, c.kind), "number": _numeric(c)} for v, c in zip(r, columns, strict=True)]
            for r in rows
        ]
        total = None
        if totals and rows:
            total = [
                _cell(sum(r[i] or 0 for r in rows), c.kind) if c.kind in ("money", "int") else ""
                for i, c in enumerate(columns)
            ]
        tables.append(
            {
                "name": str(name),
                "columns": [{"header": str(c.header), "number": _numeric(c)} for c in columns],
                "rows": body,
                "total": total,
            }
        )
    return tables


@register
class AggregatePdfReport(ScopeReport):
    code = "aggregate_pdf"
    title = _lazy("Báo cáo tổng hợp khuyến công (PDF)")
    description = _lazy(
        "Cùng số liệu với báo cáo Excel: tổng hợp, theo nội dung, theo nguồn, theo trạng thái, chỉ tiêu, "
        "theo năm và theo địa bàn; trình bày như hồ sơ đề án để in và ký (PDF)."
    )
    extension = "pdf"
    icon = "file-earmark-pdf"
    form_class = ProvinceReportForm
    order = 15
    file_stem = "bao-cao-tong-hop"

    def build(self, run: Any, target: IO[bytes], progress: ProgressCallback) -> None:
        from weasyprint import HTML

        filters = self.filters(run.parameters)
        progress(5)
        facts = dashboard_facts(None, filters, single_province=bool(filters.province))
        progress(30)
        from ..dashboard import summary_line

        context = {
            "title": self.title,
            "scope": self.describe(run.parameters),
            "summary": summary_line(facts),
            "tables": sheet_tables([*overview_sheets(facts), *year_area_sheets(facts)]),
            "generated_at": timezone.localtime(),
            "run": run,
        }
        html = render_to_string("reports/pdf/aggregate.html", context)
        progress(60)
        HTML(string=html, base_url=".").write_pdf(target)
        progress(95)
