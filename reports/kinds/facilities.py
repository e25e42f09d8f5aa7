"""Supported facilities with the support each received.

State money is allocated to a project, not to each of its beneficiaries; a facility's share is the
project's approved state money divided equally among its beneficiaries (the remainder of the division
goes to the first beneficiary, so the shares add up to the project's money exactly)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.db.models import Count, F, OuterRef, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from beneficiaries.models import FacilityKind
from core.exports import Column, write_xlsx
from funding.models import Allocation
from projects.models import DECIDED_STATUSES, ProjectBeneficiary

from ..registry import ProgressCallback, register
from ..selectors import Filters, scoped_projects
from . import ScopeReport, with_progress


def beneficiary_rows(filters: Filters) -> tuple[int, Iterator[list[Any]]]:
    """(row count, rows) of facility × project for the approved projects in scope."""
    projects = scoped_projects(None, filters).filter(status__in=DECIDED_STATUSES)
    alloc = (
        Allocation.objects.filter(project=OuterRef("project_id"))
        .order_by()
        .values("project")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    qs = (
        ProjectBeneficiary.objects.filter(project__in=projects.values("pk"))
        .annotate(
            approved=Coalesce(Subquery(alloc), 0),
            n=Window(Count("id"), partition_by=[F("project_id")]),
            rn=Window(RowNumber(), partition_by=[F("project_id")], order_by=F("id").asc()),
        )
        .select_related("facility__commune", "facility__province", "project__category")
        .order_by("facility__province__name", "facility__name", "facility_id", "project__code")
    )
    total = ProjectBeneficiary.objects.filter(project__in=projects.values("pk")).count()
    kinds = dict(FacilityKind.choices)

    def rows() -> Iterator[list[Any]]:
        for b in qs.iterator(chunk_size=2000):
            f, p = b.facility, b.project
            approved = int(b.approved)
            share = approved // b.n + (approved % b.n if b.rn == 1 else 0)
            yield [
                f.name,
                f.tax_code or f.personal_id,
                str(kinds.get(f.kind, f.kind)),
                f.commune.name,
                f.province.name,
                f.workers_total,
                p.code,
                p.title,
                p.category.short_name,
                p.years_label,
                b.n,
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
        write_xlsx(
            target,
            [(_("Cơ sở được hỗ trợ"), columns, with_progress(rows, progress, total, 10, 95), True)],
            title=f"{self.title} — {self.describe(run.parameters)}",
        )
        progress(97)
