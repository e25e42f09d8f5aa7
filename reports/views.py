"""Dashboard, report catalogue, request → progress → download."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from core.db import ReplicaReadMixin
from core.errors import DomainError
from core.views import PortalPermissionMixin
from projects.models import ActivityCategory

from .dashboard import dashboard_context
from .forms import DashboardFilterForm
from .models import ReportRun
from .registry import all_reports, get_report
from .services import report_run_request, report_run_resend


class DashboardView(ReplicaReadMixin, PortalPermissionMixin, TemplateView):
    permission_required = "dashboard.view"
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.user
        categories = list(ActivityCategory.objects.order_by("position", "code"))
        data = self.request.GET if self.request.GET else None
        form = DashboardFilterForm(data=data, user=user, categories=categories)
        if data is None:
            form = DashboardFilterForm(data=_initial_data(form), user=user, categories=categories)
        if form.is_valid():
            filters = form.filters()
            context.update(dashboard_context(user, filters))
        context["form"] = form
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # A filter the user may not use (another province, a bad year) is a 400 with the message.
        if not context["form"].is_valid():
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


class DashboardExportView(DashboardView):
    """The dashboard's tables as .xlsx (the same figures, the same filters)."""

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if "facts" not in context:
            return super().render_to_response(context, **kwargs)  # the form's message, 400
        import io

        from core.exports import write_xlsx

        from .dashboard import summary_line
        from .kinds.annual import overview_sheets
        from .kinds.funding_sources import year_area_sheets

        facts = context["facts"]
        buffer = io.BytesIO()
        write_xlsx(buffer, [*overview_sheets(facts), *year_area_sheets(facts)], title=summary_line(facts))
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"bang-dieu-khien-{facts.filters.period_label.replace('–', '-')}.xlsx"
        )
        return response


def _initial_data(form: DashboardFilterForm) -> dict[str, Any]:
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    return {k: v for k, v in data.items() if v != ""}


class CatalogueView(PortalPermissionMixin, TemplateView):
    permission_required = "report.view"
    template_name = "reports/report_catalogue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        runs = (
            ReportRun.objects.visible_to(self.user)
            .select_related("requested_by", "province")
            .order_by("-created_at", "-pk")[:25]
        )
        context["reports"] = all_reports()
        context["runs"] = runs
        return context


class RunCreateView(PortalPermissionMixin, View):
    """The parameters form of one report kind; POST creates the run (once per form: request_key)."""

    permission_required = "report.request"
    template_name = "reports/reportrun_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.report = get_report(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def _report(self) -> Any:
        if self.report is None:
            raise Http404(_("Không có loại báo cáo này."))
        return self.report

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        report = self._report()
        initial = {k: v for k, v in request.GET.items() if k in ("project_code", "year_from", "year_to")}
        form = report.get_form(self.user, initial=initial or None)
        return self._render(form, uuid.uuid4().hex)

    def post(self, request: HttpRequest, kind: str) -> HttpResponse:
        report = self._report()
        form = report.get_form(self.user, data=request.POST)
        request_key = request.POST.get("request_key", "")
        if not _valid_key(request_key):
            request_key = uuid.uuid4().hex
        if not form.is_valid():
            return self._render(form, request_key, status=self.invalid_status)
        parameters = report.parameters_from(form.cleaned_data)
        try:
            run, _created = report_run_request(
                user=self.user,
                report=report,
                parameters=parameters,
                idempotency_key=f"user:{self.user.pk}:{request_key}",
            )
        except DomainError as exc:
            return self._render(form, request_key, status=self.domain_error(form, exc))
        if run.requested_by_id != self.user.pk:  # a forged key naming someone else's run
            raise PermissionDenied
        return redirect("reports:run_detail", pk=run.pk)

    def _render(self, form: Any, request_key: str, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "report": self.report, "request_key": request_key},
            status=status,
        )


def _valid_key(key: str) -> bool:
    return len(key) == 32 and all(c in "0123456789abcdef" for c in key)


class RunDetailView(PortalPermissionMixin, DetailView):
    permission_required = "report.view"
    model = ReportRun
    template_name = "reports/reportrun_detail.html"
    context_object_name = "run"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("requested_by", "province")


class RunProgressView(RunDetailView):
    """The htmx fragment polled while the run is queued or running. While the broker refuses the
    run, each poll (at most every few seconds) tries to send it again: it leaves by itself as soon
    as the broker is back."""

    template_name = "reports/partials/run_progress.html"

    def get_object(self, queryset: Any = None) -> ReportRun:
        run = super().get_object(queryset)
        report_run_resend(run)
        return run


class RunDownloadView(PortalPermissionMixin, View):
    """The file, only for users whose scope covers the run's data (another province: 404)."""

    permission_required = "report.view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        run = get_object_or_404(ReportRun.objects.visible_to(self.user), pk=pk)
        if not run.file:
            raise Http404(_("Báo cáo chưa có tệp hoặc tệp đã được xoá."))
        report = run.report
        try:
            handle = run.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Tệp báo cáo không còn trên máy chủ.")) from exc
        response = FileResponse(
            handle, content_type=report.content_type if report else "application/octet-stream"
        )
        response["Content-Disposition"] = content_disposition_header(True, run.file_name or "bao-cao")
        response["X-Content-Type-Options"] = "nosniff"
        return response


def catalogue_url() -> str:
    return reverse("reports:catalogue")
