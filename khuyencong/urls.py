"""Root URL configuration: each app mounts its own ``urls.py`` under a Vietnamese-neutral prefix."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Quản trị cổng khuyến công")
admin.site.site_title = _("Cổng khuyến công")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("", include("core.urls")),
    path("tai-khoan/", include("accounts.urls")),
    path("dia-ban/", include("regions.urls")),
    path("co-so/", include("beneficiaries.urls")),
    path("de-an/", include("projects.urls")),
    path("kinh-phi/", include("funding.urls")),
    path("bao-cao/", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    path("du-lieu-mo/", include("opendata.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("van-ban/", include("papers.urls")),
    path("nhap-du-lieu/", include("imports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]

# Uploaded files are never served from MEDIA_URL: each download goes through a view that checks
# the user's scope (projects' DocumentDownloadView, funding's EntryDocumentView, reports' RunDownloadView).

handler403 = "khuyencong.error_handlers.permission_denied"
handler404 = "khuyencong.error_handlers.page_not_found"
handler500 = "khuyencong.error_handlers.server_error"
