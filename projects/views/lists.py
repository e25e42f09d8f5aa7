"""The project list with its filters and Excel export, and the managers' review queue."""

from __future__ import annotations

import tempfile
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from accounts.permissions import has_perm
from core.db import ReplicaReadMixin
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
        context.update(describe_list(self.filterset, self.request.user))
        return context


#: Parameters the dashboard's figures link with (reports/dashboard.py); "reached" is the lifecycle
#: stage a figure counts (issue 11), when the filter offers it.
DRILL_PARAMS = (
    "year",
    "year_from",
    "year_to",
    "province",
    "funding_level",
    "category",
    "kind",
    "status",
    *ProjectFilter.DRILL_DOWNS,
)
DASHBOARD_PARAMS = ("year_from", "year_to", "province", "funding_level", "category", "kind")


def _choice_label(form: Any, name: str) -> str:
    field = form.fields.get(name)
    value = form.cleaned_data.get(name)
    if field is None or value in (None, ""):
        return ""
    if hasattr(value, "pk"):
        return str(value)
    return str(dict(getattr(field, "choices", ())).get(value, value))


def describe_list(filterset: Any, user: Any) -> dict[str, Any]:
    """What a filtered list shows, in words ("Đề án đã phê duyệt, Phú Thọ, 2022–2026"), and the
    dashboard with the same filters, for lists opened from a dashboard figure."""
    if not (filterset.is_bound and filterset.is_valid()):
        return {}
    data = filterset.form.cleaned_data
    if not any(data.get(k) not in (None, "") for k in DRILL_PARAMS if k in data):
        return {}
    form = filterset.form
    stage = _choice_label(form, "reached") or _choice_label(form, "status")
    if not stage and data.get("decided"):
        stage = _("đã được phê duyệt")
    parts = [_("Đề án %(stage)s") % {"stage": stage[:1].lower() + stage[1:]} if stage else _("Đề án")]
    if data.get("funded"):
        parts.append(_("có kinh phí nhà nước giao"))
    for name in ("funding_level", "kind", "main_category", "category", "province"):
        if label := _choice_label(form, name):
            parts.append(label)
    own = getattr(user, "province", None) if not getattr(user, "is_national", False) else None
    if data.get("province") in (None, "") and own is not None:
        parts.append(str(own))
    year, y1, y2 = data.get("year"), data.get("year_from"), data.get("year_to")
    if year:
        parts.append(_("năm %(y)s") % {"y": int(year)})
    elif y1 and y2:
        parts.append(f"{int(y1)}–{int(y2)}" if y1 != y2 else _("năm %(y)s") % {"y": int(y1)})
    elif y1:
        parts.append(_("từ năm %(y)s") % {"y": int(y1)})
    elif y2:
        parts.append(_("đến năm %(y)s") % {"y": int(y2)})
    if money_year := data.get("money_year"):
        parts.append(_("kinh phí năm %(y)s") % {"y": int(money_year)})
    back = {}
    for name in DASHBOARD_PARAMS:
        value = data.get(name)
        if value not in (None, ""):
            back[name] = getattr(value, "pk", value)
    if year:
        back["year_from"] = back["year_to"] = int(year)
    back = {k: int(v) if isinstance(v, float) else v for k, v in back.items()}
    try:
        dashboard = reverse("reports:dashboard")
    except NoReverseMatch:  # pragma: no cover
        dashboard = ""
    if dashboard and back:
        dashboard = f"{dashboard}?{urlencode(back)}"
    can_dashboard = has_perm(user, "dashboard.view")
    return {"list_description": ", ".join(parts), "dashboard_url": dashboard if can_dashboard else ""}


class ProjectExportView(ReplicaReadMixin, PortalPermissionMixin, View):
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
