"""What every projects page shares: the detail tabs and the scoped project fetch."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.views import PortalPermissionMixin

from ..models import (
    Project,
)

TABS = (
    ("summary", gettext_lazy("Tổng quan"), "card-text"),
    ("beneficiaries", gettext_lazy("Cơ sở thụ hưởng"), "buildings"),
    ("indicators", gettext_lazy("Chỉ tiêu"), "bullseye"),
    ("money", gettext_lazy("Kinh phí"), "cash-coin"),
    ("documents", gettext_lazy("Tài liệu"), "paperclip"),
    ("history", gettext_lazy("Lịch sử"), "clock-history"),
)


class ProjectObjectMixin(PortalPermissionMixin):
    """Fetches ``self.project`` from the user's scope (404 outside it) before the handler runs."""

    def get_project(self) -> Project:
        if not hasattr(self, "project"):
            qs = Project.objects.visible_to(self.user).select_related(
                "province", "category", "managing_organisation", "implementing_unit"
            )
            self.project = get_object_or_404(qs, pk=self.kwargs["pk"])
        return self.project

    def detail_url(self, tab: str = "summary") -> str:
        url = reverse("projects:project_detail", kwargs={"pk": self.kwargs["pk"]})
        return url if tab == "summary" else f"{url}?tab={tab}"
