"""Managers approve or return several projects in one action, with one decision (all or nothing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.errors import DomainError
from core.forms import field_of
from core.parsing import is_ascii_id
from core.views import PortalPermissionMixin, apply_domain_error

from .. import services, workflow
from ..models import Project


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    """Projects labelled by code and title."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.title}"


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Thao tác"),
        choices=[(a, workflow.TRANSITIONS[a].label) for a in services.BULK_ACTIONS],
        widget=forms.RadioSelect,
    )
    projects = ProjectChoiceField(
        label=gettext_lazy("Đề án"), queryset=Project.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60, required=False)
    decision_date = forms.DateField(
        label=gettext_lazy("Ngày quyết định"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    decision_signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=120, required=False)
    file = forms.FileField(label=gettext_lazy("Tệp quyết định phê duyệt (PDF)"), required=False)
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến (bắt buộc khi trả lại)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "projects", forms.ModelChoiceField).queryset = queryset
        for name in ("decision_number", "decision_date", "decision_signer", "file", "comment"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_decision_date(self) -> Any:
        value = self.cleaned_data.get("decision_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày không được sau ngày hôm nay."))
        return value


class BulkDecisionView(PortalPermissionMixin, View):
    permission_required = "project.review"
    template_name = "projects/bulk_decide.html"

    def candidates(self) -> Any:
        sources = set().union(*(workflow.TRANSITIONS[a].sources for a in services.BULK_ACTIONS))
        return (
            Project.objects.visible_to(self.user)
            .filter(status__in=sources)
            .select_related("province")
            .order_by("status", "updated_at", "pk")
        )

    def render(self, form: BulkDecisionForm, outcomes: Any = None, status: int = 200) -> HttpResponse:
        projects = list(self.candidates()[:200])
        # A bound form was built from request.POST (see post()).
        chosen = self.request.POST.getlist("projects") if form.is_bound else []
        selected = {int(v) for v in chosen if is_ascii_id(v)}
        return render(
            self.request,
            self.template_name,
            {"form": form, "outcomes": outcomes, "projects": projects, "selected": selected},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {
            "action": request.GET.get("action")
            if request.GET.get("action") in services.BULK_ACTIONS
            else None
        }
        return self.render(BulkDecisionForm(queryset=self.candidates(), initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkDecisionForm(request.POST, request.FILES, queryset=self.candidates())
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            done = services.projects_bulk_transition(
                user=self.user,
                projects=list(data["projects"]),
                action=data["action"],
                comment=data.get("comment") or "",
                decision_number=data.get("decision_number") or "",
                decision_date=data.get("decision_date"),
                decision_signer=data.get("decision_signer") or "",
                upload=data.get("file"),
            )
        except services.BulkError as exc:
            form.add_error(None, exc.message)
            return self.render(form, outcomes=exc.outcomes, status=409)
        except DomainError as exc:
            return self.render(form, status=apply_domain_error(form, exc))
        messages.success(
            request,
            _("Đã “%(step)s” %(n)s đề án: %(codes)s.")
            % {
                "step": workflow.TRANSITIONS[data["action"]].label,
                "n": len(done),
                "codes": ", ".join(t.project.code for t in done),
            },
        )
        return HttpResponseRedirect(reverse("projects:review_queue"))
