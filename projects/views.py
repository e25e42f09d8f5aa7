"""Pages of the đề án lifecycle. Every view starts from ``Project.objects.visible_to(user)``."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from accounts.permissions import has_perm
from beneficiaries.models import Facility
from core.exports import Column, write_xlsx
from core.views import PortalPermissionMixin

from . import services, workflow
from .forms import (
    AcknowledgeForm,
    AdjustmentForm,
    BeneficiaryForm,
    DocumentForm,
    IndicatorsForm,
    ProgressReportForm,
    ProjectFilter,
    ProjectForm,
    TransitionForm,
)
from .history import project_history
from .models import (
    FundingLevel,
    Project,
    ProjectBeneficiary,
    ProjectDocument,
    ProjectKind,
    ProjectStatus,
    ProjectTransition,
    SelectionMethod,
)
from .services import ProjectError

TABS = (
    ("summary", gettext_lazy("Tổng quan"), "card-text"),
    ("beneficiaries", gettext_lazy("Cơ sở thụ hưởng"), "buildings"),
    ("indicators", gettext_lazy("Chỉ tiêu"), "bullseye"),
    ("money", gettext_lazy("Kinh phí"), "cash-coin"),
    ("documents", gettext_lazy("Tài liệu"), "paperclip"),
    ("history", gettext_lazy("Lịch sử"), "clock-history"),
)


def _apply_error(form: Any, exc: ProjectError) -> None:
    """Put a service error next to its field (or on top of the form); 403/404 become real responses."""
    if exc.status == 404:
        raise Http404(exc.message)
    if exc.status == 403:
        raise PermissionDenied(exc.message)
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)


class ProjectObjectMixin(PortalPermissionMixin):
    """Fetches ``self.project`` from the user's scope (404 outside it) before the handler runs."""

    def get_project(self) -> Project:
        if not hasattr(self, "project"):
            qs = Project.objects.visible_to(self.request.user).select_related(
                "province", "category", "managing_organisation", "implementing_unit"
            )
            self.project = get_object_or_404(qs, pk=self.kwargs["pk"])
        return self.project

    def detail_url(self, tab: str = "summary") -> str:
        url = reverse("projects:project_detail", kwargs={"pk": self.kwargs["pk"]})
        return url if tab == "summary" else f"{url}?tab={tab}"


# --- Lists ----------------------------------------------------------------------------------------


class ProjectListView(PortalPermissionMixin, ListView):
    permission_required = "project.view"
    model = Project
    template_name = "projects/project_list.html"
    paginate_by = 25
    title = gettext_lazy("Danh sách đề án")

    def get_queryset(self) -> Any:
        base = super().get_queryset().for_list().order_by("-start_year", "-code")
        self.filterset = ProjectFilter(self.request.GET or None, queryset=base, user=self.request.user)
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, title=self.title, querystring=query.urlencode())
        return context


class ProjectExportView(PortalPermissionMixin, View):
    """The filtered list as an .xlsx file (constant memory, formulas neutralised by core.exports)."""

    permission_required = "project.view"

    def get(self, request: HttpRequest) -> FileResponse:
        base = Project.objects.visible_to(request.user).order_by("-start_year", "code")
        filterset = ProjectFilter(request.GET or None, queryset=base, user=request.user)
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


# --- Create and edit ------------------------------------------------------------------------------


def _project_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "title",
        "start_year",
        "end_year",
        "funding_level",
        "category",
        "kind",
        "is_key",
        "selection_method",
        "implementing_unit",
        "implementing_unit_name",
        "objectives",
        "total_cost",
    )
    return {k: data[k] for k in keys if k in data}


class ProjectCreateView(PortalPermissionMixin, View):
    permission_required = "project.change"
    template_name = "projects/project_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(ProjectForm(user=request.user))

    def render(self, form: ProjectForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "title": _("Đăng ký đề án mới")}, status=status
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProjectForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            project = services.project_create(
                user=request.user,
                province=data["province"],
                extra_categories=data["extra_categories"],
                communes=data["communes"],
                facilities=data["facilities"],
                **_project_kwargs(data),
            )
        except ProjectError as exc:
            _apply_error(form, exc)
            return self.render(form, status=400)
        url = reverse("projects:project_detail", kwargs={"pk": project.pk})
        if "submit" in request.POST:
            try:
                services.project_submit(user=request.user, project=project)
            except ProjectError as exc:
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
        return self.render(ProjectForm(user=request.user, project=project, initial=self.initial(project)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.EDITABLE_STATES:
            return self.refuse()
        form = ProjectForm(request.POST, user=request.user, project=project, initial=self.initial(project))
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            services.project_update(
                user=request.user,
                project=project,
                expected_version=int(request.POST.get("version") or project.version),
                extra_categories=data["extra_categories"],
                communes=data["communes"],
                **_project_kwargs(data),
            )
        except ProjectError as exc:
            _apply_error(form, exc)
            return self.render(form, status=exc.status if exc.status == 409 else 400)
        messages.success(request, _("Đã lưu thay đổi."))
        return HttpResponseRedirect(self.detail_url())


# --- Detail ---------------------------------------------------------------------------------------


class ProjectDetailView(ProjectObjectMixin, View):
    permission_required = "project.view"
    template_name = "projects/project_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        tab = request.GET.get("tab", "summary")
        if tab not in {t[0] for t in TABS}:
            tab = "summary"
        user = request.user
        context: dict[str, Any] = {
            "project": project,
            "tab": tab,
            "tabs": TABS,
            "transitions": workflow.available_transitions(project.status, user),
            "can_edit": has_perm(user, "project.change") and project.status in workflow.EDITABLE_STATES,
            "can_adjust": has_perm(user, "project.review") and project.status in workflow.ADJUSTABLE_STATES,
            "can_review": has_perm(user, "project.review"),
            "conflicts": services.double_funding_conflicts(project),
            "steps": _step_bar(project.status),
        }
        if tab == "summary":
            context.update(
                communes=list(project.communes.all()),
                extra_categories=list(project.extra_categories.all()),
                log=list(
                    ProjectTransition.objects.filter(project=project)
                    .select_related("actor", "document")
                    .order_by("-at", "-id")[:30]
                ),
                versions=list(project.versions.select_related("created_by", "document").order_by("-number")),
                progress=list(project.progress_reports.select_related("reported_by")[:24]),
                can_report=has_perm(user, "project.change") and project.status in workflow.REPORTING_STATES,
                ack_form=AcknowledgeForm(),
            )
        elif tab == "beneficiaries":
            context.update(
                beneficiaries=list(
                    ProjectBeneficiary.objects.filter(project=project).select_related(
                        "facility", "facility__commune"
                    )
                ),
                can_change_beneficiaries=has_perm(user, "project.change")
                and services.may_change_beneficiaries(project),
                beneficiary_form=BeneficiaryForm(user=user),
            )
        elif tab == "indicators":
            context["indicators"] = list(project.indicators.all().order_by("kind"))
        elif tab == "documents":
            context.update(
                documents=list(project.documents.select_related("uploaded_by")),
                document_form=DocumentForm(),
                can_upload=has_perm(user, "project.change") or has_perm(user, "project.review"),
            )
        elif tab == "history":
            context["history"] = project_history(project)
        return render(request, self.template_name, context)


def _step_bar(status: str) -> list[dict[str, Any]]:
    order = [ProjectStatus.DRAFT, *[workflow.TRANSITIONS[a].target for a in workflow.HAPPY_PATH]]
    position = order.index(status) if status in order else None
    if status == ProjectStatus.RETURNED:
        position = 0
    bar = []
    for i, state in enumerate(order):
        bar.append(
            {
                "label": ProjectStatus(state).label,
                "done": position is not None and i < position,
                "current": i == position,
            }
        )
    return bar


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
        if not has_perm(self.request.user, transition.permission):
            raise PermissionDenied(_("Vai trò của bạn không được thực hiện bước này."))
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
            return self.render(transition, form, status=400)
        data = form.cleaned_data
        try:
            services.project_transition(
                user=request.user,
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
        except ProjectError as exc:
            _apply_error(form, exc)
            return self.render(transition, form, status=exc.status if exc.status == 409 else 400)
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
                user=request.user, project=project, note=form.cleaned_data["note"]
            )
        except ProjectError as exc:
            if exc.status in (403, 404):
                _apply_error(form, exc)
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
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            version = services.project_adjust(
                user=request.user,
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
        except ProjectError as exc:
            _apply_error(form, exc)
            return self.render(form, status=exc.status if exc.status == 409 else 400)
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
        return self.render(ProgressReportForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        if project.status not in workflow.REPORTING_STATES:
            return self.render(None, status=409)
        form = ProgressReportForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.progress_report_file(user=request.user, project=project, **form.cleaned_data)
        except ProjectError as exc:
            _apply_error(form, exc)
            return self.render(form, status=400)
        messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
        return HttpResponseRedirect(self.detail_url())


# --- Beneficiaries, indicators, documents ---------------------------------------------------------


class BeneficiaryAddView(ProjectObjectMixin, View):
    permission_required = "project.change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        form = BeneficiaryForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Chọn một cơ sở trong phạm vi quản lý."))
            return HttpResponseRedirect(self.detail_url("beneficiaries"))
        try:
            services.project_add_beneficiary(
                user=request.user,
                project=project,
                facility=form.cleaned_data["facility"],
                note=form.cleaned_data["note"],
            )
        except ProjectError as exc:
            if exc.status in (403, 404):
                _apply_error(form, exc)
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
            services.project_remove_beneficiary(user=request.user, project=project, beneficiary=link)
        except ProjectError as exc:
            if exc.status in (403, 404):
                _apply_error(None, exc)
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
            return self.render(form, status=400)
        try:
            services.project_set_planned_indicators(
                user=request.user, project=project, planned={k: v or 0 for k, v in form.cleaned_data.items()}
            )
        except ProjectError as exc:
            _apply_error(form, exc)
            return self.render(form, status=exc.status if exc.status == 409 else 400)
        messages.success(request, _("Đã lưu chỉ tiêu kế hoạch."))
        return HttpResponseRedirect(self.detail_url("indicators"))


class DocumentUploadView(ProjectObjectMixin, View):
    permission_required = "project.view"
    template_name = "projects/document_form.html"

    def check(self) -> Project:
        project = self.get_project()
        user = self.request.user
        if not (has_perm(user, "project.change") or has_perm(user, "project.review")):
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
            return self.render(form, status=400)
        try:
            services.document_upload(
                user=request.user,
                project=project,
                document_type=form.cleaned_data["document_type"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ProjectError as exc:
            _apply_error(form, exc)
            return self.render(form, status=400)
        messages.success(request, _("Đã tải lên tài liệu."))
        return HttpResponseRedirect(self.detail_url("documents"))


class DocumentDownloadView(PortalPermissionMixin, View):
    """Files leave only through here, and only for a project in the user's scope (404 otherwise)."""

    permission_required = "project.view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = get_object_or_404(
            ProjectDocument.objects.filter(project__in=Project.objects.visible_to(request.user)), pk=pk
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
        qs = Facility.objects.visible_to(request.user).filter(status="active").select_related("commune")
        province = request.GET.get("province", "")
        if province.isdigit():
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
