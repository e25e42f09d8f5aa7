"""Workflow steps, the double-funding acknowledgement, adjustments and monthly progress reports."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from core.errors import DomainError
from core.views import raise_for_scope

from .. import services, workflow
from ..forms import (
    AcknowledgeForm,
    AdjustmentForm,
    ProgressReportForm,
    TransitionForm,
)
from .base import ProjectObjectMixin

# --- Workflow steps -------------------------------------------------------------------------------


class TransitionView(ProjectObjectMixin, View):
    """One form per workflow step; the step's permission is checked before anything is shown."""

    permission_required = "project.view"
    template_name = "projects/project_transition.html"

    def setup_step(self) -> workflow.Transition:
        transition = workflow.TRANSITIONS.get(self.kwargs["action"])
        if transition is None:
            raise Http404
        self.get_project()
        self.require(transition.permission, _("Vai trò của bạn không được thực hiện bước này."))
        return transition

    def render(
        self, transition: workflow.Transition, form: TransitionForm | None, status: int = 200
    ) -> HttpResponse:
        project = self.project
        context = {
            "project": project,
            "transition": transition,
            "form": form,
            "allowed": project.status in transition.sources,
            "missing": services.missing_documents(project, transition, with_upload=False),
            "checklist": services.document_checklist(project, transition),
            "conflicts": services.double_funding_conflicts(project) if transition.name == "approve" else [],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        transition = self.setup_step()
        if self.project.status not in transition.sources:
            return self.render(transition, None, status=409)
        return self.render(transition, TransitionForm(transition=transition, project=self.project))

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        transition = self.setup_step()
        project = self.project
        if project.status not in transition.sources:
            return self.render(transition, None, status=409)
        form = TransitionForm(request.POST, request.FILES, transition=transition, project=project)
        if not form.is_valid():
            return self.render(transition, form, status=self.invalid_status)
        data = form.cleaned_data
        try:
            services.project_transition(
                user=self.user,
                project=project,
                action=transition.name,
                expected_version=data["version"],
                comment=data.get("comment") or "",
                decision_number=data.get("decision_number") or "",
                decision_date=data.get("decision_date"),
                decision_signer=data.get("decision_signer") or "",
                upload=data.get("file"),
                appraisal_score=data.get("appraisal_score"),
                appraisal_recommendation=data.get("appraisal_recommendation") or "",
                actual_indicators=form.actual_indicators()
                if workflow.ACTUAL_INDICATORS in transition.fields
                else None,
            )
        except DomainError as exc:
            return self.render(transition, form, status=self.domain_error(form, exc))
        project.refresh_from_db()
        messages.success(
            request,
            _("Đã thực hiện “%(step)s”. Đề án %(code)s chuyển sang “%(status)s”.")
            % {"step": transition.label, "code": project.code, "status": project.get_status_display()},
        )
        return HttpResponseRedirect(self.detail_url())


class AcknowledgeDoubleFundingView(ProjectObjectMixin, View):
    permission_required = "project.review"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        form = AcknowledgeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Ghi rõ lý do chấp nhận trước khi xác nhận."))
            return HttpResponseRedirect(self.detail_url())
        try:
            services.project_acknowledge_double_funding(
                user=self.user, project=project, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            raise_for_scope(exc)
            messages.error(request, exc.message)
            return HttpResponseRedirect(self.detail_url())
        messages.success(request, _("Đã xác nhận cảnh báo trùng hỗ trợ."))
        return HttpResponseRedirect(self.detail_url())


class AdjustView(ProjectObjectMixin, View):
    permission_required = "project.review"
    template_name = "projects/project_adjust.html"

    def render(self, form: AdjustmentForm | None, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"project": self.project, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.ADJUSTABLE_STATES:
            return self.render(None, status=409)
        return self.render(AdjustmentForm(project=project))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.ADJUSTABLE_STATES:
            return self.render(None, status=409)
        form = AdjustmentForm(request.POST, request.FILES, project=project)
        if not form.is_valid():
            return self.render(form, status=self.invalid_status)
        data = form.cleaned_data
        try:
            version = services.project_adjust(
                user=self.user,
                project=project,
                expected_version=data["version"],
                kinds=data["kinds"],
                reason=data["reason"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                upload=data.get("file"),
                communes=data["communes"],
                facilities=data["facilities"],
                title=data["title"],
                end_year=data["end_year"],
                total_cost=data["total_cost"],
                implementing_unit_name=data["implementing_unit_name"],
                objectives=data["objectives"],
            )
        except DomainError as exc:
            return self.render(form, status=self.domain_error(form, exc))
        messages.success(request, _("Đã ghi nhận %(label)s.") % {"label": version.label.lower()})
        return HttpResponseRedirect(self.detail_url())


class ProgressReportView(ProjectObjectMixin, View):
    permission_required = "project.change"
    template_name = "projects/progress_report_form.html"

    def render(self, form: ProgressReportForm | None, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"project": self.project, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.REPORTING_STATES:
            return self.render(None, status=409)
        return self.render(ProgressReportForm(project=project))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.REPORTING_STATES:
            return self.render(None, status=409)
        form = ProgressReportForm(request.POST, project=project)
        if not form.is_valid():
            return self.render(form, status=self.invalid_status)
        try:
            services.progress_report_file(user=self.user, project=project, **form.service_kwargs())
        except DomainError as exc:
            # An indicator's message goes next to its field (indicator_<kind>).
            for kind in [k for k in exc.errors if f"{form.INDICATOR_PREFIX}{k}" in form.fields]:
                exc.errors[f"{form.INDICATOR_PREFIX}{kind}"] = exc.errors.pop(kind)
            return self.render(form, status=self.domain_error(form, exc))
        messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
        return HttpResponseRedirect(self.detail_url())
