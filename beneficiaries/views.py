"""Pages of the facility register: list, detail, create/edit, import, export, chooser look-up."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from accounts.permissions import has_perm
from core.db import ReplicaReadMixin
from core.errors import DomainError
from core.exports import Column, stream_csv
from core.files import sha256_of
from core.parsing import is_ascii_id
from core.personal_data import mask_personal_id, mask_phone
from core.views import PortalPermissionMixin, portal_user

from . import importing
from .forms import FacilityFilterForm, FacilityForm, ImportUploadForm
from .models import Facility, FacilityKind, FacilityStatus, ImportBatch, ImportStatus, PersonalDataAction
from .selectors import facility_list, supported_ids, with_sector_codes
from .services import DuplicateFacility, facility_create, facility_update, log_personal_data
from .xlsx_stream import write_sheet

PER_PAGE = 50
MAX_PAGE = 10_000


@dataclass
class CheapPage:
    """A page without COUNT(*): one extra row tells whether a next page exists."""

    number: int
    object_list: list[Facility]
    has_next: bool
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(MAX_PAGE, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1


def _filter_data(request: HttpRequest) -> tuple[FacilityFilterForm, dict[str, Any]]:
    form = FacilityFilterForm(request.GET or None, user=portal_user(request))
    if form.is_bound:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
    else:
        data = {}
    return form, data


def _querystring(request: HttpRequest, **changes: Any) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


class FacilityListView(PortalPermissionMixin, View):
    """The register: filters, one diacritic-insensitive search box, count-free pagination."""

    permission_required = "facility.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        form, data = _filter_data(request)
        number = _page_number(request)
        queryset = facility_list(self.user, data)
        offset = (number - 1) * PER_PAGE
        rows = list(queryset[offset : offset + PER_PAGE + 1])
        page = CheapPage(number, rows[:PER_PAGE], len(rows) > PER_PAGE, PER_PAGE)
        supported = supported_ids([f.pk for f in page.object_list])
        context = {
            "form": form,
            "page": page,
            "facilities": page.object_list,
            "supported": supported,
            "filtered": any(v not in (None, "") for v in data.values()),
            "prev_query": _querystring(request, page=number - 1),
            "next_query": _querystring(request, page=number + 1),
            "export_query": _querystring(request, page=None),
        }
        template = "beneficiaries/facility_list.html"
        htmx = getattr(request, "htmx", None)  # set by django-htmx's middleware
        if htmx and not htmx.boosted:
            template = "beneficiaries/partials/facility_table.html"
        return render(request, template, context)


class FacilityDetailView(PortalPermissionMixin, DetailView):
    permission_required = "facility.view"
    model = Facility
    template_name = "beneficiaries/facility_detail.html"
    context_object_name = "facility"

    def get_queryset(self) -> Any:
        from .models import Sector

        return (
            super()
            .get_queryset()
            .select_related(
                "province",
                "commune",
                "legacy_commune__legacy_district__legacy_province",
                "craft_village",
                "merged_into",
                "created_by",
                "updated_by",
            )
            .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("code")))
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        facility = self.object
        context["eligibility"] = facility.eligibility
        context["history"] = list(facility.events.order_by("-pgh_created_at")[:10])
        context["can_reveal"] = has_perm(self.user, "personal_data.reveal") and bool(
            facility.personal_id or facility.phone
        )
        return context


class FacilityRevealView(FacilityDetailView):
    """The owner's personal ID and phone unmasked: a deliberate POST by a role that needs them, logged
    (who, when, which record). Another province's facility is a 404, like its page."""

    permission_required = "personal_data.reveal"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        log_personal_data(
            user=self.user, action=PersonalDataAction.REVEAL, facility=self.object, unmasked=True
        )
        context = self.get_context_data(object=self.object)
        context["revealed"] = True
        return self.render_to_response(context)


class _FacilityFormMixin(PortalPermissionMixin):
    permission_required = "facility.change"
    template_name = "beneficiaries/facility_form.html"

    def render_form(
        self, request: HttpRequest, form: FacilityForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        context = {
            "form": form,
            "cancel_url": self.cancel_url(),
            "object": getattr(self, "object", None),
            **extra,
        }
        return render(request, self.template_name, context, status=status)

    def cancel_url(self) -> str:
        return reverse("beneficiaries:facility_list")


class FacilityCreateView(_FacilityFormMixin, View):
    """Register a facility; a duplicate (same tax code, or same name in the commune) is shown instead."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, FacilityForm(user=self.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FacilityForm(request.POST, user=self.user)
        if not form.is_valid():
            return self.render_form(request, form, status=self.invalid_status)
        try:
            facility = facility_create(
                user=self.user,
                data=form.service_data(),
                sectors=form.cleaned_data.get("sectors"),
                allow_same_name=form.cleaned_data.get("allow_same_name", False),
            )
        except DuplicateFacility as exc:
            status = self.domain_error(form, exc)
            reason_is_name = exc.field == "name"
            return self.render_form(
                request,
                form,
                status=status,
                duplicates=exc.existing,
                hidden_duplicates=exc.hidden,
                same_name=reason_is_name,
            )
        except DomainError as exc:
            return self.render_form(request, form, status=self.domain_error(form, exc))
        messages.success(request, _("Đã thêm cơ sở “%(name)s”.") % {"name": facility.name})
        return redirect("beneficiaries:facility_detail", pk=facility.pk)


class FacilityUpdateView(_FacilityFormMixin, View):
    def get_object(self) -> Facility:
        return get_object_or_404(
            Facility.objects.visible_to(self.user).select_related("commune"), pk=self.kwargs["pk"]
        )

    def cancel_url(self) -> str:
        return reverse("beneficiaries:facility_detail", kwargs={"pk": self.object.pk})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = self.get_object()
        initial = {"sectors": list(self.object.sectors.values_list("pk", flat=True))}
        return self.render_form(request, FacilityForm(instance=self.object, initial=initial, user=self.user))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.object = self.get_object()
        form = FacilityForm(request.POST, instance=self.object, user=self.user)
        if not form.is_valid():
            return self.render_form(request, form, status=self.invalid_status)
        try:
            facility = facility_update(
                user=self.user,
                facility=self.object,
                data=form.service_data(),
                sectors=form.cleaned_data.get("sectors"),
            )
        except DuplicateFacility as exc:
            status = self.domain_error(form, exc)
            return self.render_form(
                request, form, status=status, duplicates=exc.existing, hidden_duplicates=exc.hidden
            )
        except DomainError as exc:
            return self.render_form(request, form, status=self.domain_error(form, exc))
        messages.success(request, _("Đã lưu thay đổi của cơ sở “%(name)s”.") % {"name": facility.name})
        return redirect("beneficiaries:facility_detail", pk=facility.pk)


class FacilitySearchView(ReplicaReadMixin, PortalPermissionMixin, View):
    """``?q=`` → up to 20 facilities in scope as JSON, for choosers (merged into…)."""

    permission_required = "facility.view"

    def get(self, request: HttpRequest) -> JsonResponse:
        queryset = Facility.objects.visible_to(self.user).filter(status=FacilityStatus.ACTIVE)
        queryset = queryset.search(request.GET.get("q", "")).select_related("commune").order_by("-id")
        results = [
            {"value": f.pk, "text": f"{f.name} — {f.tax_code or f.personal_id or f.commune.name}"}
            for f in queryset[:20]
        ]
        return JsonResponse({"results": results})


# --- Export ------------------------------------------------------------------------------------


def export_columns() -> list[Column]:
    return [
        Column(_("Mã hệ thống"), 10, "int"),
        Column(_("Tên cơ sở"), 40),
        Column(_("Loại hình"), 20),
        Column(_("Mã số thuế"), 16),
        Column(_("Số định danh chủ hộ"), 16),
        Column(_("Người đại diện"), 22),
        Column(_("Điện thoại"), 14),
        Column(_("Địa chỉ"), 26),
        Column(_("Xã/phường/đặc khu"), 22),
        Column(_("Tỉnh/thành phố"), 18),
        Column(_("Mã ngành VSIC"), 14),
        Column(_("Sản phẩm chính"), 28),
        Column(_("Năm thành lập"), 10, "int"),
        Column(_("Tổng số lao động"), 10, "int"),
        Column(_("Lao động nữ"), 10, "int"),
        Column(_("Lao động DTTS"), 10, "int"),
        Column(_("Doanh thu năm (đồng)"), 18, "money"),
        Column(_("Trạng thái"), 16),
    ]


def export_rows(queryset: Any, *, unmasked: bool = False) -> Any:
    """Rows as tuples, streamed from the database in chunks (constant memory); the owner's personal ID
    and the phone masked unless ``unmasked``."""
    kinds = dict(FacilityKind.choices)
    statuses = dict(FacilityStatus.choices)
    values = with_sector_codes(queryset.order_by("id")).values_list(
        "id",
        "name",
        "kind",
        "tax_code",
        "personal_id",
        "representative",
        "phone",
        "address",
        "commune__name",
        "province__name",
        "sector_codes",
        "main_products",
        "year_founded",
        "workers_total",
        "workers_female",
        "workers_ethnic_minority",
        "annual_revenue",
        "status",
    )
    for row in values.iterator(chunk_size=2000):
        row = list(row)
        row[2] = str(kinds.get(row[2], row[2]))
        if not unmasked:
            row[4] = mask_personal_id(row[4])
            row[6] = mask_phone(row[6])
        row[17] = str(statuses.get(row[17], row[17]))
        yield row


class FacilityExportView(ReplicaReadMixin, PortalPermissionMixin, View):
    """The filtered list as ``?format=xlsx`` (temporary file, constant memory) or ``csv`` (streamed).

    Personal IDs and phones are masked; ``?full=1`` unmasks them for roles allowed to reveal. Every
    export is logged with its row count (it holds personal data, masked or not)."""

    permission_required = "facility.export"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        _form, data = _filter_data(request)
        queryset = facility_list(self.user, data)
        fmt = request.GET.get("format", "xlsx")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        unmasked = request.GET.get("full") == "1"
        if unmasked and not has_perm(self.user, "personal_data.reveal"):
            raise PermissionDenied
        if fmt not in ("csv", "xlsx"):
            return HttpResponseBadRequest(_("Định dạng xuất không hợp lệ."))
        user, name = self.user, f"co-so-cnnt-{stamp}.{fmt}"

        def counted(rows: Any) -> Any:
            count = 0
            try:
                for row in rows:
                    count += 1
                    yield row
            finally:  # a download cut short is logged too, with the rows sent so far
                log_personal_data(
                    user=user,
                    action=PersonalDataAction.EXPORT,
                    export=name,
                    row_count=count,
                    unmasked=unmasked,
                )

        rows = counted(export_rows(queryset, unmasked=unmasked))
        if fmt == "csv":
            # Logged when the last row has been streamed (the count is then known).
            return stream_csv(name, export_columns(), rows)
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        # A direct XML writer: ~5x faster than xlsxwriter at 200,000 rows, same constant memory.
        write_sheet(
            spool,
            _("Cơ sở CNNT"),
            export_columns(),
            rows,
            title=_("Danh sách cơ sở công nghiệp nông thôn"),
        )
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


# --- Import ------------------------------------------------------------------------------------


class FacilityImportView(PortalPermissionMixin, View):
    """Upload a spreadsheet: it is checked (dry run) and recorded; nothing is written yet."""

    permission_required = "facility.import"
    template_name = "beneficiaries/facility_import.html"

    def context(self, form: ImportUploadForm) -> dict[str, Any]:
        batches = ImportBatch.objects.visible_to(self.user).select_related("created_by", "province")[:10]
        return {"form": form, "batches": batches, "columns": importing.COLUMNS}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(ImportUploadForm(user=self.user)))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES, user=self.user)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=self.invalid_status)
        province_id = form.chosen_province_id()
        if province_id is None:
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        batch = importing.import_check(
            user=self.user,
            upload=upload,
            kind=form.kind.key,
            province_id=province_id,
            sha256=sha256_of(upload),
        )
        return redirect("beneficiaries:import_detail", pk=batch.pk)


class ImportDetailView(PortalPermissionMixin, DetailView):
    """The dry-run result: every bad row with its column and reason, and the commit button."""

    permission_required = "facility.import"
    model = ImportBatch
    template_name = "beneficiaries/import_detail.html"
    context_object_name = "batch"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("created_by", "province")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = self.object.errors or []
        context["row_errors"] = [e for e in entries if not e.get("warning")]
        context["warnings"] = [e for e in entries if e.get("warning")]
        context["report"] = self.object.report or {}
        context["choices"] = context["report"].get("choices", []) if self.object.status == "choose" else []
        return context


class ImportChooseView(PortalPermissionMixin, View):
    """The user's new commune for each row whose former commune was split (never guessed)."""

    permission_required = "facility.import"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch.objects.visible_to(self.user), pk=pk)
        choices: dict[int, int] = {}
        for key, value in request.POST.items():
            row, code = key.removeprefix("row-"), str(value).strip()
            short = max(len(row), len(code)) < 8
            if key.startswith("row-") and is_ascii_id(row) and is_ascii_id(code) and short:
                choices[int(row)] = int(code)
        if not choices:
            messages.error(request, _("Hãy chọn xã mới cho ít nhất một dòng."))
            return redirect("beneficiaries:import_detail", pk=batch.pk)
        try:
            importing.import_choose(user=self.user, batch=batch, choices=choices)
        except importing.ImportRefused as exc:
            messages.error(request, str(exc))
        return redirect("beneficiaries:import_detail", pk=batch.pk)


class ImportCommitView(PortalPermissionMixin, View):
    """Write a checked file: all rows in one transaction, or none."""

    permission_required = "facility.import"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = get_object_or_404(ImportBatch.objects.visible_to(self.user), pk=pk)
        if batch.status != ImportStatus.CHECKED:
            messages.error(request, _("Tệp này đã được nhập hoặc có lỗi; hãy tải lên tệp đã sửa."))
            return redirect("beneficiaries:import_detail", pk=batch.pk)
        try:
            batch = importing.import_commit(user=self.user, batch=batch)
        except importing.ImportRefused as exc:
            messages.error(request, str(exc))
            return redirect("beneficiaries:import_detail", pk=batch.pk)
        messages.success(
            request,
            _("Đã nhập xong: %(created)s cơ sở mới, %(updated)s cơ sở cập nhật.")
            % {"created": batch.rows_created, "updated": batch.rows_updated},
        )
        return redirect("beneficiaries:import_detail", pk=batch.pk)


class ImportTemplateView(PortalPermissionMixin, View):
    """The template to fill in: ``?format=xlsx`` (default) or ``csv``."""

    permission_required = "facility.import"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if request.GET.get("format") == "csv":
            header, example = importing.template_csv_rows()
            columns = [Column(h) for h in header]
            return stream_csv("mau-nhap-co-so.csv", columns, [example])
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        importing.write_template(spool)
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename="mau-nhap-co-so.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
