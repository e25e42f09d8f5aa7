"""The province's annual plan (kế hoạch kinh phí năm) and its .xlsx."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.db import ReplicaReadMixin
from core.exports import Column, write_xlsx
from core.scoping import fixed_province_id, sees_many_provinces
from core.views import PortalPermissionMixin
from regions.models import Province

from .. import selectors


class _PlanScopeMixin(PortalPermissionMixin):
    def plan_scope(self) -> tuple[Province | None, int, list[Province]]:
        """(province, year, provinces to choose from): national users choose, others see their own."""
        user = self.user
        try:
            year = int(self.request.GET.get("year") or selectors.default_year())
        except ValueError:
            year = selectors.default_year()
        year = min(max(year, 2000), 2100)
        visible = list(Province.objects.visible_to(user).order_by("name"))
        code = self.request.GET.get("province")
        if code:
            province = next((p for p in visible if str(p.pk) == code), None)
            if province is None:
                raise Http404
        else:
            fixed = fixed_province_id(user)
            province = next((p for p in visible if p.pk == fixed), None)
        return province, year, visible if sees_many_provinces(user) else []


class AnnualPlanView(_PlanScopeMixin, TemplateView):
    """The province's yearly plan: envelope vs allocated vs advanced vs paid vs settled."""

    permission_required = "funding.view"
    template_name = "funding/annual_plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        province, year, provinces = self.plan_scope()
        context.update(province=province, year=year, provinces=provinces, years=range(year - 3, year + 2))
        if province is not None:
            context["plan"] = selectors.annual_plan(province.pk, year)
            context["deadline"] = selectors.unsettled_projects(
                province.pk, year
            ) or selectors.unsettled_projects(province.pk, year - 1)
        return context


PLAN_COLUMNS = [
    Column(gettext_lazy("Dự toán giao"), 20, "money"),
    Column(gettext_lazy("Đã phân bổ"), 20, "money"),
    Column(gettext_lazy("Đã tạm ứng"), 20, "money"),
    Column(gettext_lazy("Đã thu hồi tạm ứng"), 20, "money"),
    Column(gettext_lazy("Đã thanh toán"), 20, "money"),
    Column(gettext_lazy("Đã giải ngân"), 20, "money"),
    Column(gettext_lazy("Đã quyết toán"), 20, "money"),
    Column(gettext_lazy("Hoàn trả"), 18, "money"),
    Column(gettext_lazy("Số đề án"), 10, "int"),
]


def _plan_values(row: selectors.PlanRow) -> list[Any]:
    return [
        row.envelope,
        row.allocated,
        row.advanced,
        row.recovered,
        row.paid,
        row.disbursed,
        row.settled,
        row.returned,
        row.projects,
    ]


class AnnualPlanExportView(ReplicaReadMixin, _PlanScopeMixin, View):
    """The annual plan as .xlsx: one sheet by source, one by activity category."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        province, year, _provinces = self.plan_scope()
        if province is None:
            raise Http404
        plan = selectors.annual_plan(province.pk, year)
        buffer = io.BytesIO()
        by_source = [Column(_("Nguồn"), 34), *[Column(str(c.header), c.width, c.kind) for c in PLAN_COLUMNS]]
        by_category = [Column(_("Nội dung hoạt động"), 44), *by_source[1:]]
        write_xlsx(
            buffer,
            [
                (_("Theo nguồn"), by_source, [[row.label, *_plan_values(row)] for row in plan.by_source]),
                (
                    _("Theo nội dung"),
                    by_category,
                    [[row.label, None, *_plan_values(row)[1:]] for row in plan.by_category],
                ),
            ],
            title=_("Kế hoạch kinh phí khuyến công năm %(year)s — %(province)s")
            % {"year": year, "province": province.name},
            totals=True,
        )
        buffer.seek(0)
        return FileResponse(
            buffer,
            as_attachment=True,
            filename=f"ke-hoach-kinh-phi-{province.pk}-{year}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
