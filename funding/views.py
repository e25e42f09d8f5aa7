"""Money pages. Every view: PortalPermissionMixin (role → 403), objects fetched from
``visible_to(user)`` (other province → 404); writes through ``funding.services``; a refused write
re-renders the form with the Vietnamese message, status 400 (409 for a stale form), nothing saved."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from core.exports import Column, write_xlsx
from core.money import format_vnd
from core.scoping import user_can_see_province
from core.views import PortalPermissionMixin
from projects.models import Project
from regions.models import Province

from . import selectors, services
from .forms import (
    AllocationAdjustForm,
    AllocationForm,
    CostPlanForm,
    EntryForm,
    EnvelopeForm,
    ReverseForm,
    SettlementForm,
)
from .models import Allocation, BudgetEnvelope, EntryKind, MoneyEntry


def _project(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(request.user).select_related("category", "province"), pk=pk
    )


def _money_url(project_id: int) -> str:
    return reverse("funding:project_money", kwargs={"project_pk": project_id})


# --- Annual plan -------------------------------------------------------------------------------------
class _PlanScopeMixin:
    request: HttpRequest

    def plan_scope(self) -> tuple[Province | None, int, list[Province]]:
        """(province, year, provinces to choose from): national users choose, others see their own."""
        user = self.request.user
        try:
            year = int(self.request.GET.get("year") or selectors.default_year())
        except ValueError:
            year = selectors.default_year()
        year = min(max(year, 2000), 2100)
        provinces: list[Province] = []
        if user.is_national:  # type: ignore[union-attr]
            provinces = list(Province.objects.order_by("name"))
            code = self.request.GET.get("province")
            province = next((p for p in provinces if str(p.pk) == code), None) if code else None
            if code and province is None:
                raise Http404
        else:
            province = user.province  # type: ignore[union-attr]
            code = self.request.GET.get("province")
            if code and str(province.pk if province else "") != code:
                raise Http404
        return province, year, provinces


class AnnualPlanView(_PlanScopeMixin, PortalPermissionMixin, TemplateView):
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


class AnnualPlanExportView(_PlanScopeMixin, PortalPermissionMixin, View):
    """The annual plan as .xlsx: one sheet by source, one by activity category."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest) -> HttpResponse:
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


# --- Forms -----------------------------------------------------------------------------------------------
class MoneyFormView(PortalPermissionMixin, FormView):
    """A money form: the service is called in ``perform``; domain errors come back onto the form."""

    template_name = "funding/money_form.html"
    title: Any = ""
    submit_label: Any = gettext_lazy("Lưu")

    def load(self) -> None:
        """Fetch (scoped) the objects of the URL; 404 outside the user's scope."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.perform(form)
        except services.StaleError as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except services.FundingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form: forms.Form) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, submit_label=self.submit_label)
        return context


class EnvelopeCreateView(MoneyFormView):
    permission_required = "funding.allocate"
    form_class = EnvelopeForm
    title = gettext_lazy("Nhập dự toán giao")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs.setdefault("initial", {})["year"] = self.request.GET.get("year") or selectors.default_year()
        return kwargs

    def perform(self, form: forms.Form) -> str:
        user = self.request.user
        province_id = form.cleaned_data["province"].pk if "province" in form.fields else user.province_id
        if province_id is None or not user_can_see_province(user, province_id):
            raise Http404
        self.envelope = services.envelope_create(
            user=user,
            province_id=province_id,
            year=form.cleaned_data["year"],
            level=form.cleaned_data["level"],
            amount=form.cleaned_data["amount"],
            decision_number=form.cleaned_data["decision_number"],
            decision_date=form.cleaned_data["decision_date"],
        )
        return _("Đã ghi dự toán %(amount)s.") % {"amount": format_vnd(self.envelope.amount)}

    def get_success_url(self) -> str:
        env = self.envelope
        return f"{reverse('funding:annual_plan')}?year={env.year}&province={env.province_id}"


class EnvelopeUpdateView(EnvelopeCreateView):
    title = gettext_lazy("Sửa dự toán giao")

    def load(self) -> None:
        self.envelope = get_object_or_404(
            BudgetEnvelope.objects.visible_to(self.request.user).select_related("province"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super(EnvelopeCreateView, self).get_form_kwargs()
        env = self.envelope
        kwargs.update(
            user=self.request.user,
            editing=True,
            initial={
                "amount": env.amount,
                "decision_number": env.decision_number,
                "decision_date": env.decision_date,
                "version": env.version,
            },
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["envelope"] = self.envelope
        return context

    def perform(self, form: forms.Form) -> str:
        self.envelope = services.envelope_update(
            user=self.request.user,
            envelope=self.envelope,
            amount=form.cleaned_data["amount"],
            decision_number=form.cleaned_data["decision_number"],
            decision_date=form.cleaned_data["decision_date"],
            expected_version=form.cleaned_data.get("version"),
        )
        return _("Đã cập nhật dự toán.")


class _ProjectFormView(MoneyFormView):
    def load(self) -> None:
        self.project = _project(self.request, self.kwargs["project_pk"])

    def get_success_url(self) -> str:
        return _money_url(self.project.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context


class CostPlanView(_ProjectFormView):
    permission_required = "funding.record"
    form_class = CostPlanForm
    template_name = "funding/costplan_form.html"
    title = gettext_lazy("Kế hoạch kinh phí theo nguồn và năm")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        initial: dict[str, Any] = {}
        from .models import CostPlanLine, FundingProfile

        profile = FundingProfile.objects.filter(project=self.project).first()
        if profile:
            initial.update(
                eligible_cost=profile.eligible_cost,
                facilities=profile.facilities,
                priority_area=profile.priority_area,
                technology_line=profile.technology_line,
                version=profile.version,
            )
        else:
            initial["facilities"] = max(self.project.beneficiaries.count(), 1)  # type: ignore[attr-defined]
        for line in CostPlanLine.objects.filter(project=self.project):
            initial[f"{line.source}_{line.year}"] = line.amount
        kwargs["initial"] = initial
        return kwargs

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        services.cost_plan_save(
            user=self.request.user,
            project=self.project,
            rows=form.rows(),  # type: ignore[attr-defined]
            eligible_cost=data["eligible_cost"],
            facilities=data["facilities"],
            priority_area=data["priority_area"],
            technology_line=data["technology_line"],
            expected_version=data.get("version"),
        )
        return _("Đã lưu kế hoạch kinh phí theo nguồn.")


class AllocationCreateView(_ProjectFormView):
    permission_required = "funding.allocate"
    form_class = AllocationForm
    title = gettext_lazy("Giao kinh phí theo quyết định phê duyệt")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["envelopes"] = BudgetEnvelope.objects.filter(
            province_id=self.project.province_id,
            year__gte=self.project.start_year,
            year__lte=self.project.end_year,
        ).order_by("year", "level")
        context["cap"] = services.cap_check(self.project)
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        allocation = services.allocation_create(
            user=self.request.user,
            project=self.project,
            source=data["source"],
            year=data["year"],
            amount=data["amount"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
        )
        return _("Đã giao %(amount)s cho đề án.") % {"amount": format_vnd(allocation.amount)}


class _AllocationFormView(MoneyFormView):
    def load(self) -> None:
        self.allocation = get_object_or_404(
            Allocation.objects.visible_to(self.request.user).select_related(
                "project", "project__category", "project__province", "envelope"
            ),
            pk=self.kwargs["pk"],
        )
        self.project = self.allocation.project

    def get_success_url(self) -> str:
        return _money_url(self.project.pk)

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.allocation.version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        allocation = self.allocation
        context.update(
            project=self.project,
            allocation=allocation,
            advance_limit=services.advance_limit(allocation, self.project.category),
        )
        return context


class AllocationAdjustView(_AllocationFormView):
    permission_required = "funding.allocate"
    form_class = AllocationAdjustForm
    title = gettext_lazy("Điều chỉnh kinh phí giao")

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.allocation.version, "amount": self.allocation.amount}

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        services.allocation_adjust(
            user=self.request.user,
            allocation=self.allocation,
            amount=data["amount"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return _("Đã điều chỉnh kinh phí giao; phiên bản cũ vẫn được lưu.")


class EntryCreateView(_AllocationFormView):
    """Advance, payment or recovery against one allocation; the page shows the remaining balance."""

    permission_required = "funding.record"
    form_class = EntryForm
    template_name = "funding/entry_form.html"
    kind: str = EntryKind.PAYMENT

    @property
    def title(self) -> str:  # type: ignore[override]
        return {
            EntryKind.ADVANCE: _("Ghi tạm ứng"),
            EntryKind.PAYMENT: _("Ghi thanh toán"),
            EntryKind.RECOVERY: _("Ghi thu hồi tạm ứng"),
        }[EntryKind(self.kind)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        entry = services.entry_record(
            user=self.request.user,
            allocation=self.allocation,
            kind=self.kind,
            amount=data["amount"],
            voucher_number=data["voucher_number"],
            voucher_date=data["voucher_date"],
            document=data.get("document"),
            note=data.get("note") or "",
            expected_version=data.get("version"),
        )
        return _("Đã ghi %(kind)s %(amount)s.") % {
            "kind": entry.get_kind_display().lower(),
            "amount": format_vnd(entry.amount),
        }


class EntryReverseView(MoneyFormView):
    permission_required = "funding.record"
    form_class = ReverseForm
    title = gettext_lazy("Đảo bút toán")
    submit_label = gettext_lazy("Ghi bút toán đảo")

    def load(self) -> None:
        self.entry = get_object_or_404(
            MoneyEntry.objects.visible_to(self.request.user).select_related(
                "allocation", "allocation__project", "allocation__project__category"
            ),
            pk=self.kwargs["pk"],
        )
        self.allocation = self.entry.allocation
        self.project = self.allocation.project

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.allocation.version}

    def get_success_url(self) -> str:
        return _money_url(self.project.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            project=self.project,
            allocation=self.allocation,
            entry=self.entry,
            advance_limit=services.advance_limit(self.allocation, self.project.category),
        )
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        services.entry_reverse(
            user=self.request.user,
            entry=self.entry,
            voucher_number=data["voucher_number"],
            voucher_date=data["voucher_date"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return _("Đã ghi bút toán đảo; bút toán gốc được giữ nguyên.")


class SettlementCreateView(_ProjectFormView):
    permission_required = "funding.record"
    form_class = SettlementForm
    template_name = "funding/settlement_form.html"
    title = gettext_lazy("Quyết toán đề án")
    submit_label = gettext_lazy("Ghi quyết toán")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["money"] = selectors.project_money(self.project, self.request.user)
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        services.settlement_record(
            user=self.request.user,
            project=self.project,
            year=data["year"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            actual=form.actual(),  # type: ignore[attr-defined]
            note=data.get("note") or "",
        )
        return _("Đã ghi quyết toán đề án.")


# --- Reads -------------------------------------------------------------------------------------------------
class ProjectMoneyView(PortalPermissionMixin, View):
    """The money tab on its own page (or as an htmx fragment)."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest, project_pk: int) -> HttpResponse:
        project = _project(request, project_pk)
        template = "funding/partials/project_money_tab.html" if request.htmx else "funding/project_money.html"  # type: ignore[attr-defined]
        return render(request, template, {"project": project})


class ProjectMoneyExportView(PortalPermissionMixin, View):
    """The money tab as .xlsx: plan by source and year, allocations, ledger (fixed number of queries)."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest, project_pk: int) -> HttpResponse:
        project = _project(request, project_pk)
        money = selectors.project_money(project, request.user)
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


class EntryDocumentView(PortalPermissionMixin, View):
    """The voucher file of an entry, only to users who may see the project."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(MoneyEntry.objects.visible_to(request.user), pk=pk)
        if not entry.document:
            raise Http404
        name = entry.document.name.rsplit("/", 1)[-1]
        return FileResponse(entry.document.open("rb"), as_attachment=True, filename=name)
