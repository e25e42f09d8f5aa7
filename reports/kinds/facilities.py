"""Supported facilities with the support each received.

State money is allocated to a project, not to each of its beneficiaries; a facility's share is the
project's approved state money divided equally among its beneficiaries by the largest-remainder
method (core.money.apportion): 140.000.000 ₫ over three facilities is 46.666.667 + 46.666.667 +
46.666.666, so the shares add up to the project's money to the đồng."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from beneficiaries.models import Facility, FacilityKind
from core.exports import Column, write_xlsx
from core.money import apportion
from funding.models import Allocation
from projects.models import ActivityCategory, Project, ProjectBeneficiary
from regions.models import Commune, Province

from ..registry import ProgressCallback, register
from ..selectors import Filters, supported_beneficiaries, supported_projects
from . import ScopeReport, stream_sql, with_progress


def beneficiary_rows(filters: Filters) -> tuple[int, Iterator[list[Any]]]:
    """(row count, rows) of facility × project for the approved projects in scope.

    Plain SQL through a server-side cursor: at national scale (~200,000 rows) building ORM objects
    took most of a minute."""
    projects = supported_projects(None, filters).order_by().values("id")
    scope_sql, scope_params = projects.query.sql_with_params()
    total = supported_beneficiaries(None, filters).count()
    sql = f"""
        WITH scope AS MATERIALIZED ({scope_sql}),
        ap AS (
            SELECT a.project_id, SUM(a.amount) AS approved FROM {Allocation._meta.db_table} a
            WHERE a.project_id IN (SELECT id FROM scope) GROUP BY a.project_id
        ),
        b AS (
            SELECT b.id, b.project_id, b.facility_id,
                   COUNT(*) OVER (PARTITION BY b.project_id) AS n,
                   ROW_NUMBER() OVER (PARTITION BY b.project_id ORDER BY b.id) AS rn
            FROM {ProjectBeneficiary._meta.db_table} b WHERE b.project_id IN (SELECT id FROM scope)
        )
        SELECT f.name, f.tax_code, f.personal_id, f.kind, co.name, pr.name, f.workers_total,
               p.code, p.title, cat.short_name, p.start_year, p.end_year, b.n, b.rn, COALESCE(ap.approved, 0)
        FROM b
        JOIN {Facility._meta.db_table} f ON f.id = b.facility_id
        JOIN {Commune._meta.db_table} co ON co.code = f.commune_id
        JOIN {Province._meta.db_table} pr ON pr.code = f.province_id
        JOIN {Project._meta.db_table} p ON p.id = b.project_id
        JOIN {ActivityCategory._meta.db_table} cat ON cat.id = p.category_id
        LEFT JOIN ap ON ap.project_id = b.project_id
        ORDER BY pr.name, f.name, f.id, p.code
    """
    kinds = dict(FacilityKind.choices)

    def rows() -> Iterator[list[Any]]:
        for (
            name,
            tax_code,
            personal_id,
            kind,
            commune,
            province,
            workers,
            code,
            title,
            category,
            start_year,
            end_year,
            n,
            rn,
            approved,
        ) in stream_sql(sql, scope_params):
            # beneficiaries of a project in id order (rn), equal weights
            share = apportion(int(approved), [1] * n)[rn - 1]
            yield [
                name,
                tax_code or personal_id,
                str(kinds.get(kind, kind)),
                commune,
                province,
                workers,
                code,
                title,
                category,
                str(start_year) if start_year == end_year else f"{start_year}–{end_year}",
                n,
                share,
            ]

    return total, rows()


@register
class SupportedFacilitiesReport(ScopeReport):
    code = "supported_facilities"
    title = _lazy("Danh sách cơ sở được hỗ trợ")
    description = _lazy(
        "Mỗi cơ sở công nghiệp nông thôn thụ hưởng đề án đã phê duyệt, với đề án và phần kinh phí hỗ trợ "
        "(chia đều kinh phí giao của đề án cho các cơ sở thụ hưởng) (Excel)."
    )
    icon = "buildings"
    order = 30
    file_stem = "co-so-duoc-ho-tro"

    def build(self, run: Any, target: IO[bytes], progress: ProgressCallback) -> None:
        filters = self.filters(run.parameters)
        progress(5)
        total, rows = beneficiary_rows(filters)
        columns = [
            Column(_("Tên cơ sở"), 40),
            Column(_("Mã số thuế / số định danh"), 18),
            Column(_("Loại hình"), 22),
            Column(_("Xã/phường/đặc khu"), 24),
            Column(_("Tỉnh/thành phố"), 20),
            Column(_("Số lao động"), 12),
            Column(_("Mã đề án"), 18),
            Column(_("Tên đề án"), 50),
            Column(_("Nội dung hoạt động"), 30),
            Column(_("Năm"), 10),
            Column(_("Số cơ sở cùng đề án"), 12),
            Column(_("Kinh phí hỗ trợ (đồng)"), 22, "money"),
        ]
        # The count, by the one definition the dashboard and the annual report use (selectors).
        facilities = supported_beneficiaries(None, filters).values("facility_id").distinct().count()
        summary = [
            [_("Số cơ sở được hỗ trợ"), facilities],
            [_("Số lượt hỗ trợ (cơ sở × đề án, số dòng của bảng)"), total],
        ]
        write_xlsx(
            target,
            [
                (_("Cơ sở được hỗ trợ"), columns, with_progress(rows, progress, total, 10, 95), True),
                (
                    _("Tổng hợp"),
                    [Column(_("Chỉ tiêu"), 52), Column(_("Số lượng"), 14, "int")],
                    summary,
                    False,
                ),
            ],
            title=f"{self.title} — {self.describe(run.parameters)}",
        )
        progress(97)
