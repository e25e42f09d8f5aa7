"""The project list with its filters and Excel export, and the managers' review queue."""

from __future__ import annotations

import tempfile
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from core.exports import Column, write_xlsx
from core.views import PortalPermissionMixin

from .. import workflow
from ..forms import (
    ProjectFilter,
)
from ..models import (
    FundingLevel,
    Project,
    ProjectKind,
    ProjectStatus,
    SelectionMethod,
)

# --- Lists ----------------------------------------------------------------------------------------


class ProjectListView(PortalPermissionMixin, ListView):
    permission_required = "project.view"
    model = Project
    template_name = "projects/project_list.html"
    paginate_by = 25
    title = gettext_lazy("Danh sách đề án")

    def get_queryset(self) -> Any:
        base = super().get_queryset().for_list().order_by("-start_year", "-code")
        self.filterset = ProjectFilter(self.request.GET or None, queryset=base, user=self.user)
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            title=self.title,
            querystring=query.urlencode(),
            drill_downs=self.filterset.drill_downs(),
        )
        return context


class ProjectExportView(PortalPermissionMixin, View):
    """The filtered list as an .xlsx file (constant memory, formulas neutralised by core.exports)."""

    permission_required = "project.view"

    def get(self, request: HttpRequest) -> FileResponse:
        base = Project.objects.visible_to(self.user).order_by("-start_year", "code")
        filterset = ProjectFilter(request.GET or None, queryset=base, user=self.user)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        columns = [
            Column(_("Mã đề án"), 15),
            Column(_("Tên đề án"), 60),
            Column(_("Tỉnh/thành phố"), 18),
            Column(_("Năm bắt đầu"), 10, "int"),
            Column(_("Năm kết thúc"), 10, "int"),
            Column(_("Cấp kinh phí"), 10),
            Column(_("Nội dung"), 34),
            Column(_("Loại đề án"), 14),
            Column(_("Trọng điểm"), 10),
            Column(_("Hình thức lựa chọn"), 12),
            Column(_("Đơn vị thực hiện"), 34),
            Column(_("Số cơ sở"), 9, "int"),
            Column(_("Tổng kinh phí dự kiến (đồng)"), 20, "money"),
            Column(_("Trạng thái"), 18),
            Column(_("Số quyết định"), 16),
            Column(_("Ngày quyết định"), 12, "date"),
        ]
        levels, kinds = dict(FundingLevel.choices), dict(ProjectKind.choices)
        methods, statuses = dict(SelectionMethod.choices), dict(ProjectStatus.choices)
        values = queryset.for_list().values_list(
            "code", "title", "province__name", "start_year", "end_year", "funding_level",
            "category__short_name", "kind", "is_key", "selection_method", "implementing_unit__name",
            "implementing_unit_name", "beneficiary_count", "total_cost", "status", "decision_number",
            "decision_date",
        )  # fmt: skip
        yes = _("có")
        rows = (
            [
                *r[:5],
                str(levels[r[5]]),
                r[6],
                str(kinds[r[7]]),
                yes if r[8] else "",
                str(methods[r[9]]),
                r[10] or r[11],
                *r[12:14],
                str(statuses[r[14]]),
                *r[15:],
            ]
            for r in values.iterator(chunk_size=5000)
        )
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_xlsx(spool, [(_("Đề án"), columns, rows)], title=_("Danh sách đề án khuyến công"), totals=True)
        spool.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"de-an-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class ReviewQueueView(PortalPermissionMixin, ListView):
    """What waits for a manager: submitted and appraised projects, oldest first."""

    permission_required = "project.review"
    model = Project
    template_name = "projects/review_queue.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .for_list()
            .filter(status__in=workflow.REVIEW_STATES)
            .order_by("updated_at", "pk")
        )
