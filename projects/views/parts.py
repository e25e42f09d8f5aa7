"""Beneficiaries, planned indicators, documents (upload and scoped download), the facility picker."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from beneficiaries.models import Facility
from core.errors import DomainError
from core.parsing import is_ascii_id
from core.views import PortalPermissionMixin, raise_for_scope

from .. import services, workflow
from ..forms import (
    BeneficiaryForm,
    DocumentForm,
    IndicatorsForm,
)
from ..models import (
    Project,
    ProjectBeneficiary,
    ProjectDocument,
)
from ..permissions import may_upload_documents
from .base import ProjectObjectMixin

# --- Beneficiaries, indicators, documents ---------------------------------------------------------


class BeneficiaryAddView(ProjectObjectMixin, View):
    permission_required = "project.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        form = BeneficiaryForm(request.POST, user=self.user)
        if not form.is_valid():
            messages.error(request, _("Chọn một cơ sở trong phạm vi quản lý."))
            return HttpResponseRedirect(self.detail_url("beneficiaries"))
        try:
            services.project_add_beneficiary(
                user=self.user,
                project=project,
                facility=form.cleaned_data["facility"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            raise_for_scope(exc)
            messages.error(request, exc.message)
            return HttpResponseRedirect(self.detail_url("beneficiaries"))
        messages.success(request, _("Đã thêm cơ sở %(name)s.") % {"name": form.cleaned_data["facility"].name})
        return HttpResponseRedirect(self.detail_url("beneficiaries"))


class BeneficiaryRemoveView(ProjectObjectMixin, View):
    permission_required = "project.change"

    def post(self, request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
        project = self.get_project()
        link = get_object_or_404(
            ProjectBeneficiary.objects.select_related("facility"), pk=link_pk, project=project
        )
        try:
            services.project_remove_beneficiary(user=self.user, project=project, beneficiary=link)
        except DomainError as exc:
            raise_for_scope(exc)
            messages.error(request, exc.message)
            return HttpResponseRedirect(self.detail_url("beneficiaries"))
        messages.success(request, _("Đã bỏ cơ sở %(name)s khỏi đề án.") % {"name": link.facility.name})
        return HttpResponseRedirect(self.detail_url("beneficiaries"))


class IndicatorsView(ProjectObjectMixin, View):
    permission_required = "project.change"
    template_name = "projects/project_indicators.html"

    def render(self, form: IndicatorsForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"project": self.project, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.EDITABLE_STATES:
            messages.error(request, _("Chỉ tiêu kế hoạch chỉ sửa được khi đề án là dự thảo hoặc bị trả lại."))
            return HttpResponseRedirect(self.detail_url("indicators"))
        return self.render(IndicatorsForm(project=project))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        form = IndicatorsForm(request.POST, project=project)
        if not form.is_valid():
            return self.render(form, status=self.invalid_status)
        try:
            services.project_set_planned_indicators(
                user=self.user, project=project, planned={k: v or 0 for k, v in form.cleaned_data.items()}
            )
        except DomainError as exc:
            return self.render(form, status=self.domain_error(form, exc))
        messages.success(request, _("Đã lưu chỉ tiêu kế hoạch."))
        return HttpResponseRedirect(self.detail_url("indicators"))


class DocumentUploadView(ProjectObjectMixin, View):
    permission_required = "project.view"
    template_name = "projects/document_form.html"

    def check(self) -> Project:
        project = self.get_project()
        if not may_upload_documents(self.user):
            raise PermissionDenied
        return project

    def render(self, form: DocumentForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"project": self.project, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.check()
        return self.render(DocumentForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.check()
        form = DocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=self.invalid_status)
        try:
            services.document_upload(
                user=self.user,
                project=project,
                document_type=form.cleaned_data["document_type"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            return self.render(form, status=self.domain_error(form, exc))
        messages.success(request, _("Đã tải lên tài liệu."))
        return HttpResponseRedirect(self.detail_url("documents"))


class DocumentDownloadView(PortalPermissionMixin, View):
    """Files leave only through here, and only for a project in the user's scope (404 otherwise)."""

    permission_required = "project.view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(
            ProjectDocument.objects.filter(project__in=Project.objects.visible_to(self.user)), pk=pk
        )
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Tệp không còn trên hệ thống lưu trữ.")) from exc
        inline = document.file_kind in ("pdf", "png", "jpeg") and request.GET.get("xem") == "1"
        response = FileResponse(handle, as_attachment=not inline, filename=document.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class FacilityLookupView(PortalPermissionMixin, View):
    """``?q=…&province=…`` → up to 30 facilities in the user's scope, for the beneficiary pickers."""

    permission_required = "facility.view"

    def get(self, request: HttpRequest) -> JsonResponse:
        qs = Facility.objects.visible_to(self.user).filter(status="active").select_related("commune")
        province = request.GET.get("province", "")
        if is_ascii_id(province):
            qs = qs.filter(province_id=int(province))
        qs = qs.search(request.GET.get("q", "")).order_by("name", "id")[:30]
        results = [
            {
                "value": f.pk,
                "text": f"{f.name} — {f.commune.name}" + (f" ({f.tax_code})" if f.tax_code else ""),
            }
            for f in qs
        ]
        return JsonResponse({"results": results})
