"""The project's URLs plus the benchmark's references: a bare Django view and a plain admin site for
models the project's admin does not register (so the admin changelist reference always exists)."""

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path

from khuyencong import urls as project_urls

# A typical admin set-up for each model (columns, joined rows, search, province filter).
REFERENCE_MODELS: dict[str, dict[str, Any]] = {
    "beneficiaries.Facility": {
        "list_display": ("name", "kind", "commune", "province", "workers_total", "status"),
        "list_select_related": ("commune__province", "province"),
        "search_fields": ("name", "tax_code", "representative"),
        "list_filter": ("province", "kind", "status"),
    },
    "projects.Project": {
        "list_display": ("code", "title", "province", "category", "status", "total_cost"),
        "list_select_related": ("province", "category"),
        "search_fields": ("code", "title"),
        "list_filter": ("province", "status"),
    },
    "funding.MoneyEntry": {
        "list_display": ("voucher_number", "kind", "amount", "voucher_date", "allocation"),
        "list_select_related": ("allocation__project",),
    },
}

bench_admin = admin.AdminSite(name="bench_admin")
for label, options in REFERENCE_MODELS.items():
    try:
        model = apps.get_model(label)
    except LookupError:
        continue
    if model not in admin.site._registry:
        bench_admin.register(model, type(f"Bench{model.__name__}Admin", (admin.ModelAdmin,), options))


def bare(request: HttpRequest) -> HttpResponse:
    """The smallest Django view: the reference for the framework's own cost per request."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/bare/", bare, name="bench_bare"),
    path("__bench__/admin/", bench_admin.urls),
    *project_urls.urlpatterns,
]

handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
