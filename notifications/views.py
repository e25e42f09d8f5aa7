"""A user's notices (list, open, mark read) and their preferences. Everyone sees only their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.views import PortalPermissionMixin

from . import services
from .forms import PreferencesForm
from .models import Notification


class NotificationListView(PortalPermissionMixin, ListView):
    permission_required = "portal.view"
    template_name = "notifications/notification_list.html"
    paginate_by = 30

    def get_queryset(self) -> Any:
        qs = Notification.objects.for_user(self.user).select_related("project")
        if self.request.GET.get("chua-doc") == "1":
            qs = qs.unread()
        return qs.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(only_unread=self.request.GET.get("chua-doc") == "1", **kwargs)


class BellView(PortalPermissionMixin, View):
    """The navbar's bell (an htmx fragment loaded after the page)."""

    permission_required = "portal.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        from .context_processors import bell_for

        return render(request, "notifications/partials/bell.html", {"bell": bell_for(self.user)})


class NotificationOpenView(PortalPermissionMixin, View):
    """Open a notice: mark it read and go to the page it is about."""

    permission_required = "portal.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = get_object_or_404(Notification.objects.for_user(self.user), pk=pk)
        services.notification_mark_read(user=self.user, notification=notice)
        target = notice.url
        if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("notifications:list")
        return HttpResponseRedirect(target)


class MarkAllReadView(PortalPermissionMixin, View):
    permission_required = "portal.view"

    def post(self, request: HttpRequest) -> HttpResponse:
        n = services.notification_mark_read(user=self.user)
        messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": n})
        return HttpResponseRedirect(reverse("notifications:list"))


class PreferencesView(PortalPermissionMixin, View):
    permission_required = "portal.view"
    template_name = "notifications/preferences.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": PreferencesForm(user=self.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreferencesForm(request.POST, user=self.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.preferences_save(user=self.user, channels=form.cleaned_data)
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
