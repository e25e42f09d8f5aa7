"""Navigation by role, built once per request from the permission table."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_perm

# (label, url name, permission, icon). Apps add their entries here as they gain pages; an entry
# whose URL does not exist yet is skipped, so the menu never breaks.
NAVIGATION: list[tuple[Any, str, str, str]] = [
    (_("Tổng quan"), "core:home", "portal.view", "house"),
    (_("Cơ sở CNNT"), "beneficiaries:facility_list", "facility.view", "buildings"),
    (_("Đề án"), "projects:project_list", "project.view", "kanban"),
    (_("Chờ xử lý"), "projects:review_queue", "project.review", "inbox"),
    (_("Kế hoạch kinh phí"), "funding:annual_plan", "funding.view", "cash-coin"),
    (_("Bảng điều khiển"), "reports:dashboard", "dashboard.view", "bar-chart"),
    (_("Báo cáo"), "reports:catalogue", "report.view", "file-earmark-spreadsheet"),
]


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, name, permission, icon in NAVIGATION:
        if not has_perm(user, permission):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "icon": icon, "active": request.path == url})
    return {"nav_items": items}
