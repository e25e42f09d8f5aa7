"""Registering (one screen, optionally submitting at once) and editing a draft or returned project."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from beneficiaries.models import Facility
from core.errors import DomainError
from core.views import PortalPermissionMixin

from .. import services, workflow
from ..forms import (
    ProjectForm,
)
from ..models import (
    Project,
)
from .base import ProjectObjectMixin

# --- Create and edit ------------------------------------------------------------------------------


def _project_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in services.EDITABLE_FIELDS if k in data}


class ProjectCreateView(PortalPermissionMixin, View):
    permission_required = "project.change"
    template_name = "projects/project_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        # "Đăng ký đề án cho cơ sở này" on a facility's page: the facility and its commune come filled in.
        facility_id = request.GET.get("facility", "")
        if facility_id.isdigit():
            facility = Facility.objects.visible_to(self.user).filter(pk=facility_id).first()
            if facility is not None:
                initial = {
                    "facilities": [facility.pk],
                    "communes": [facility.commune_id],
                    "province": facility.province_id,
                }
        return self.render(ProjectForm(user=self.user, initial=initial))

    def render(self, form: ProjectForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "title": _("Đăng ký đề án mới")}, status=status
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProjectForm(request.POST, user=self.user)
        if not form.is_valid():
            return self.render(form, status=self.invalid_status)
        data = form.cleaned_data
        try:
            project = services.project_create(
                user=self.user,
                province=data["province"],
                extra_categories=data["extra_categories"],
                communes=data["communes"],
                facilities=data["facilities"],
                **_project_kwargs(data),
            )
        except DomainError as exc:
            return self.render(form, status=self.domain_error(form, exc))
        url = reverse("projects:project_detail", kwargs={"pk": project.pk})
        if "submit" in request.POST:
            try:
                services.project_submit(user=self.user, project=project)
            except DomainError as exc:
                messages.warning(
                    request,
                    _("Đã lưu dự thảo %(code)s nhưng chưa gửi được: %(why)s")
                    % {"code": project.code, "why": exc.message},
                )
                return HttpResponseRedirect(url)
            messages.success(
                request, _("Đã đăng ký đề án %(code)s và gửi lãnh đạo thẩm định.") % {"code": project.code}
            )
            return HttpResponseRedirect(url)
        messages.success(
            request,
            _("Đã lưu dự thảo %(code)s. Kiểm tra lại rồi bấm “Gửi đăng ký”.") % {"code": project.code},
        )
        return HttpResponseRedirect(url)


class ProjectUpdateView(ProjectObjectMixin, View):
    permission_required = "project.change"
    template_name = "projects/project_form.html"

    def initial(self, project: Project) -> dict[str, Any]:
        initial = {name: getattr(project, name) for name in services.EDITABLE_FIELDS}
        initial.update(
            province=project.province,
            extra_categories=list(project.extra_categories.all()),
            communes=list(project.communes.all()),
        )
        return initial

    def render(self, form: ProjectForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "project": self.project,
            "title": _("Sửa đề án %(code)s") % {"code": self.project.code},
        }
        return render(self.request, self.template_name, context, status=status)

    def refuse(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Đề án đang ở trạng thái “%(status)s”: chỉ sửa được khi là dự thảo hoặc bị trả lại.")
            % {"status": self.project.get_status_display()},
        )
        return HttpResponseRedirect(self.detail_url())

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.EDITABLE_STATES:
            return self.refuse()
        return self.render(ProjectForm(user=self.user, project=project, initial=self.initial(project)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.EDITABLE_STATES:
            return self.refuse()
        form = ProjectForm(request.POST, user=self.user, project=project, initial=self.initial(project))
        if not form.is_valid():
            return self.render(form, status=self.invalid_status)
        data = form.cleaned_data
        try:
            services.project_update(
                user=self.user,
                project=project,
                expected_version=int(request.POST.get("version") or project.version),
                extra_categories=data["extra_categories"],
                communes=data["communes"],
                **_project_kwargs(data),
            )
        except DomainError as exc:
            return self.render(form, status=self.domain_error(form, exc))
        messages.success(request, _("Đã lưu thay đổi."))
        return HttpResponseRedirect(self.detail_url())
