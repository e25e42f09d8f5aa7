"""The province's annual khuyến công report: projects by category and funding level, money by source,
indicators, and the list of projects (also generated monthly and quarterly by Celery beat)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.exports import Column, write_xlsx
from funding.models import Allocation
from projects.models import ActivityCategory, FundingLevel, IndicatorKind, Project, ProjectStatus

from ..forms import ProvinceReportForm
from ..registry import ProgressCallback, register
from ..selectors import ALL_SOURCES, STATE_SOURCES, Facts, dashboard_facts, scoped_projects, source_label
from . import ScopeReport, province_name, stream_sql, with_progress


def money_rows(facts: Facts) -> list[list[Any]]:
    rows = []
    for source in ALL_SOURCES:
        m = facts.money[source]
        state = source in STATE_SOURCES
        rows.append(
            [
                source_label(source),
                m.planned,
                m.approved if state else None,
                m.advanced if state else None,
                m.paid if state else None,
                m.disbursed if state else None,
                m.settled,
            ]
        )
    return rows


def money_columns(first: str) -> list[Column]:
    return [
        Column(first, 26),
        Column(_("Kế hoạch (đồng)"), 20, "money"),
        Column(_("Kinh phí giao (đồng)"), 20, "money"),
        Column(_("Tạm ứng (đồng)"), 20, "money"),
        Column(_("Thanh toán (đồng)"), 20, "money"),
        Column(_("Đã giải ngân (đồng)"), 20, "money"),
        Column(_("Quyết toán (đồng)"), 20, "money"),
    ]


def summary_rows(facts: Facts) -> list[list[Any]]:
    def share(value: float | None) -> Any:
        return value if value is not None else None

    return [
        [_("Số đề án (mọi trạng thái)"), facts.project_count, None, None],
        [_("Số đề án đã được phê duyệt"), facts.decided_count, None, None],
        [_("Kinh phí nhà nước giao"), None, facts.approved, None],
        [_("Kinh phí nhà nước đã giải ngân"), None, facts.disbursed, None],
        [_("Tỷ lệ giải ngân"), None, None, share(facts.disbursement_rate)],
        [_("Vốn đối ứng (kế hoạch)"), None, facts.planned_counterpart, None],
        [_("Tỷ lệ vốn đối ứng / vốn nhà nước (kế hoạch)"), None, None, share(facts.leverage)],
        [_("Số cơ sở được hỗ trợ"), facts.facilities_supported, None, None],
        [_("Số lao động được đào tạo"), facts.indicator("trainees"), None, None],
        [_("Tỷ lệ lao động nữ được đào tạo"), None, None, share(facts.share("trainees_female"))],
        [
            _("Tỷ lệ lao động dân tộc thiểu số được đào tạo"),
            None,
            None,
            share(facts.share("trainees_ethnic")),
        ],
        [_("Số mô hình trình diễn"), facts.indicator("demo_models"), None, None],
        [_("Số máy móc, thiết bị hỗ trợ"), facts.indicator("machines"), None, None],
        [_("Số dây chuyền công nghệ"), facts.indicator("tech_lines"), None, None],
        [_("Số sản phẩm được công nhận tiêu biểu"), facts.indicator("products_recognised"), None, None],
    ]


def overview_sheets(facts: Facts) -> list[tuple[Any, ...]]:
    """Summary, by category and level, by source, by status and indicators (also the dashboard's export)."""
    levels = dict(FundingLevel.choices)
    by_category = [
        [_cat_name(facts, cat), str(levels.get(level, level)), v["projects"], v["approved"], v["disbursed"]]
        for (cat, level), v in sorted(
            facts.category_level.items(), key=lambda kv: (_cat_name(facts, kv[0][0]), kv[0][1])
        )
    ]
    indicator_rows = [
        [str(kind.label), facts.indicator(kind.value, "planned"), facts.indicator(kind.value, "actual")]
        for kind in IndicatorKind
    ]
    status_rows = [[str(s.label), facts.status_counts.get(s.value, 0)] for s in ProjectStatus]
    return [
        (
            _("Tổng hợp"),
            [
                Column(_("Chỉ tiêu"), 48),
                Column(_("Số lượng"), 14, "int"),
                Column(_("Số tiền (đồng)"), 22, "money"),
                Column(_("Tỷ lệ"), 12, "percent"),
            ],
            summary_rows(facts),
            False,
        ),
        (
            _("Theo nội dung"),
            [
                Column(_("Nội dung hoạt động"), 40),
                Column(_("Cấp kinh phí"), 26),
                Column(_("Số đề án"), 12, "int"),
                Column(_("Kinh phí giao (đồng)"), 22, "money"),
                Column(_("Đã giải ngân (đồng)"), 22, "money"),
            ],
            by_category,
            True,
        ),
        (_("Theo nguồn"), money_columns(_("Nguồn kinh phí")), money_rows(facts), True),
        (
            _("Theo trạng thái"),
            [Column(_("Trạng thái"), 30), Column(_("Số đề án"), 12, "int")],
            status_rows,
            True,
        ),
        (
            _("Chỉ tiêu"),
            [Column(_("Chỉ tiêu"), 48), Column(_("Kế hoạch"), 14, "int"), Column(_("Thực hiện"), 14, "int")],
            indicator_rows,
            False,
        ),
    ]


@register
class ProvinceAnnualReport(ScopeReport):
    code = "province_annual"
    title = _lazy("Báo cáo kết quả hoạt động khuyến công của tỉnh")
    description = _lazy(
        "Đề án theo nội dung và cấp kinh phí, kinh phí theo nguồn, chỉ tiêu đạt được và danh sách đề án "
        "(Excel). Cũng được lập tự động hằng tháng và hằng quý."
    )
    icon = "file-earmark-bar-graph"
    form_class = ProvinceReportForm
    order = 10
    file_stem = "bao-cao-khuyen-cong"

    def build(self, run: Any, target: IO[bytes], progress: ProgressCallback) -> None:
        filters = self.filters(run.parameters)
        progress(5)
        facts = dashboard_facts(None, filters, single_province=bool(filters.province))
        progress(30)
        projects = self._project_rows(filters)
        total_projects = facts.project_count
        title = f"{self.title} — {self.describe(run.parameters)}"
        write_xlsx(
            target,
            [
                *overview_sheets(facts),
                (
                    _("Danh sách đề án"),
                    [
                        Column(_("Mã đề án"), 18),
                        Column(_("Tên đề án"), 60),
                        Column(_("Nội dung hoạt động"), 30),
                        Column(_("Cấp kinh phí"), 14),
                        Column(_("Năm"), 10),
                        Column(_("Trạng thái"), 18),
                        Column(_("Tổng kinh phí dự kiến (đồng)"), 22, "money"),
                        Column(_("Kinh phí giao (đồng)"), 22, "money"),
                        Column(_("Đã giải ngân (đồng)"), 22, "money"),
                    ],
                    with_progress(projects, progress, total_projects, 35, 95),
                    True,
                ),
            ],
            title=title,
        )
        progress(98)

    def province_of(self, parameters: dict[str, Any]) -> int | None:
        return parameters.get("province")

    def _project_rows(self, filters: Any) -> Iterator[list[Any]]:
        qs = scoped_projects(None, filters).order_by().values("id")
        scope_sql, scope_params = qs.query.sql_with_params()
        sql = f"""
            WITH scope AS MATERIALIZED ({scope_sql}),
            ap AS (
                SELECT a.project_id, SUM(a.amount) AS approved,
                       SUM(a.advanced - a.recovered + a.paid) AS disbursed
                FROM {Allocation._meta.db_table} a WHERE a.project_id IN (SELECT id FROM scope)
                GROUP BY a.project_id
            )
            SELECT p.code, p.title, cat.short_name, p.funding_level, p.start_year, p.end_year, p.status,
                   p.total_cost, COALESCE(ap.approved, 0), COALESCE(ap.disbursed, 0)
            FROM scope s JOIN {Project._meta.db_table} p ON p.id = s.id
            JOIN {ActivityCategory._meta.db_table} cat ON cat.id = p.category_id
            LEFT JOIN ap ON ap.project_id = p.id
            ORDER BY p.start_year, p.code
        """
        levels = dict(FundingLevel.choices)
        statuses = dict(ProjectStatus.choices)
        for code, title, category, level, start, end, status, total_cost, approved, disbursed in stream_sql(
            sql, scope_params
        ):
            yield [
                code,
                title,
                category,
                str(levels.get(level, level)),
                str(start) if start == end else f"{start}–{end}",
                str(statuses.get(status, status)),
                total_cost,
                int(approved),
                int(disbursed),
            ]


def _cat_name(facts: Facts, cat: int) -> str:
    for c in facts.categories:
        if c["id"] == cat:
            return c["name"]
    return str(cat)


__all__ = ["ProvinceAnnualReport", "money_columns", "money_rows", "province_name"]
