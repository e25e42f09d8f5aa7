"""The project's money tab on its own page (or as an htmx fragment) and as .xlsx."""

from __future__ import annotations

import io

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from core.db import ReplicaReadMixin
from core.exports import Column, write_xlsx
from core.views import PortalPermissionMixin

from .. import selectors
from .base import _project


class ProjectMoneyView(PortalPermissionMixin, View):
    """The money tab on its own page (or as an htmx fragment)."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest, project_pk: int) -> HttpResponse:
        project = _project(request, project_pk)
        htmx = getattr(request, "htmx", None)  # set by django-htmx's middleware
        template = "funding/partials/project_money_tab.html" if htmx else "funding/project_money.html"
        money = selectors.project_money(project, self.user)
        return render(request, template, {"project": project, "money": money})


class ProjectMoneyExportView(ReplicaReadMixin, PortalPermissionMixin, View):
    """The money tab as .xlsx: plan by source and year, allocations, ledger (fixed number of queries)."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest, project_pk: int) -> HttpResponseBase:
        project = _project(request, project_pk)
        money = selectors.project_money(project, self.user)
        plan_columns = [
            Column(_("Năm"), 8, "int"),
            *[Column(str(label), 18, "money") for _code, label in money.plan.sources],
            Column(_("Cộng"), 20, "money"),
        ]
        plan_rows = [[year, *amounts, total] for year, amounts, total in money.plan.rows]
        allocation_columns = [
            Column(_("Nguồn"), 30),
            Column(_("Năm"), 8, "int"),
            Column(_("Quyết định"), 22),
            Column(_("Ngày quyết định"), 14, "date"),
            Column(_("Kinh phí giao"), 18, "money"),
            Column(_("Đã tạm ứng"), 18, "money"),
            Column(_("Đã thu hồi tạm ứng"), 18, "money"),
            Column(_("Đã thanh toán"), 18, "money"),
            Column(_("Còn lại"), 18, "money"),
        ]
        allocation_rows = [
            [
                a.get_source_display(),
                a.year,
                a.decision_number,
                a.decision_date,
                a.amount,
                a.advanced,
                a.recovered,
                a.paid,
                a.remaining,
            ]
            for a in money.allocations
        ]
        ledger_columns = [
            Column(_("Ngày chứng từ"), 14, "date"),
            Column(_("Số chứng từ"), 18),
            Column(_("Loại"), 18),
            Column(_("Nguồn"), 12),
            Column(_("Năm"), 8, "int"),
            Column(_("Số tiền"), 18, "money"),
            Column(_("Ghi chú"), 40),
            Column(_("Người ghi"), 24),
        ]
        ledger_rows = [
            [
                e.voucher_date,
                e.voucher_number,
                e.get_kind_display() + (f" ({_('đảo')})" if e.reverses_id else ""),
                a.source.upper(),
                a.year,
                e.amount,
                e.note,
                str(e.recorded_by),
            ]
            for a in money.allocations
            for e in a.entries.all()
        ]
        buffer = io.BytesIO()
        write_xlsx(
            buffer,
            [
                (_("Kế hoạch theo nguồn"), plan_columns, plan_rows),
                (_("Kinh phí giao"), allocation_columns, allocation_rows),
                (_("Bút toán"), ledger_columns, ledger_rows),
            ],
            title=f"{project.code} – {project.title}",
        )
        buffer.seek(0)
        return FileResponse(
            buffer,
            as_attachment=True,
            filename=f"kinh-phi-{project.code}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
