"""Projects (đề án) with beneficiaries, communes, indicators, state and decisions; activity categories;
monthly progress reports, which another system may file (projects.services.progress_report_file)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import DomainError
from projects.models import (
    ActivityCategory,
    IndicatorKind,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectVersion,
)
from projects.services import progress_report_file

from .. import filters
from ..serializers.projects import (
    CategorySerializer,
    ProgressReportSerializer,
    ProgressReportWriteSerializer,
    ProjectSerializer,
)
from .base import ApiDetailView, ApiListView, ApiView

TAGS = ["Đề án"]


class _Projects(ApiView):
    resource = "projects"
    read_permission = "project.view"
    write_permission = "project.change"

    def get_queryset(self) -> Any:
        return (
            Project.objects.visible_to(self.user)
            .select_related("province", "category", "managing_organisation", "implementing_unit")
            .prefetch_related(
                "extra_categories",
                "communes",
                "indicators",
                Prefetch("beneficiaries", queryset=ProjectBeneficiary.objects.select_related("facility")),
                Prefetch("versions", queryset=ProjectVersion.objects.defer("snapshot").order_by("number")),
            )
        )


@extend_schema(tags=TAGS, summary="Danh sách đề án trong phạm vi (lọc như trang danh sách đề án)")
class ProjectList(_Projects, ApiListView):
    serializer_class = ProjectSerializer
    filterset_class = filters.ProjectFilters
    export_name = "de-an"


@extend_schema(tags=TAGS, summary="Một đề án")
class ProjectDetail(_Projects, ApiDetailView):
    serializer_class = ProjectSerializer


@extend_schema(tags=TAGS, summary="Nội dung hoạt động khuyến công (danh mục)")
class CategoryList(ApiListView):
    resource = "projects"
    read_permission = "project.view"
    serializer_class = CategorySerializer
    queryset = ActivityCategory.objects.all()
    export_name = "noi-dung-khuyen-cong"


class ProgressReportList(ApiListView):
    """A project's monthly progress reports; POST files this month's (with indicators achieved)."""

    resource = "projects"
    read_permission = "project.view"
    write_permission = "project.change"
    export_name = "bao-cao-tien-do"

    def get_project(self) -> Project:
        return get_object_or_404(Project.objects.visible_to(self.user), pk=self.kwargs["pk"])

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a request's project
            return ProgressReport.objects.none()
        return ProgressReport.objects.filter(project=self.get_project()).prefetch_related("indicators")

    def get_serializer_class(self) -> Any:
        return ProgressReportWriteSerializer if self.request.method == "POST" else ProgressReportSerializer

    @extend_schema(tags=TAGS, summary="Báo cáo tiến độ hằng tháng của một đề án")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Gửi báo cáo tiến độ tháng (kèm chỉ tiêu đã đạt)",
        request=ProgressReportWriteSerializer,
        responses={201: ProgressReportSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        project = self.get_project()
        body = ProgressReportWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        indicators: dict[str, int] = {}
        for item in data.pop("indicators", []):
            if item["kind"] in indicators:
                raise exceptions.ValidationError({"indicators": ["Mỗi chỉ tiêu chỉ báo cáo một lần."]})
            indicators[item["kind"]] = item["value"]
        try:
            report = progress_report_file(user=self.user, project=project, indicators=indicators, **data)
        except DomainError as exc:
            # An indicator's message is about ``indicators.<kind>``.
            for kind in [k for k in exc.errors if k in IndicatorKind.values]:
                exc.errors[f"indicators.{kind}"] = exc.errors.pop(kind)
            raise
        report = ProgressReport.objects.prefetch_related("indicators").get(pk=report.pk)
        location = reverse("api:progress_report_list", kwargs={"pk": project.pk})
        return Response(
            ProgressReportSerializer(report).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )
