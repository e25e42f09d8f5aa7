"""Settlement (quyết toán) of a project."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors, services
from ..forms import SettlementForm
from .base import _ProjectFormView


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
        context["money"] = selectors.project_money(self.project, self.user)
        return context

    def perform(self, form: forms.Form) -> str:
        assert isinstance(form, SettlementForm)  # FormView built it from form_class
        data = form.cleaned_data
        services.settlement_record(
            user=self.user,
            project=self.project,
            year=data["year"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            actual=form.actual(),
            note=data.get("note") or "",
        )
        return _("Đã ghi quyết toán đề án.")
