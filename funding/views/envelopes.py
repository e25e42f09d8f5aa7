"""Budget envelopes (dự toán giao): create and change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_vnd
from core.scoping import fixed_province_id, user_can_see_province

from .. import selectors, services
from ..forms import EnvelopeForm
from ..models import BudgetEnvelope
from .base import MoneyFormView


class EnvelopeCreateView(MoneyFormView):
    permission_required = "funding.allocate"
    form_class = EnvelopeForm
    title = gettext_lazy("Nhập dự toán giao")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.user
        kwargs.setdefault("initial", {})["year"] = self.request.GET.get("year") or selectors.default_year()
        return kwargs

    def perform(self, form: forms.Form) -> str:
        user = self.user
        province_id = (
            form.cleaned_data["province"].pk if "province" in form.fields else fixed_province_id(user)
        )
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
            BudgetEnvelope.objects.visible_to(self.user).select_related("province"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super(EnvelopeCreateView, self).get_form_kwargs()
        env = self.envelope
        kwargs.update(
            user=self.user,
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
            user=self.user,
            envelope=self.envelope,
            amount=form.cleaned_data["amount"],
            decision_number=form.cleaned_data["decision_number"],
            decision_date=form.cleaned_data["decision_date"],
            expected_version=form.cleaned_data.get("version"),
        )
        return _("Đã cập nhật dự toán.")
