"""A project's cost plan by source and year, its allocations and their adjustments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_vnd

from .. import services
from ..forms import AllocationAdjustForm, AllocationForm, CostPlanForm
from ..models import Allocation, BudgetEnvelope
from .base import MoneyFormView, _money_url, _ProjectFormView


class CostPlanView(_ProjectFormView):
    permission_required = "funding.record"
    form_class = CostPlanForm
    template_name = "funding/costplan_form.html"
    title = gettext_lazy("Kế hoạch kinh phí theo nguồn và năm")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        initial: dict[str, Any] = {}
        from ..models import CostPlanLine, FundingProfile

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
            initial["facilities"] = max(self.project.beneficiaries.count(), 1)
        # scope: self.project came through visible_to
        for line in CostPlanLine.objects.filter(project=self.project):
            initial[f"{line.source}_{line.year}"] = line.amount
        kwargs["initial"] = initial
        return kwargs

    def perform(self, form: forms.Form) -> str:
        assert isinstance(form, CostPlanForm)  # FormView built it from form_class
        data = form.cleaned_data
        services.cost_plan_save(
            user=self.user,
            project=self.project,
            rows=form.rows(),
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
        # scope: the province of self.project, fetched through visible_to
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
            user=self.user,
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
            Allocation.objects.visible_to(self.user).select_related(
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
            payable_now=services.payable_now(allocation, self.project),
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
            user=self.user,
            allocation=self.allocation,
            amount=data["amount"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return _("Đã điều chỉnh kinh phí giao; phiên bản cũ vẫn được lưu.")
