"""The ledger pages: advances, payments, recoveries, reversals, and the voucher files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.money import format_vnd
from core.views import PortalPermissionMixin

from .. import gates, services
from ..forms import EntryForm, ReverseForm
from ..models import EntryKind, MoneyEntry
from .allocations import _AllocationFormView
from .base import MoneyFormView, _money_url


class EntryCreateView(_AllocationFormView):
    """Advance, payment or recovery against one allocation; the page shows the remaining balance."""

    permission_required = "funding.record"
    form_class = EntryForm
    template_name = "funding/entry_form.html"
    kind: str = EntryKind.PAYMENT

    @property
    def title(self) -> str:
        return {
            EntryKind.ADVANCE: _("Ghi tạm ứng"),
            EntryKind.PAYMENT: _("Ghi thanh toán"),
            EntryKind.RECOVERY: _("Ghi thu hồi tạm ứng"),
        }[EntryKind(self.kind)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        if not gates.GATES[self.kind].allows(self.project.status):
            context["gate_refusal"] = gates.refusal(self.kind, self.project.status)
        return context

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        entry = services.entry_record(
            user=self.user,
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
            MoneyEntry.objects.visible_to(self.user).select_related(
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
            user=self.user,
            entry=self.entry,
            voucher_number=data["voucher_number"],
            voucher_date=data["voucher_date"],
            note=data["note"],
            expected_version=data.get("version"),
        )
        return _("Đã ghi bút toán đảo; bút toán gốc được giữ nguyên.")


class EntryDocumentView(PortalPermissionMixin, View):
    """The voucher file of an entry, only to users who may see the project."""

    permission_required = "funding.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        entry = get_object_or_404(MoneyEntry.objects.visible_to(self.user), pk=pk)
        if not entry.document or not entry.document.name:
            raise Http404
        name = entry.document.name.rsplit("/", 1)[-1]
        return FileResponse(entry.document.open("rb"), as_attachment=True, filename=name)
