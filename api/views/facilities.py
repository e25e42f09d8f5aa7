"""The facility register: read (the web list's filters) and write (create, update) through the web
form's rules and the register's services."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.response import Response

from beneficiaries.forms import FacilityForm
from beneficiaries.models import Facility, PersonalDataAction
from beneficiaries.services import facility_create, facility_update, log_personal_data

from .. import filters
from ..exports import XLSX_MAX_ROWS
from ..serializers.facilities import FacilitySerializer, FacilityUpdateSerializer, FacilityWriteSerializer
from .base import FILE_FORMATS, ApiDetailView, ApiListView, ApiView

TAGS = ["Cơ sở CNNT"]
#: The web form's field → the API's name for it (the province follows the commune).
API_NAMES = {"legacy_commune": "former_commune", "province": "commune", "__all__": "non_field_errors"}


def form_errors(form: Any) -> exceptions.ValidationError:
    """The web form's errors, by the API's field names, with their codes."""
    detail: dict[str, list[ErrorDetail]] = {}
    for field, errors in form.errors.as_data().items():
        for error in errors:
            for message in error.messages:
                detail.setdefault(API_NAMES.get(field, field), []).append(
                    ErrorDetail(message, code=error.code or "invalid")
                )
    return exceptions.ValidationError(detail)


class _Facilities(ApiView):
    resource = "facilities"
    read_permission = "facility.view"
    write_permission = "facility.change"

    def get_queryset(self) -> Any:
        return (
            Facility.objects.visible_to(self.user)
            .select_related("province", "commune")
            .prefetch_related("sectors")
        )


class FacilityList(_Facilities, ApiListView):
    serializer_class = FacilitySerializer
    filterset_class = filters.FacilityFilters
    export_name = "co-so"

    def get_serializer_class(self) -> Any:
        if self.request.method == "POST":
            return FacilityWriteSerializer
        return FacilitySerializer

    def get_serializer_context(self) -> dict[str, Any]:
        # Lists and their csv/xlsx exports show the owner's personal ID and phone masked (Law 91/2025).
        return {**super().get_serializer_context(), "mask_personal_data": True}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        fmt = getattr(request.accepted_renderer, "format", "json")
        if fmt in FILE_FORMATS:  # an export of the register holds personal data (masked): logged
            count = self.filter_queryset(self.get_queryset()).count()
            log_personal_data(
                user=self.user,
                action=PersonalDataAction.EXPORT,
                export=f"api/{self.export_name}.{fmt}",
                row_count=min(count, XLSX_MAX_ROWS) if fmt == "xlsx" else count,
            )
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="Danh sách cơ sở CNNT trong phạm vi")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Đăng ký cơ sở CNNT",
        request=FacilityWriteSerializer,
        responses={201: FacilitySerializer},
    )
    def post(self, request: Request) -> Response:
        body = FacilityWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = FacilityForm(data=body.form_data(None), user=self.user)
        if not form.is_valid():
            raise form_errors(form)
        facility = facility_create(
            user=self.user,
            data=form.service_data(),
            sectors=form.cleaned_data.get("sectors"),
            allow_same_name=bool(body.validated_data.get("allow_same_name")),
        )
        facility = self.get_queryset().get(pk=facility.pk)
        location = reverse("api:facility_detail", kwargs={"pk": facility.pk})
        return Response(
            FacilitySerializer(facility).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )


class FacilityDetail(_Facilities, ApiDetailView):
    serializer_class = FacilitySerializer

    def get_serializer_class(self) -> Any:
        if self.request.method == "PATCH":
            return FacilityUpdateSerializer
        return FacilitySerializer

    @extend_schema(tags=TAGS, summary="Một cơ sở CNNT")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Cập nhật cơ sở CNNT (chỉ các trường gửi lên)",
        request=FacilityUpdateSerializer,
        responses={200: FacilitySerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        facility = self.get_object()
        body = FacilityUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = FacilityForm(data=body.form_data(facility), instance=facility, user=self.user)
        if not form.is_valid():
            raise form_errors(form)
        facility_update(
            user=self.user,
            facility=facility,
            data=form.service_data(),
            sectors=form.cleaned_data.get("sectors"),
        )
        return Response(FacilitySerializer(self.get_queryset().get(pk=facility.pk)).data)
