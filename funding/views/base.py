"""What the money pages share: the scoped project fetch and the money form that maps service errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.errors import DomainError
from core.views import PortalPermissionMixin, portal_user
from projects.models import Project


def _project(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(portal_user(request)).select_related("category", "province"), pk=pk
    )


def _money_url(project_id: int) -> str:
    return reverse("funding:project_money", kwargs={"project_pk": project_id})


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
        return self.render_to_response(self.get_context_data(form=form), status=self.invalid_status)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.perform(form)
        except DomainError as exc:
            status = self.domain_error(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=status)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form: forms.Form) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, submit_label=self.submit_label)
        return context


class _ProjectFormView(MoneyFormView):
    def load(self) -> None:
        self.project = _project(self.request, self.kwargs["project_pk"])

    def get_success_url(self) -> str:
        return _money_url(self.project.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context
